"""ORG-MR-5 / PER-MR-5: every field checked on its own, with a Chinese message naming it."""

from __future__ import annotations

from typing import Any

import pytest
from mr_flows import Applicant, org_form, personal_form

from emulator.personas import Scenario
from emulator.testing.api import Api

ORG_CASES: list[tuple[dict[str, Any], str, str]] = [
    ({"org_name": ""}, "org_name", "请填写机构名称"),
    ({"org_name": "深圳市另一家科技有限公司"}, "org_name", "机构名称与证书登记的单位名称不一致"),
    ({"org_id_type": "营业执照"}, "org_id_type", "统一社会信用代码证"),
    ({"org_id_number": "914403048FU52TUK75"}, "org_id_number", "校验位不正确"),
    ({"org_id_number": "91440300359184766G"}, "org_id_number", "不一致"),
    ({"fee": "100"}, "fee", "费用（元）应为0"),
    ({"province": "广东"}, "province", "请选择正确的省市"),
    ({"city": "杭州市"}, "city", "请选择正确的省市"),
    ({"address": " "}, "address", "请填写单位地址"),
    ({"operator_name": "刘晓燕123"}, "operator_name", "姓名只能是汉字"),
    ({"operator_id_number": "440305199103062320"}, "operator_id_number", "校验位不正确"),
    ({"operator_mobile": "1955795699"}, "operator_mobile", "手机号码格式不正确"),
    ({"operator_title": None}, "operator_title", "请填写职务"),
    ({"operator_email": "liuxiaoyan@"}, "operator_email", ""),
    ({"applicant_name": "黄伟"}, "applicant_name", "机构证书无需填写"),
]


@pytest.mark.parametrize(("change", "field", "words"), ORG_CASES)
def test_org_form_field_by_field(api: Api, scenario: Scenario, change: dict[str, Any],
                                 field: str, words: str) -> None:
    company = scenario.companies["pengcheng"]
    api.login(company.operator.mobile)
    me = Applicant(api)
    order_no = me.open(scenario.certificate("org"))
    error = api.error("PUT", f"/orders/{order_no}/manual/form", 422,
                      json=org_form(company, **change))
    assert error["field"] == field
    assert words in error["message"]
    assert me.page(order_no)["fields"] is None  # nothing saved


def test_org_form_is_saved_normalised(api: Api, scenario: Scenario) -> None:
    company = scenario.companies["pengcheng"]
    api.login(company.operator.mobile)
    me = Applicant(api)
    order_no = me.open(scenario.certificate("org"))
    page = me.fill(order_no, org_form(company, org_id_number=company.uscc.lower(),
                                      operator_mobile="+86 " + company.operator.mobile,
                                      fee=0, org_id_type=None))
    fields = page["fields"]
    assert fields["org_id_number"] == company.uscc
    assert fields["operator_mobile"] == company.operator.mobile
    assert (fields["fee"], fields["org_id_type"]) == (0, "统一社会信用代码证")
    assert page["form_revision"] == 1
    assert me.fill(order_no, org_form(company))["form_revision"] == 1  # unchanged: same one


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"applicant_name": "黄伟伟"}, "applicant_name", "与证书登记信息不一致"),
    ({"applicant_id_number": "440305199103062329"}, "applicant_id_number",
     "与证书登记信息不一致"),
    ({"applicant_mobile": ""}, "applicant_mobile", "请输入手机号码"),
    ({"org_name": "x"}, "org_name", "自然人证书无需填写"),
])
def test_personal_form_must_match_the_holder(api: Api, scenario: Scenario,
                                             change: dict[str, Any], field: str,
                                             words: str) -> None:
    holder = scenario.people["citizen"]
    api.login(holder.mobile)
    order_no = Applicant(api).open(scenario.certificate("natural"))
    error = api.error("PUT", f"/orders/{order_no}/manual/form", 422,
                      json=personal_form(holder, **change))
    assert error["field"] == field and words in error["message"]


def test_regions_come_from_the_national_list(api: Api) -> None:
    provinces = api.ok("GET", "/regions")["provinces"]
    assert provinces[0] == "北京市" and "广东省" in provinces and len(provinces) == 34
    assert "深圳市" in api.ok("GET", "/regions/广东省")["cities"]
    assert api.error("GET", "/regions/广东", 422)["field"] == "province"


def test_a_realtime_order_has_no_manual_pages(api: Api, scenario: Scenario) -> None:
    holder = scenario.people["citizen"]
    api.login(holder.mobile)
    order = api.ok("POST", "/orders", json={"certificate_serial": "5A1C0E2B7D3F0003",
                                            "mode": "realtime"})
    error = api.error("GET", f"/orders/{order['order_no']}/manual", 409)
    assert error["code"] == "not_manual"
