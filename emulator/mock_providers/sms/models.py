"""SMS backend: templates, per-number outcomes, the outbox QA reads, a frequency policy."""

from __future__ import annotations

import threading
import uuid
from dataclasses import asdict, dataclass

from ..clock import Clock
from ..identity import normalise_mobile
from .errors import (
    EmptyPhoneNumberSet,
    SignatureIncorrectOrUnapproved,
    SmsSdkAppIdVerifyFail,
    TemplateIdNotExist,
    TemplateParamSetNotMatch,
)

SIGN_NAME = "深圳CA"
SDK_APP_ID = "1400000001"
TEMPLATES: dict[str, str] = {
    "1000001": "您的登录验证码为{1}，{2}分钟内有效。如非本人操作，请忽略本短信。",
    "1000002": "您的验证码为{1}，{2}分钟内有效，请勿泄露给他人。",
    "1000003": "您的U-KEY解锁申请（业务单号{1}）已审核通过，请登录深圳CA服务平台继续办理。",
}

# outcome -> (Code, Message) as SendStatusSet reports them
STATUS: dict[str, tuple[str, str]] = {
    "sent": ("Ok", "send success"),
    "invalid_number": ("InvalidParameterValue.IncorrectPhoneNumber", "invalid mobile number"),
    "limit_30s": ("LimitExceeded.PhoneNumberThirtySecondLimit",
                  "the number of SMS messages sent from a single mobile number within 30 seconds "
                  "exceeds the upper limit"),
    "limit_1h": ("LimitExceeded.PhoneNumberOneHourLimit",
                 "the number of SMS messages sent from a single mobile number within 1 hour "
                 "exceeds the upper limit"),
    "limit_daily": ("LimitExceeded.PhoneNumberDailyLimit",
                    "the number of SMS messages sent from a single mobile number every day "
                    "exceeds the upper limit"),
}
MAGIC_MOBILES = {"19900980404": "invalid_number", "19900980030": "limit_30s",
                 "19900983600": "limit_1h", "19900980024": "limit_daily"}
OUTCOMES = frozenset(STATUS)


@dataclass(frozen=True)
class SmsMessage:
    serial_no: str
    mobile: str
    template_id: str
    params: tuple[str, ...]
    text: str
    sign_name: str
    sent_at: float
    session_context: str


@dataclass(frozen=True)
class SendStatus:
    serial_no: str
    phone_number: str
    code: str
    message: str
    session_context: str

    @property
    def ok(self) -> bool:
        return self.code == "Ok"


@dataclass
class FrequencyPolicy:
    """Tencent's default per-number limits; off by default so test flows can send freely."""

    enabled: bool = False
    per_30s: int = 1
    per_hour: int = 5
    per_day: int = 10


def render(template_id: str, params: tuple[str, ...]) -> str:
    text = TEMPLATES[template_id]
    for i, value in enumerate(params, start=1):
        text = text.replace("{" + str(i) + "}", value)
    return f"【{SIGN_NAME}】{text}"


class SmsBackend:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._outbox: list[SmsMessage] = []
            self.policy = FrequencyPolicy()

    def send(self, *, phone_numbers: list[str], sdk_app_id: str, template_id: str, sign_name: str,
             params: list[str], session_context: str = "", forced: str | None = None
             ) -> list[SendStatus]:
        if sdk_app_id != SDK_APP_ID:
            raise SmsSdkAppIdVerifyFail()
        if sign_name != SIGN_NAME:
            raise SignatureIncorrectOrUnapproved()
        if template_id not in TEMPLATES:
            raise TemplateIdNotExist()
        if TEMPLATES[template_id].count("{") != len(params):
            raise TemplateParamSetNotMatch()
        if not phone_numbers:
            raise EmptyPhoneNumberSet()
        return [self._send_one(raw, template_id, tuple(params), session_context, forced)
                for raw in phone_numbers]

    def _send_one(self, raw: str, template_id: str, params: tuple[str, ...], context: str,
                  forced: str | None) -> SendStatus:
        mobile = normalise_mobile(raw)
        outcome = forced or self._outcome(mobile)
        code, message = STATUS[outcome]
        serial = f"2433:{uuid.uuid4().int % 10**20:020d}"
        phone = f"+86{mobile}" if mobile else raw
        if outcome == "sent" and mobile is not None:
            with self._lock:
                self._outbox.append(SmsMessage(serial, mobile, template_id, params,
                                               render(template_id, params), SIGN_NAME,
                                               self._clock.now(), context))
        return SendStatus(serial, phone, code, message, context)

    def _outcome(self, mobile: str | None) -> str:
        if mobile is None:
            return "invalid_number"
        if mobile in MAGIC_MOBILES:
            return MAGIC_MOBILES[mobile]
        return self._policy_outcome(mobile)

    def _policy_outcome(self, mobile: str) -> str:
        policy = self.policy
        if not policy.enabled:
            return "sent"
        now = self._clock.now()
        with self._lock:
            times = [m.sent_at for m in self._outbox if m.mobile == mobile]
        for window, limit, outcome in ((30, policy.per_30s, "limit_30s"),
                                       (3600, policy.per_hour, "limit_1h"),
                                       (86400, policy.per_day, "limit_daily")):
            if sum(1 for t in times if now - t < window) >= limit:
                return outcome
        return "sent"

    def outbox(self, mobile: str | None = None) -> list[SmsMessage]:
        """Newest first; ``mobile`` may be 11 digits or E.164."""
        wanted = normalise_mobile(mobile) if mobile else None
        with self._lock:
            messages = list(self._outbox)
        return [m for m in reversed(messages) if wanted is None or m.mobile == wanted]

    @staticmethod
    def message_dict(message: SmsMessage) -> dict[str, object]:
        return asdict(message)
