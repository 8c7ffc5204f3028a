"""The applicant's client takes a success only when its body is the documented model."""

from __future__ import annotations

import httpx
import pytest

from szca_unlock.api.errors import ApiUnavailable
from szca_unlock.client import ServiceClient


def _client(body: object) -> ServiceClient:
    def respond(_: httpx.Request) -> httpx.Response:
        if isinstance(body, str):
            return httpx.Response(200, text=body)
        return httpx.Response(200, json=body)

    return ServiceClient("http://svc.test", "tok", transport=httpx.MockTransport(respond))


def test_a_documented_answer_is_parsed_into_its_model() -> None:
    me = _client({"role": "applicant", "mobile_masked": "138****0001",
                  "expires_at": "2026-12-03T10:00:00Z", "agreements_accepted": True}).me()
    assert (me.role, me.mobile_masked, me.agreements_accepted) == ("applicant", "138****0001",
                                                                   True)


@pytest.mark.parametrize("body", [{"orders": "none"}, ["O-1"], "<html>维护中</html>"])
def test_an_answer_that_is_not_the_model_is_unavailable_not_a_crash(body: object) -> None:
    with pytest.raises(ApiUnavailable) as err:
        _client(body).list_orders()
    assert (err.value.code, err.value.message) == ("unreadable_answer",
                                                   "网厅服务返回了无法识别的数据")
