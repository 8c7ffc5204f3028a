"""The control API: seed/records, journal queries and masking, reset, expiry, OpenAPI."""

from __future__ import annotations

import httpx
import pytest
from provider_calls import detect_auth, detect_info, phone_verification
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from emulator.mock_providers.client import ControlError

ID = "110101199003077774"


def test_seed_accepts_provider_records_shape_with_aliases(mock_providers):
    counts = mock_providers.seed({
        "carrier": [{"name": "王五", "id": ID, "mobile": "+8613800138000"}],
        "bank": [{"name": "王五", "id_number": ID, "card": "6222020200112233446",
                  "reserved_mobile": "13800138000"}],
        "face": [{"name": "王五", "id_card": ID}],
        "corporate_accounts": [{"account_name": "某公司", "bank": "工行", "branch": "福田支行",
                                "account_no": "123456789"}]})
    assert counts == {"carrier": 1, "bank": 1, "face": 1, "corporate_accounts": 1}
    records = mock_providers.records()
    assert records["carrier"][0] == {"name": "王五", "id_number": ID, "mobile": "13800138000"}
    assert records["corporate_accounts"][0]["company_name"] == "某公司"


def test_seed_refuses_incomplete_records(mock_providers):
    with pytest.raises(ControlError) as err:
        mock_providers.seed({"carrier": [{"name": "王五"}]})
    assert err.value.status_code == 422 and "id_number" in str(err.value.detail)


def test_journal_filters_and_masks_when_printed(faceid, mock_providers):
    phone_verification(faceid, "王五", ID, "19900990000")
    phone_verification(faceid, "王五", "110101199003078881", "19900990004")
    [entry] = mock_providers.journal(mobile="19900990000")
    assert (entry.provider, entry.action, entry.id_number) == ("carrier", "PhoneVerification", ID)
    assert entry.response["Response"]["Result"] == "0"
    assert len(mock_providers.journal(id_number="110101199003078881")) == 1
    printed = entry.format()
    assert ID not in printed and "19900990000" not in printed and "0000" in printed
    mock_providers.clear_journal()
    assert mock_providers.journal() == []


def test_reset_empties_world_outbox_journal_and_forced_outcomes(faceid, mock_providers):
    mock_providers.seed({"face": [{"name": "王五", "id_number": ID}]})
    mock_providers.next_outcome("carrier", "PhoneVerification", "busy")
    mock_providers.fault("sms", "http_5xx", count=5)
    mock_providers.reset()
    assert mock_providers.records()["face"] == []
    assert phone_verification(faceid, "王五", ID, "19900990000").Result == "0"
    assert len(mock_providers.journal()) == 1


def test_face_token_expires_after_7200_seconds(faceid, mock_providers):
    token = detect_auth(faceid, "王五", ID).BizToken
    mock_providers.advance_clock(7201)
    with pytest.raises(TencentCloudSDKException) as err:
        detect_info(faceid, token)
    assert err.value.code == "InvalidParameterValue.BizTokenExpired"
    with pytest.raises(ControlError) as ctl:
        mock_providers.face_complete(token, "pass")
    assert ctl.value.status_code == 410


def test_unknown_biz_token(faceid, mock_providers):
    with pytest.raises(TencentCloudSDKException) as err:
        detect_info(faceid, "NOT-A-TOKEN")
    assert err.value.code == "InvalidParameterValue.BizTokenIllegal"
    with pytest.raises(ControlError) as ctl:
        mock_providers.face_complete("NOT-A-TOKEN", "pass")
    assert ctl.value.status_code == 404


def test_a_phone_outcome_outside_the_list_is_refused_with_the_list(faceid, mock_providers):
    token = detect_auth(faceid, "王五", ID).BizToken
    for outcome, retries in (("maybe", ()), ("pass", ("maybe",))):
        with pytest.raises(ControlError) as ctl:
            mock_providers.face_complete(token, outcome, retries=retries)
        assert ctl.value.status_code == 422 and "liveness_fail" in str(ctl.value.detail)
    assert mock_providers.face_session(token).status == "pending"  # nothing was recorded


def test_openapi_document_lists_protocol_and_control_routes(mock_providers_server):
    doc = httpx.get(mock_providers_server.base_url + "/openapi.json").json()
    for path in ("/", "/deposit/v1/verifications", "/deposit/v1/verifications/{verification_id}"
                 "/confirm", "/_control/journal", "/_control/face/{biz_token}/complete"):
        assert path in doc["paths"]
    outcome = doc["components"]["schemas"]["FaceCompleteIn"]["properties"]["outcome"]
    assert {"pass", "liveness_fail", "face_mismatch"} <= set(outcome["enum"])
    assert httpx.get(mock_providers_server.base_url + "/docs").status_code == 200


def test_default_scenario_personas_verify_through_the_sdk(faceid, mock_providers):
    from provider_calls import bank_4e

    from emulator.personas.loader import load_scenario, provider_records
    from emulator.scenarios import DEFAULT_SCENARIO

    records = provider_records(load_scenario(DEFAULT_SCENARIO))
    counts = mock_providers.seed(records)
    assert counts["carrier"] == len(records["carrier"]) > 0
    person, card = records["carrier"][0], records["bank"][0]
    assert phone_verification(faceid, person["name"], person["id_number"],
                              person["mobile"]).Result == "0"
    assert bank_4e(faceid, card["name"], card["id_number"], card["card_number"],
                   card["mobile"]).Result == "0"
