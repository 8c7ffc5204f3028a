"""DetectAuth + GetDetectInfoEnhanced through FaceClient against the live mock."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from emulator.mock_providers.client import ProviderControl
from szca_unlock.providers import FaceOutcome, ProviderClients

NAME, ID_NUMBER = "王五", "110101199003074477"
REDIRECT = "https://wt.szca.net/unlock/face/done"
FO = FaceOutcome

# (phone-side outcome of the control API, magic IdCard from docs/providers.md, client outcome)
PHONE = [("pass", "110101199001019001", FO.PASSED),
         ("liveness_fail", "11010119900101901X", FO.LIVENESS_FAILED),
         ("face_mismatch", "110101199001019028", FO.FACE_MISMATCH),
         ("timeout", "110101199001019036", FO.TIMEOUT),
         ("cancelled", "110101199001019044", FO.CANCELLED)]


@pytest.fixture
def seeded(mock_providers: ProviderControl) -> ProviderControl:
    mock_providers.seed({"face": [{"name": NAME, "id_number": ID_NUMBER}]})
    return mock_providers


def test_start_gives_a_qr_code_that_scans_to_the_wechat_url(clients: ProviderClients) -> None:
    session = clients.face.start(NAME, ID_NUMBER, REDIRECT)
    assert session.url.startswith("https://") and session.biz_token in session.url
    decoded = decode(Image.open(io.BytesIO(session.qr_png)))
    assert [d.data.decode() for d in decoded] == [session.url]


def test_result_is_pending_until_the_phone_finishes(
    clients: ProviderClients, seeded: ProviderControl,
) -> None:
    session = clients.face.start(NAME, ID_NUMBER, REDIRECT)
    first = clients.face.result(session.biz_token)
    assert first.outcome is FO.PENDING and not first.finished
    seeded.face_complete(session.biz_token, "pass")
    assert clients.face.result(session.biz_token).verified


@pytest.mark.parametrize(("phone", "magic_id", "outcome"), PHONE, ids=[p[0] for p in PHONE])
def test_each_phone_outcome_by_control_api(
    clients: ProviderClients, seeded: ProviderControl, phone: str, magic_id: str,
    outcome: FaceOutcome,
) -> None:
    session = clients.face.start(NAME, ID_NUMBER, REDIRECT)
    seeded.face_complete(session.biz_token, phone)
    got = clients.face.result(session.biz_token)
    assert got.outcome is outcome and got.verified is (outcome is FO.PASSED)


@pytest.mark.parametrize(("phone", "magic_id", "outcome"), PHONE, ids=[p[0] for p in PHONE])
def test_each_phone_outcome_by_magic_id_number(
    clients: ProviderClients, phone: str, magic_id: str, outcome: FaceOutcome,
) -> None:
    session = clients.face.start(NAME, magic_id, REDIRECT)
    assert clients.face.result(session.biz_token).outcome is outcome


@pytest.mark.parametrize(("phone", "magic_id", "outcome"), PHONE, ids=[p[0] for p in PHONE])
def test_each_phone_outcome_by_next_outcome(
    clients: ProviderClients, mock_providers: ProviderControl, phone: str, magic_id: str,
    outcome: FaceOutcome,
) -> None:
    mock_providers.next_outcome("face", "DetectAuth", phone)
    session = clients.face.start(NAME, ID_NUMBER, REDIRECT)
    assert clients.face.result(session.biz_token).outcome is outcome


def test_pending_magic_never_completes(clients: ProviderClients) -> None:
    session = clients.face.start(NAME, "110101199001019052", REDIRECT)
    assert clients.face.result(session.biz_token).outcome is FO.PENDING


def test_token_expires_after_7200_seconds(
    clients: ProviderClients, seeded: ProviderControl,
) -> None:
    session = clients.face.start(NAME, ID_NUMBER, REDIRECT)
    seeded.advance_clock(7201)
    got = clients.face.result(session.biz_token)
    assert got.outcome is FO.EXPIRED and not got.verified and "过期" in got.message


def test_seeded_identity_with_another_name_is_told_as_name_mismatch(
    clients: ProviderClients, seeded: ProviderControl,
) -> None:
    session = clients.face.start("赵六", ID_NUMBER, REDIRECT)
    seeded.face_complete(session.biz_token, "pass")
    got = clients.face.result(session.biz_token)
    assert got.outcome is FO.FACE_MISMATCH and got.raw_code == "2006"
    assert "姓名和身份证号不匹配" in got.message


def test_unknown_identity_is_told_as_not_found(
    clients: ProviderClients, mock_providers: ProviderControl,
) -> None:
    session = clients.face.start(NAME, ID_NUMBER, REDIRECT)  # no face record seeded
    mock_providers.face_complete(session.biz_token, "pass")
    got = clients.face.result(session.biz_token)
    assert got.outcome is FO.FACE_MISMATCH and "未查询到" in got.message
