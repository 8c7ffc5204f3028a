"""Every documented result code (the table in docs/providers.md, rendered from
``emulator.mock_providers.catalogue``) comes out of the official Python SDK and the official
Node.js SDK alike, by its magic value and by the control API; both SDKs hand their caller the
same documented fields with the same values, and nothing the docs do not name."""

from __future__ import annotations

from typing import Any

import pytest
from sdk_runner import SDKS, node_available, run
from tencentcloud.faceid.v20180301 import models as faceid_models
from tencentcloud.sms.v20210111 import models as sms_models

from emulator.mock_providers import catalogue
from emulator.mock_providers.catalogue import FACE_QUERY, Row

ROWS = catalogue.rows()
BASE = {"SendSms": catalogue.SMS_BASE, "PhoneVerification": catalogue.CARRIER_BASE,
        "BankCard4EVerification": catalogue.BANK_BASE,
        "GetDetectInfoEnhanced": {**catalogue.FACE_BASE, "IdCard": catalogue.ID}}
# Fields that differ on every call by design (ids, times) are checked for shape, then blanked.
VOLATILE = {"RequestId", "BizToken", "Url", "SerialNo", "ReqTime", "Seq"}
# The SDK models document each answer's fields; nested objects by their model.
MODELS = {"SendSms": sms_models.SendSmsResponse,
          "PhoneVerification": faceid_models.PhoneVerificationResponse,
          "BankCard4EVerification": faceid_models.BankCard4EVerificationResponse,
          "GetDetectInfoEnhanced": faceid_models.GetDetectInfoEnhancedResponse}
NESTED = {"SendStatusSet": sms_models.SendStatus, "Text": faceid_models.DetectInfoText,
          "LivenessDetail": faceid_models.DetectDetail,
          "BestFrame": faceid_models.DetectInfoBestFrame,
          "IdCardData": faceid_models.DetectInfoIdCardData}


def _case(row: Row, params: dict[str, Any]) -> dict[str, Any]:
    if row.action == "GetDetectInfoEnhanced":
        return {"service": "faceid", "action": "DetectAuth", "params": params,
                "then": {"action": "GetDetectInfoEnhanced", "params": FACE_QUERY,
                         "carry": ["BizToken"]}}
    return {"service": row.service, "action": row.action, "params": params}


def _problems(row: Row, answer: dict[str, Any]) -> list[str]:
    """What in ``answer`` disagrees with the row (empty when it all matches)."""
    if not answer["ok"]:
        return [f"{row.outcome}: refused {answer['error']}"]
    response = answer["response"]
    if row.field == "SendStatusSet[].Code":
        got: dict[str, Any] = response["SendStatusSet"][0]
    elif row.field == "Result":
        got = response
    else:
        got = response["Text"]
    code = got.get("Code", got.get("Result", got.get("ErrCode")))
    problems = [] if str("null" if code is None else code) == row.code else [
        f"{row.outcome}: {row.field} {code!r} != {row.code}"]
    for name, value in row.extra.items():
        if name == "stage":
            problems += _stage_problems(row, got)
        elif got.get(name) != value:
            problems.append(f"{row.outcome}: {name} {got.get(name)!r} != {value!r}")
    return problems


def _stage_problems(row: Row, text: dict[str, Any]) -> list[str]:
    code = int(row.code)
    live, compare = text.get("LiveStatus"), text.get("Comparestatus")
    expected = {"system": (None, None), "wechat": (None, None), "liveness": (code, None),
                "compare": (0, code)}[row.extra["stage"]]
    if code == 0:
        expected = (0, 0)
    return [] if (live, compare) == expected else [
        f"{row.outcome}: LiveStatus/Comparestatus {(live, compare)} != {expected}"]


def _undocumented(value: Any, model: type, path: str) -> list[str]:
    documented = {k.lstrip("_") for k in vars(model())}
    found = []
    for key, inner in value.items():
        if key not in documented:
            found.append(f"{path}.{key}")
        elif key in NESTED and isinstance(inner, dict):
            found += _undocumented(inner, NESTED[key], f"{path}.{key}")
        elif key in NESTED and isinstance(inner, list):
            for i, item in enumerate(inner):
                found += _undocumented(item, NESTED[key], f"{path}.{key}[{i}]")
    return found


def _normalised(value: Any) -> Any:
    """Drop nulls (the Python SDK fills every model field, Node passes the JSON through) and
    blank the per-call identifiers after checking they are there."""
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            if inner is None:
                continue
            if key in VOLATILE:
                assert isinstance(inner, str), (key, inner)
                out[key] = "<set>" if inner else ""
            else:
                out[key] = _normalised(inner)
        return out
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    return value


def test_every_result_code_by_magic_value_in_both_sdks(mock_providers_server, mock_providers):
    if why := node_available():
        pytest.fail(why)
    cases = [_case(row, row.magic) for row in ROWS]
    answers = {sdk: run(sdk, cases, mock_providers_server.endpoint) for sdk in SDKS}
    problems = []
    for i, row in enumerate(ROWS):
        py, node = answers["python"][i], answers["node"][i]
        problems += [f"python {p}" for p in _problems(row, py)]
        problems += [f"node {p}" for p in _problems(row, node)]
        if py["ok"] and node["ok"]:
            if _normalised(py["response"]) != _normalised(node["response"]):
                problems.append(f"{row.action}/{row.outcome}: the SDKs disagree:\n"
                                f"  python {_normalised(py['response'])}\n"
                                f"  node   {_normalised(node['response'])}")
            problems += [f"{row.action}/{row.outcome}: undocumented field {f}"
                         for f in _undocumented(node["response"], MODELS[row.action],
                                                row.action)]
    assert problems == []


@pytest.mark.parametrize("sdk_name", SDKS)
def test_every_result_code_by_the_control_api(mock_providers_server, mock_providers, sdk_name):
    if sdk_name == "node" and (why := node_available()):
        pytest.fail(why)
    for row in ROWS:  # queued per provider/action, consumed in order by the calls below
        mock_providers.next_outcome(row.provider, row.forced_action, row.outcome)
    answers = run(sdk_name, [_case(row, BASE[row.action]) for row in ROWS],
                  mock_providers_server.endpoint)
    problems = [p for row, answer in zip(ROWS, answers, strict=True)
                for p in _problems(row, answer)]
    assert problems == []
