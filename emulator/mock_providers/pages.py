"""Pages of the outside world for a tester without a phone or a bank (the control API
does the same for automation):

    /pages/sms                 the SMS inbox (every mobile), newest first, refreshing itself
    /pages/sms/{mobile}        one mobile's inbox
    /pages/face/{biz_token}    the H5 liveness page the QR code opens (phone viewport):
                               开始验证, then the outcome chosen by the tester, then back
                               to the RedirectUrl the service gave (its own face-done page)
    /pages/bank/{account}      the company account's statement (the 0.01 yuan transfer)

No script: the inbox and statement refresh with a meta refresh; the face page is forms.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .face.errors import SessionExpired, SessionFinished, SessionUnknown
from .state import state_of

router = APIRouter(prefix="/pages", include_in_schema=False)
_PACKAGE = "emulator.mock_providers"  # its templates ship as package data
_env = Environment(loader=PackageLoader(_PACKAGE, "templates"),
                   autoescape=select_autoescape(), undefined=StrictUndefined)
CHINA = timezone(timedelta(hours=8))
REFRESH_S = 2
# The outcomes a tester picks on the phone, with the words the phone shows.
FACE_CHOICES = (("pass", "验证通过（本人）"), ("face_mismatch", "非本人（人脸比对不一致）"),
                ("liveness_fail", "活体检测未通过"), ("cancelled", "用户取消"),
                ("timeout", "超时未完成"))
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action *; "
       "frame-ancestors 'none'; base-uri 'none'")


def _page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = _env.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code, headers={
        "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store"})


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")



@router.get("/style.css")
def style() -> Response:
    css = resources.files(_PACKAGE) / "templates" / "pages.css"
    return Response(css.read_text("utf-8"), media_type="text/css")


@router.get("/sms")
@router.get("/sms/{mobile}")
def sms_inbox(request: Request, mobile: str | None = None) -> HTMLResponse:
    messages = [{"mobile": m.mobile, "text": m.text, "at": _when(m.sent_at),
                 "template": m.template_id} for m in state_of(request).sms.outbox(mobile)]
    return _page("sms.html", messages=messages, mobile=mobile or "", refresh=REFRESH_S,
                 title=f"短信收件箱 {mobile}" if mobile else "短信收件箱")


@router.get("/bank/{account_number}")
def bank_statement(request: Request, account_number: str) -> HTMLResponse:
    entries = state_of(request).deposit.statement(account_number)
    return _page("bank.html", entries=entries, account=account_number, refresh=REFRESH_S,
                 title="企业网银 · 账户明细")


@router.get("/face/{biz_token}")
def face_page(request: Request, biz_token: str, started: bool = False) -> HTMLResponse:
    try:
        session = state_of(request).face.session(biz_token)
    except SessionUnknown:
        return _page("face.html", status_code=404, title="人脸核身", error="二维码无效，请重新扫码",
                     session=None, started=False, choices=FACE_CHOICES)
    done = session.outcome is not None
    return _page("face.html", title="人脸核身", error="本次验证已结束" if done else "",
                 session={"token": session.biz_token, "name": _mask_name(session.name)},
                 started=started and not done, choices=FACE_CHOICES)


def _mask_name(name: str) -> str:
    return name[0] + "*" * (len(name) - 1) if name else ""


def _back_to(redirect_url: str, biz_token: str) -> str:
    """Tencent sends the phone to the RedirectUrl with the token appended."""
    if not redirect_url or urlsplit(redirect_url).scheme not in ("http", "https"):
        return f"/pages/face/{biz_token}"
    sep = "&" if "?" in redirect_url else "?"
    return f"{redirect_url}{sep}{urlencode({'token': biz_token})}"


@router.post("/face/{biz_token}")
def face_finish(request: Request, biz_token: str,
                outcome: Annotated[str, Form()] = "") -> Response:
    backend = state_of(request).face
    if outcome not in dict(FACE_CHOICES):
        return _page("face.html", status_code=422, title="人脸核身", error="请选择验证结果",
                     session={"token": biz_token, "name": ""}, started=True,
                     choices=FACE_CHOICES)
    try:
        session = backend.complete(biz_token, outcome)
    except (SessionUnknown, SessionExpired, SessionFinished):
        return _page("face.html", status_code=409, title="人脸核身", session=None,
                     error="本次验证已结束或已过期，请回到电脑端重新发起", started=False,
                     choices=FACE_CHOICES)
    return RedirectResponse(_back_to(session.redirect_url, biz_token), status_code=303)
