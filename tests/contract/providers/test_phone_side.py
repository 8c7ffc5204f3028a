"""The phone side on the control client: the code a step asked for (not an older one, not the
login code), the face check finished from its URL, and the deposit code of one order's
transfer on a statement that holds several."""

from __future__ import annotations

import pytest

from emulator.mock_providers.client import ProviderControl, biz_token
from szca_unlock.providers import ProviderClients
from szca_unlock.providers.sms import SmsTemplate

MOBILE = "13800138000"
ACCOUNT = "990000000000"  # the mock pays any company on this magic account
COMPANY = "深圳测试公司"


def _send(clients: ProviderClients, template: SmsTemplate, code: str) -> None:
    clients.sms.send(MOBILE, template, [code, "5"])


def test_sms_code_reads_only_the_purpose_asked_for(clients, mock_providers: ProviderControl):
    _send(clients, SmsTemplate.VERIFICATION_CODE, "222222")
    _send(clients, SmsTemplate.LOGIN_CODE, "111111")  # newest, but a login code
    assert mock_providers.sms_code(MOBILE, purpose="verification") == "222222"
    assert mock_providers.sms_code(MOBILE, purpose="login") == "111111"
    assert mock_providers.sms_code(MOBILE) == "111111"  # any code: the newest


def test_sms_code_ignores_what_was_sent_before_the_step(clients, mock_providers):
    _send(clients, SmsTemplate.VERIFICATION_CODE, "222222")
    mark = mock_providers.advance_clock(1)  # the step starts a moment later
    with pytest.raises(LookupError, match="verification code"):
        mock_providers.sms_code(MOBILE, after=mark, purpose="verification")
    _send(clients, SmsTemplate.VERIFICATION_CODE, "333333")
    assert mock_providers.sms_code(MOBILE, after=mark, purpose="verification") == "333333"
    assert [m.params[0] for m in mock_providers.sms_messages(MOBILE, after=mark)] == ["333333"]


def test_unknown_sms_purpose_is_refused(mock_providers):
    with pytest.raises(ValueError, match="login"):
        mock_providers.sms_code(MOBILE, purpose="marketing")


def test_now_is_the_providers_clock(mock_providers):
    before = mock_providers.now()
    assert mock_providers.advance_clock(60) >= before + 60
    assert mock_providers.now() >= before + 60


def test_deposit_code_is_found_by_order_not_position(clients, mock_providers):
    first = clients.deposit.initiate(COMPANY, "招商银行", "深圳分行", ACCOUNT, reference="JS-1")
    second = clients.deposit.initiate(COMPANY, "招商银行", "深圳分行", ACCOUNT, reference="JS-2")
    statement = {e.verification_id: e for e in mock_providers.deposit_statement(ACCOUNT)}
    assert statement[first.verification_id].reference == "JS-1"
    assert mock_providers.deposit_code(ACCOUNT, "JS-1") == statement[first.verification_id].remark
    assert mock_providers.deposit_code(ACCOUNT, "JS-2") == statement[second.verification_id].remark
    with pytest.raises(LookupError, match="JS-3"):
        mock_providers.deposit_code(ACCOUNT, "JS-3")


def test_complete_face_from_the_url(clients, mock_providers):
    session = clients.face.start("张三", "110101199003074477", "http://127.0.0.1/face-done")
    assert biz_token(session.url) == session.biz_token
    mock_providers.complete_face(session.url, "liveness_fail")
    assert mock_providers.face_session(session.biz_token).outcome == "liveness_fail"
    with pytest.raises(ValueError, match="no token"):
        biz_token("https://example.invalid/face")
