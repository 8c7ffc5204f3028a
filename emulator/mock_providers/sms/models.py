"""SMS backend: templates, per-number outcomes, the outbox QA reads, a frequency policy."""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import asdict, dataclass

from ..clock import Clock
from ..identity import normalise_mobile
from .errors import (
    ContainDomesticAndInternational,
    EmptyPhoneNumberSet,
    InvalidParameters,
    PhoneNumberCountLimit,
    SmsSdkAppIdVerifyFail,
)

SIGN_NAME = "深圳CA"
SDK_APP_ID = "1400000001"
TEMPLATES: dict[str, str] = {
    "1000001": "您的登录验证码为{1}，{2}分钟内有效。如非本人操作，请忽略本短信。",
    "1000002": "您的验证码为{1}，{2}分钟内有效，请勿泄露给他人。",
    "1000003": "您的U-KEY解锁申请（业务单号{1}）已审核通过，请登录深圳CA网上营业厅，"
               "进入个人中心→我的业务单，找到对应单据点击【解锁】，在线重置密码。",
}
# 验证码类模板: every variable 0-6 digits (InvalidParameterValue.TemplateParameterFormatError)
CODE_TEMPLATES = frozenset({"1000001", "1000002"})
MAX_NUMBERS = 200
MAX_SESSION_CONTEXT = 512  # bytes
SENSITIVE_WORDS = ("代开发票", "赌博", "刷单")

# outcome -> (Code, Message) as SendStatusSet reports them (Message texts as the API sends them)
STATUS: dict[str, tuple[str, str]] = {
    "sent": ("Ok", "send success"),
    "invalid_number": ("InvalidParameterValue.IncorrectPhoneNumber", "incorrect number format"),
    "limit_30s": ("LimitExceeded.PhoneNumberThirtySecondLimit",
                  "the number of SMS messages sent from a single mobile number within 30 seconds "
                  "exceeds the upper limit"),
    "limit_1h": ("LimitExceeded.PhoneNumberOneHourLimit",
                 "the number of SMS messages sent from a single mobile number within 1 hour "
                 "exceeds the upper limit"),
    "limit_daily": ("LimitExceeded.PhoneNumberDailyLimit",
                    "the number of SMS messages sent from a single mobile number every day "
                    "exceeds the upper limit"),
    "limit_same_content": ("LimitExceeded.PhoneNumberSameContentDailyLimit",
                           "the number of SMS messages with the same content sent to a single "
                           "mobile number exceeds the upper limit"),
    "limit_frequency": ("LimitExceeded.DeliveryFrequencyLimit",
                        "the delivery hits the frequency limit policy"),
    "blacklisted": ("FailedOperation.PhoneNumberInBlacklist",
                    "the mobile number is in the blacklist (unsubscribed or do-not-disturb list)"),
    "sensitive_word": ("FailedOperation.ContainSensitiveWord",
                       "the SMS content contains sensitive words"),
    "insufficient_balance": ("FailedOperation.InsufficientBalanceInSmsPackage",
                             "the remaining quota of the SMS package is insufficient"),
    "sign_unapproved": ("FailedOperation.SignatureIncorrectOrUnapproved",
                        "signature format is incorrect or signature is not approved"),
    "template_unapproved": ("FailedOperation.TemplateIncorrectOrUnapproved",
                            "template is not approved or request content does not match the "
                            "approved template content"),
    "template_params_mismatch": ("FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
                                 "the number of template parameters does not match the approved "
                                 "template"),
    "template_param_format": ("InvalidParameterValue.TemplateParameterFormatError",
                              "verification code template parameters must be 0-6 digits"),
    "global_phone": ("UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone",
                     "a Chinese mainland template cannot be sent to a global phone number"),
}
MAGIC_MOBILES = {"19900980404": "invalid_number", "19900980030": "limit_30s",
                 "19900983600": "limit_1h", "19900980024": "limit_daily",
                 "19900980101": "blacklisted", "19900980102": "limit_same_content",
                 "19900980103": "limit_frequency", "19900980104": "sensitive_word",
                 "19900980105": "insufficient_balance"}
OUTCOMES = frozenset(STATUS)
# E.164 country calling codes the mock names (IsoCode); any other is "DEF", as Tencent answers.
_COUNTRIES = {"1": "US", "44": "GB", "60": "MY", "65": "SG", "81": "JP", "82": "KR",
              "852": "HK", "853": "MO", "886": "TW"}
_GLOBAL = re.compile(r"\+(\d{6,15})")


def iso_code(raw: str) -> str:
    """``CN`` for a mainland number, the country for a known calling code, else ``DEF``;
    ``""`` for what is no phone number at all."""
    if normalise_mobile(raw) is not None:
        return "CN"
    match = _GLOBAL.fullmatch(raw.strip())
    if match is None or match[1].startswith("86"):
        return ""
    digits = match[1]
    return next((_COUNTRIES[digits[:n]] for n in (3, 2, 1) if digits[:n] in _COUNTRIES), "DEF")


def is_global(raw: str) -> bool:
    return iso_code(raw) not in ("CN", "")


def fee_of(text: str) -> int:
    """Billed parts: 70 characters fit one SMS, a longer one is sent in parts of 67."""
    return 1 if len(text) <= 70 else -(-len(text) // 67)


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
    fee: int
    iso_code: str

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
    same_content_per_day: int = 10


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
        """Request-level checks raise; each number then gets its own status."""
        if sdk_app_id != SDK_APP_ID:
            raise SmsSdkAppIdVerifyFail()
        if not phone_numbers:
            raise EmptyPhoneNumberSet()
        if len(phone_numbers) > MAX_NUMBERS:
            raise PhoneNumberCountLimit()
        if len({is_global(n) for n in phone_numbers}) > 1:
            raise ContainDomesticAndInternational()
        if len(session_context.encode()) >= MAX_SESSION_CONTEXT:
            raise InvalidParameters()
        content = self._content_outcome(template_id, sign_name, tuple(params))
        return [self._send_one(raw, template_id, tuple(params), session_context,
                               forced or content) for raw in phone_numbers]

    @staticmethod
    def _content_outcome(template_id: str, sign_name: str, params: tuple[str, ...]
                         ) -> str | None:
        """A failure every number of the request shares (sign, template, content)."""
        if sign_name != SIGN_NAME:
            return "sign_unapproved"
        if template_id not in TEMPLATES:
            return "template_unapproved"
        if TEMPLATES[template_id].count("{") != len(params):
            return "template_params_mismatch"
        if template_id in CODE_TEMPLATES and not all(re.fullmatch(r"\d{0,6}", p) for p in params):
            return "template_param_format"
        if any(word in p for p in params for word in SENSITIVE_WORDS):
            return "sensitive_word"
        return None

    def _send_one(self, raw: str, template_id: str, params: tuple[str, ...], context: str,
                  forced: str | None) -> SendStatus:
        mobile = normalise_mobile(raw)
        iso = iso_code(raw)
        if forced:
            outcome = forced
        elif mobile is None:
            outcome = "global_phone" if iso else "invalid_number"
        else:
            outcome = self._outcome(mobile, render(template_id, params))
        code, message = STATUS[outcome]
        phone = f"+86{mobile}" if mobile else raw
        if outcome != "sent" or mobile is None:
            return SendStatus("", phone, code, message, context, 0, iso)
        serial = f"2433:{uuid.uuid4().int % 10**27:027d}"
        text = render(template_id, params)
        with self._lock:
            self._outbox.append(SmsMessage(serial, mobile, template_id, params, text, SIGN_NAME,
                                           self._clock.now(), context))
        return SendStatus(serial, phone, code, message, context, fee_of(text), iso)

    def _outcome(self, mobile: str, text: str) -> str:
        if mobile in MAGIC_MOBILES:
            return MAGIC_MOBILES[mobile]
        return self._policy_outcome(mobile, text)

    def _policy_outcome(self, mobile: str, text: str) -> str:
        policy = self.policy
        if not policy.enabled:
            return "sent"
        now = self._clock.now()
        with self._lock:
            sent = [(m.sent_at, m.text) for m in self._outbox if m.mobile == mobile]
        same = sum(1 for t, body in sent if body == text and now - t < 86400)
        if same >= policy.same_content_per_day:
            return "limit_same_content"
        for window, limit, outcome in ((30, policy.per_30s, "limit_30s"),
                                       (3600, policy.per_hour, "limit_1h"),
                                       (86400, policy.per_day, "limit_daily")):
            if sum(1 for t, _ in sent if now - t < window) >= limit:
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
