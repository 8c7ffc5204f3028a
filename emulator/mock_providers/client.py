"""``ProviderControl``: a small typed client for the ``/_control`` API (tests, BDD steps, QA)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from pydantic import TypeAdapter

from szca_unlock.keepalive import client_limits

from .control_models import DepositTransfer, FaceSessionInfo, FaultInfo, StatementEntry
from .journal import JournalEntry
from .sms.models import SmsMessage

# What each approved SMS template is for (the service's SmsTemplate ids).
SMS_PURPOSES: dict[str, str] = {"login": "1000001", "verification": "1000002",
                                "approval": "1000003"}
_SMS_CODE = re.compile(r"验证码为(\d{6})")
_REMARK_CODE = re.compile(r"\d{6}")
_COUNTS = TypeAdapter(dict[str, int])
_RECORDS = TypeAdapter(dict[str, list[dict[str, str]]])
_STATEMENT = TypeAdapter(list[StatementEntry])


class ControlError(RuntimeError):
    """The control API refused a call; keeps the HTTP status and the server's explanation."""

    def __init__(self, status_code: int, detail: object) -> None:
        super().__init__(f"control API answered {status_code}: {detail}")
        self.status_code = status_code
        self.detail = detail


class ProviderControl:
    def __init__(self, base_url: str, timeout_s: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url + "/_control", timeout=timeout_s,
                                  limits=client_limits())

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        if response.status_code >= 400:
            try:
                detail = response.json().get("detail", response.text)
            except ValueError:
                detail = response.text
            raise ControlError(response.status_code, detail)
        return response.json() if response.content else None

    # world
    def reset(self) -> None:
        self._call("POST", "/reset")

    def seed(self, records: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, int]:
        return _COUNTS.validate_python(
            self._call("POST", "/seed", json={k: list(v) for k, v in records.items()}))

    def health(self) -> None:
        self._call("GET", "/health")

    def records(self) -> dict[str, list[dict[str, str]]]:
        return _RECORDS.validate_python(self._call("GET", "/records"))

    def advance_clock(self, seconds: float) -> float:
        return float(self._call("POST", "/clock", json={"advance_s": seconds})["now"])

    def now(self) -> float:
        """The providers' business clock (epoch seconds): a mark for ``sms_code(after=…)``."""
        return float(self._call("GET", "/clock")["now"])

    # journal
    def journal(self, *, provider: str | None = None, action: str | None = None,
                mobile: str | None = None, id_number: str | None = None) -> list[JournalEntry]:
        params = {k: v for k, v in {"provider": provider, "action": action, "mobile": mobile,
                                    "id_number": id_number}.items() if v is not None}
        return [JournalEntry(**e) for e in self._call("GET", "/journal", params=params)["entries"]]

    def clear_journal(self) -> None:
        self._call("DELETE", "/journal")

    # faults and forced outcomes
    def fault(self, provider: str, kind: str, *, action: str | None = None,
              count: int | None = None, rate: float | None = None, latency_ms: int | None = None,
              seed: int | None = None, mobile: str | None = None) -> FaultInfo:
        """A fault on the provider's calls (``mobile``: only on calls about that mobile)."""
        body = {"provider": provider, "kind": kind, "action": action, "count": count,
                "rate": rate, "latency_ms": latency_ms, "seed": seed, "mobile": mobile}
        return FaultInfo.model_validate(
            self._call("POST", "/faults", json={k: v for k, v in body.items() if v is not None}))

    def fail_next(self, provider: str, kind: str, *, action: str | None = None, count: int = 1,
                  latency_ms: int | None = None) -> FaultInfo:
        return self.fault(provider, kind, action=action, count=count, latency_ms=latency_ms)

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def next_outcome(self, provider: str, action: str, outcome: str) -> None:
        self._call("POST", "/next-outcome",
                   json={"provider": provider, "action": action, "outcome": outcome})

    # SMS
    def outbox(self, mobile: str | None = None) -> list[SmsMessage]:
        params = {"mobile": mobile} if mobile else {}
        messages = self._call("GET", "/sms/outbox", params=params)["messages"]
        return [SmsMessage(**{**m, "params": tuple(m["params"])}) for m in messages]

    def last_sms(self, mobile: str) -> SmsMessage:
        messages = self.outbox(mobile)
        if not messages:
            raise LookupError(f"no SMS sent to {mobile[-4:]:*>11}")
        return messages[0]

    def sms_messages(self, mobile: str, *, after: float | None = None,
                     purpose: str | None = None) -> list[SmsMessage]:
        """SMS to ``mobile``, newest first; only those sent at or after ``after`` (the
        providers' clock, see ``now()``) and, with ``purpose`` (login | verification |
        approval), only that template's."""
        template = None if purpose is None else _template_of(purpose)
        return [m for m in self.outbox(mobile)
                if (after is None or m.sent_at >= after)
                and (template is None or m.template_id == template)]

    def sms_code(self, mobile: str, *, after: float | None = None,
                 purpose: str | None = None) -> str:
        """The code the person reads on the phone: the newest SMS of ``purpose`` (login |
        verification; any code SMS if omitted) sent to ``mobile`` since ``after``.
        ``LookupError`` when there is none, so an older code, or the login code, never stands
        in for the one a step asked for."""
        for message in self.sms_messages(mobile, after=after, purpose=purpose):
            match = _SMS_CODE.search(message.text)
            if match:
                return match.group(1)
        raise LookupError(f"no {purpose or 'SMS'} code sent to {mobile[-4:]:*>11}"
                          + ("" if after is None else f" since {after:.3f}"))

    def sms_policy(self, *, enabled: bool, per_30s: int = 1, per_hour: int = 5,
                   per_day: int = 10, same_content_per_day: int = 10) -> None:
        self._call("POST", "/sms/policy", json={"enabled": enabled, "per_30s": per_30s,
                                                "per_hour": per_hour, "per_day": per_day,
                                                "same_content_per_day": same_content_per_day})

    # face (the phone side)
    def face_complete(self, biz_token: str, outcome: str = "pass",
                      retries: tuple[str, ...] = ()) -> FaceSessionInfo:
        """The phone finishes the flow with ``outcome`` after the failed ``retries``."""
        return FaceSessionInfo.model_validate(self._call(
            "POST", f"/face/{biz_token}/complete",
            json={"outcome": outcome, "retries": list(retries)}))

    def face_session(self, biz_token: str) -> FaceSessionInfo:
        return FaceSessionInfo.model_validate(self._call("GET", f"/face/{biz_token}"))

    def complete_face(self, url: str, outcome: str = "pass") -> FaceSessionInfo:
        """The person opens the face URL (the QR code) in WeChat and finishes the liveness
        check with ``outcome`` (pass | liveness_fail | face_mismatch | timeout | cancelled)."""
        return self.face_complete(biz_token(url), outcome)

    # deposit (the bank and the company's finance staff)
    def deposit_statement(self, account_number: str) -> list[StatementEntry]:
        answer = self._call("GET", "/deposit/statement",
                            params={"account_number": account_number})
        return _STATEMENT.validate_python(answer["entries"])

    def deposit_settle(self, verification_id: str,
                       result: str = "transferred") -> DepositTransfer:
        return DepositTransfer.model_validate(
            self._call("POST", f"/deposit/{verification_id}/settle", json={"result": result}))

    def deposit_code(self, account_number: str, order_no: str) -> str:
        """The 6-digit code finance reads off the remark of the transfer made for
        ``order_no`` (the statement is newest first and may hold other orders' transfers:
        the entry is found by its reference, never by position)."""
        entries = [e for e in self.deposit_statement(account_number) if e.reference == order_no]
        if not entries:
            raise LookupError(f"no transfer for order {order_no} reached account "
                              f"…{account_number[-4:]}")
        match = _REMARK_CODE.search(entries[0].remark)
        if not match:
            raise LookupError(f"the remark of the transfer for {order_no} holds no code: "
                              f"{entries[0].remark!r}")
        return match.group(0)


def _template_of(purpose: str) -> str:
    try:
        return SMS_PURPOSES[purpose]
    except KeyError:
        raise ValueError(f"unknown SMS purpose {purpose!r}; one of {sorted(SMS_PURPOSES)}") \
            from None


def biz_token(face_url: str) -> str:
    """The liveness session token in the URL WeChat opens (the QR code's ``token=``)."""
    tokens = parse_qs(urlsplit(face_url).query).get("token")
    if not tokens or not tokens[0]:
        raise ValueError(f"the face URL holds no token: {face_url}")
    return tokens[0]
