"""``ProviderControl``: a small typed client for the ``/_control`` API (tests, BDD steps, QA)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from .journal import JournalEntry
from .sms.models import SmsMessage


class ControlError(RuntimeError):
    """The control API refused a call; keeps the HTTP status and the server's explanation."""

    def __init__(self, status_code: int, detail: object) -> None:
        super().__init__(f"control API answered {status_code}: {detail}")
        self.status_code = status_code
        self.detail = detail


@dataclass(frozen=True)
class StatementEntry:
    verification_id: str
    amount: str
    remark: str
    payer: str
    account_name: str
    credited_at: str


class ProviderControl:
    def __init__(self, base_url: str, timeout_s: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url + "/_control", timeout=timeout_s)

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
        return self._call("POST", "/seed", json={k: list(v) for k, v in records.items()})

    def records(self) -> dict[str, list[dict[str, str]]]:
        return self._call("GET", "/records")

    def advance_clock(self, seconds: float) -> float:
        return float(self._call("POST", "/clock", json={"advance_s": seconds})["now"])

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
              seed: int | None = None) -> dict[str, Any]:
        body = {"provider": provider, "kind": kind, "action": action, "count": count,
                "rate": rate, "latency_ms": latency_ms, "seed": seed}
        return self._call("POST", "/faults", json={k: v for k, v in body.items() if v is not None})

    def fail_next(self, provider: str, kind: str, *, action: str | None = None, count: int = 1,
                  latency_ms: int | None = None) -> dict[str, Any]:
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

    def sms_policy(self, *, enabled: bool, per_30s: int = 1, per_hour: int = 5,
                   per_day: int = 10) -> None:
        self._call("POST", "/sms/policy", json={"enabled": enabled, "per_30s": per_30s,
                                                "per_hour": per_hour, "per_day": per_day})

    # face (the phone side)
    def face_complete(self, biz_token: str, outcome: str = "pass") -> dict[str, Any]:
        return self._call("POST", f"/face/{biz_token}/complete", json={"outcome": outcome})

    def face_session(self, biz_token: str) -> dict[str, Any]:
        return self._call("GET", f"/face/{biz_token}")

    # deposit (the bank and the company's finance staff)
    def deposit_statement(self, account_number: str) -> list[StatementEntry]:
        entries = self._call("GET", "/deposit/statement",
                             params={"account_number": account_number})["entries"]
        return [StatementEntry(**e) for e in entries]

    def deposit_settle(self, verification_id: str, result: str = "transferred") -> dict[str, Any]:
        return self._call("POST", f"/deposit/{verification_id}/settle", json={"result": result})
