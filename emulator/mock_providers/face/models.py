"""WeChat H5 face liveness backend: BizToken sessions that the (simulated) phone completes."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..clock import Clock
from ..records import IdentityRecords
from .errors import (
    BizTokenExpired,
    BizTokenIllegal,
    RuleIdNotExist,
    SessionExpired,
    SessionFinished,
    SessionUnknown,
)

TOKEN_LIFETIME_S = 7200  # DetectAuth docs: BizToken 有效时间为7,200秒
URL_TEMPLATE = "https://faceid.qq.com/api/auth/getLiveMode?token={token}"
PHONE_OUTCOMES = ("pass", "liveness_fail", "face_mismatch", "timeout", "cancelled")
OUTCOMES = frozenset((*PHONE_OUTCOMES, "pending"))
MAGIC_IDS = {"110101199001019001": "pass", "11010119900101901X": "liveness_fail",
             "110101199001019028": "face_mismatch", "110101199001019036": "timeout",
             "110101199001019044": "cancelled", "110101199001019052": "pending"}

_OK = (0, "成功")
# result -> (ErrCode/ErrMsg, LiveStatus/LiveMsg, Comparestatus/Comparemsg, Sim); codes from
# https://cloud.tencent.com/document/product/1007/31082
_TEXT: dict[str, tuple[Any, Any, Any, Any]] = {
    "pass": (_OK, _OK, _OK, "92.35"),
    "liveness_fail": ((1004, "人脸验证失败，请重试"), (1004, "人脸验证失败，请重试"), None, None),
    "face_mismatch": ((2016, "无法判断为同一人，请确认身份后重试"), _OK,
                      (2016, "无法判断为同一人，请确认身份后重试"), "41.27"),
    "timeout": ((15, "Token 过期，请重试"), None, None, None),
    "cancelled": ((17, "本次流程未完成"), None, None, None),
    "name_mismatch": ((2006, "姓名和身份证号不匹配，请核实身份后重试"), _OK,
                      (2006, "姓名和身份证号不匹配，请核实身份后重试"), None),
    "no_identity": ((2005, "未查询到身份信息，请通过其他渠道验证"), _OK,
                    (2005, "未查询到身份信息，请通过其他渠道验证"), None),
}


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

    def complete(self, biz_token: str, outcome: str) -> FaceSession:
        """The phone side: the user scanned the QR code and finished (or abandoned) the flow."""
        if outcome not in PHONE_OUTCOMES:
            raise ValueError(f"outcome must be one of {PHONE_OUTCOMES}, got {outcome!r}")
        session = self._sessions.get(biz_token)
        if session is None:
            raise SessionUnknown(biz_token)
        if self._expired(session):
            raise SessionExpired(biz_token)
        if session.outcome is not None:
            raise SessionFinished(biz_token)
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
        if outcome == "pass" and check_records:
            record = self._records.face.get(session.id_number)
            if record is None:
                session.result = "no_identity"
            elif record.name != session.name.strip():
                session.result = "name_mismatch"

    def _text(self, session: FaceSession) -> dict[str, Any]:
        err, live, compare, sim = _TEXT.get(session.result or "", (None, None, None, None))
        return {
            "ErrCode": err[0] if err else None, "ErrMsg": err[1] if err else None,
            "IdCard": session.id_number, "UseIDType": 0, "Name": session.name,
            "OcrNation": None, "OcrAddress": None, "OcrBirth": None, "OcrAuthority": None,
            "OcrValidDate": None, "OcrName": None, "OcrIdCard": None, "OcrGender": None,
            "IdInfoFrom": "其他",
            "LiveStatus": live[0] if live else None, "LiveMsg": live[1] if live else None,
            "Comparestatus": compare[0] if compare else None,
            "Comparemsg": compare[1] if compare else None,
            "Sim": sim, "Location": None, "Extra": session.extra,
            "LivenessDetail": [], "LivenessInfoTag": [], "Mobile": "",
            "CompareLibType": "权威库" if compare else None,
            "LivenessMode": 3 if live else None,
            "NFCRequestIds": [], "NFCBillingCounts": 0, "PassNo": None, "VisaNum": None,
            "LivenessActionSequence": None,
        }


def _check_rule(rule_id: str) -> None:
    if not rule_id.strip().isdigit():
        raise RuleIdNotExist()
