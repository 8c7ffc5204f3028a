"""WeChat H5 face liveness backend: BizToken sessions that the (simulated) phone completes."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..clock import Clock
from ..identity import id_number_ok, name_ok
from ..records import IdentityRecords
from .codes import CODE_OUTCOMES, FACE_CODES, MAGIC_CODE_IDS, SCORED, Stage, outcome_of
from .errors import (
    BizTokenExpired,
    BizTokenIllegal,
    IdFormatError,
    NameFormatError,
    RuleIdDisabled,
    RuleIdNotExist,
    SessionExpired,
    SessionFinished,
    SessionUnknown,
)
from .media import id_card_of

TOKEN_LIFETIME_S = 7200  # DetectAuth docs: BizToken 有效时间为7,200秒
URL_TEMPLATE = "https://faceid.qq.com/api/auth/getLiveMode?token={token}"
# Named phone-side outcomes (kept for readability) and the ErrCode each one reports.
NAMED_CODES = {"pass": 0, "liveness_fail": 1004, "face_mismatch": 2016, "timeout": 15,
               "cancelled": 17}
# Outcomes only the seeded records produce (a passed liveness checked against the registry).
RECORD_CODES = {"name_mismatch": 2006, "no_identity": 2005}
_NAMED_BY_CODE = {code: outcome for outcome, code in NAMED_CODES.items()}


def outcome_for(code: int) -> str:
    """The outcome that forces ``code``: its readable name, else ``errcode_<code>``."""
    return _NAMED_BY_CODE.get(code, outcome_of(code))


PHONE_OUTCOMES = tuple(dict.fromkeys(outcome_for(code) for code in (*NAMED_CODES.values(),
                                                                     *FACE_CODES)))
OUTCOMES = frozenset((*PHONE_OUTCOMES, "pending"))
MAGIC_IDS: dict[str, str] = {
    "110101199001019001": "pass", "11010119900101901X": "liveness_fail",
    "110101199001019028": "face_mismatch", "110101199001019036": "timeout",
    "110101199001019044": "cancelled", "110101199001019052": "pending",
    **{id_number: outcome_for(code) for id_number, code in MAGIC_CODE_IDS.items()}}
# Rules configured for the mock's account (RuleId is assigned by Tencent per scenario):
# "1" the product's, "2" a spare one, "9" configured but disabled.
RULES = {"1": True, "2": True, "9": False}
MAX_BEST_FRAMES = 10


def code_of(result: str | None) -> int | None:
    """The ErrCode a session result reports (None while pending)."""
    if result is None:
        return None
    return {**NAMED_CODES, **RECORD_CODES, **CODE_OUTCOMES}[result]


@dataclass(frozen=True)
class Attempt:
    """One liveness + comparison try on the phone (``LivenessDetail`` entry)."""

    at: float
    seq: str
    code: int


@dataclass
class FaceSession:
    biz_token: str
    rule_id: str
    id_number: str
    name: str
    redirect_url: str
    extra: str
    created_at: float
    url: str
    outcome: str | None = None  # phone-side outcome once completed
    result: str | None = None  # what GetDetectInfoEnhanced reports (outcome refined by records)
    completed_at: float | None = None
    queries: int = field(default=0)
    attempts: list[Attempt] = field(default_factory=list)  # liveness attempts, oldest first

    def as_dict(self) -> dict[str, Any]:
        return {"biz_token": self.biz_token, "rule_id": self.rule_id, "url": self.url,
                "status": "completed" if self.outcome else "pending", "outcome": self.outcome,
                "result": self.result, "created_at": self.created_at,
                "expires_at": self.created_at + TOKEN_LIFETIME_S, "queries": self.queries}


class FaceBackend:
    def __init__(self, records: IdentityRecords, clock: Clock) -> None:
        self._records = records
        self._clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._sessions: dict[str, FaceSession] = {}

    def detect_auth(self, *, rule_id: str, id_number: str, name: str, redirect_url: str,
                    extra: str = "", forced: str | None = None) -> FaceSession:
        _check_rule(rule_id)
        if id_number and not id_number_ok(id_number):
            raise IdFormatError()
        if name and not name_ok(name):
            raise NameFormatError()
        token = str(uuid.uuid4()).upper()
        session = FaceSession(token, rule_id, id_number, name, redirect_url, extra,
                              self._clock.now(), URL_TEMPLATE.format(token=token))
        with self._lock:
            self._sessions[token] = session
        auto = forced or MAGIC_IDS.get(id_number)
        if auto and auto != "pending":  # forced or magic: final as given, no record check
            self._finish(session, auto, check_records=False)
        return session

    def detect_info(self, *, biz_token: str, rule_id: str) -> tuple[FaceSession, dict[str, Any]]:
        _check_rule(rule_id)
        session = self._sessions.get(biz_token)
        if session is None:
            raise BizTokenIllegal()
        if self._expired(session):
            raise BizTokenExpired()
        session.queries += 1
        return session, self._text(session)

    def complete(self, biz_token: str, outcome: str,
                 retries: tuple[str, ...] = ()) -> FaceSession:
        """The phone side: the user scanned the QR code and finished (or abandoned) the flow;
        ``retries`` are failed tries before the final one (each a ``LivenessDetail`` entry)."""
        for value in (*retries, outcome):
            if value not in PHONE_OUTCOMES:
                raise ValueError(f"outcome must be one of {sorted(PHONE_OUTCOMES)}, got {value!r}")
        session = self._sessions.get(biz_token)
        if session is None:
            raise SessionUnknown(biz_token)
        if self._expired(session):
            raise SessionExpired(biz_token)
        if session.outcome is not None:
            raise SessionFinished(biz_token)
        for retry in retries:
            self._attempt(session, code_of(retry))
        self._finish(session, outcome, check_records=True)
        return session

    def session(self, biz_token: str) -> FaceSession:
        session = self._sessions.get(biz_token)
        if session is None:
            raise SessionUnknown(biz_token)
        return session

    def _expired(self, session: FaceSession) -> bool:
        return self._clock.now() - session.created_at > TOKEN_LIFETIME_S

    def _finish(self, session: FaceSession, outcome: str, *, check_records: bool) -> None:
        session.outcome = outcome
        session.completed_at = self._clock.now()
        session.result = outcome
        if code_of(outcome) == 0 and check_records:
            record = self._records.face.get(session.id_number)
            if record is None:
                session.result = "no_identity"
            elif record.name != session.name.strip():
                session.result = "name_mismatch"
        self._attempt(session, code_of(session.result))

    def _attempt(self, session: FaceSession, code: int | None) -> None:
        """Record a try that reached liveness (system and WeChat codes stop before it)."""
        if code is not None and (code == 0 or FACE_CODES[code].stage in (Stage.LIVENESS,
                                                                          Stage.COMPARE)):
            session.attempts.append(Attempt(self._clock.now(), uuid.uuid4().hex, code))

    def _text(self, session: FaceSession) -> dict[str, Any]:
        code = code_of(session.result)
        err, live, compare, sim = _statuses(code)
        ocr = _ocr(session) if code is not None and _past_id_capture(code) else {}
        return {
            "ErrCode": err[0], "ErrMsg": err[1],
            "IdCard": session.id_number, "UseIDType": 0, "Name": session.name,
            "OcrNation": ocr.get("nation"), "OcrAddress": ocr.get("address"),
            "OcrBirth": ocr.get("birth"), "OcrAuthority": ocr.get("authority"),
            "OcrValidDate": ocr.get("valid_date"), "OcrName": ocr.get("name"),
            "OcrIdCard": ocr.get("id_number"), "OcrGender": ocr.get("gender"),
            "IdInfoFrom": "其他",
            "LiveStatus": live[0], "LiveMsg": live[1],
            "Comparestatus": compare[0], "Comparemsg": compare[1],
            "Sim": sim, "Location": None, "Extra": session.extra,
            "LivenessDetail": [_detail(session, a) for a in session.attempts],
            "LivenessInfoTag": [], "Mobile": "",
            "CompareLibType": "权威库" if compare[0] is not None else None,
            "LivenessMode": 3 if live[0] is not None else None,
            "NFCRequestIds": [], "NFCBillingCounts": 0, "PassNo": None, "VisaNum": None,
            "LivenessActionSequence": None,
        }


_NONE: tuple[Any, Any] = (None, None)


def _statuses(code: int | None) -> tuple[tuple[Any, Any], tuple[Any, Any], tuple[Any, Any],
                                         str | None]:
    """(ErrCode/ErrMsg, LiveStatus/LiveMsg, Comparestatus/Comparemsg, Sim) for an ErrCode."""
    if code is None:
        return _NONE, _NONE, _NONE, None
    entry = FACE_CODES[code]
    pair = (code, entry.message)
    ok = (0, FACE_CODES[0].message)
    if code == 0:
        return pair, ok, ok, SCORED[0]
    if entry.stage is Stage.LIVENESS:
        return pair, pair, _NONE, None
    if entry.stage is Stage.COMPARE:
        return pair, ok, pair, SCORED.get(code)
    return pair, _NONE, _NONE, None


def _past_id_capture(code: int) -> bool:
    return code == 0 or FACE_CODES[code].stage in (Stage.LIVENESS, Stage.COMPARE)


def _ocr(session: FaceSession) -> dict[str, str]:
    card = id_card_of(session.name, session.id_number)
    return {"name": card.name, "id_number": card.id_number, "gender": card.gender,
            "nation": card.nation, "birth": card.birth, "address": card.address,
            "authority": card.authority, "valid_date": card.valid_date}


def _detail(session: FaceSession, attempt: Attempt) -> dict[str, Any]:
    err, live, compare, sim = _statuses(attempt.code)
    return {"ReqTime": str(int(attempt.at * 1000)), "Seq": attempt.seq,
            "Idcard": session.id_number, "Name": session.name, "Sim": sim,
            "IsNeedCharge": FACE_CODES[attempt.code].charged,
            "Errcode": err[0], "Errmsg": err[1], "Livestatus": live[0], "Livemsg": live[1],
            "Comparestatus": compare[0], "Comparemsg": compare[1],
            "CompareLibType": "权威库" if compare[0] is not None else None, "LivenessMode": 3}


def reached_liveness(session: FaceSession) -> bool:
    code = code_of(session.result)
    return code is not None and _past_id_capture(code)


def _check_rule(rule_id: str) -> None:
    enabled = RULES.get(rule_id.strip())
    if enabled is None:
        raise RuleIdNotExist()
    if not enabled:
        raise RuleIdDisabled()
