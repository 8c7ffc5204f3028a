import dataclasses

from szca_unlock.documents import authorization_letter as letters
from szca_unlock.documents.authorization_letter import (
    LETTER_VERSION,
    AuthorizationLetterData,
    build_authorization_letter,
)

DATA = AuthorizationLetterData(
    organisation_name="深圳市示例科技有限公司",
    uscc="91440300MA5DC6QX9X",
    operator_name="张三",
    operator_id_number="11010519491231002X",
    operator_mobile="13800138000",
)


def test_letter_has_the_manuals_fields_in_order():
    letter = build_authorization_letter(DATA)
    assert [f.label for f in letter.fields] == [
        "委托单位", "统一社会信用代码", "经办人姓名", "身份证号", "手机号"]
    assert letter.fields[0].value == "深圳市示例科技有限公司"
    assert letter.title == "单位授权委托书"


def test_id_number_is_masked_when_displayed():
    text = build_authorization_letter(DATA).as_text()
    assert "11010519491231002X" not in text
    assert "**************002X" in text


def test_unmasked_only_on_request():
    text = build_authorization_letter(DATA, mask=False).as_text()
    assert "身份证号：11010519491231002X" in text


def test_authorisation_paragraph_reads_like_the_manual():
    text = build_authorization_letter(DATA).as_text()
    assert "本单位授权上述经办人代办本单位数字证书的有关事宜" in text
    assert "由此在法律上产生的权利、义务均由委托人享有和承担" in text
    assert "愿意承担由此引起的一切后果及承担相关法律责任" in text


def test_version_is_recorded_and_changes_with_the_wording(monkeypatch):
    letter = build_authorization_letter(DATA)
    assert letter.version == LETTER_VERSION
    assert letter.as_dict()["version"] == LETTER_VERSION
    monkeypatch.setattr(letters, "PARAGRAPHS", (*letters.PARAGRAPHS[:1], "改过的文字"))
    assert letters._version() != LETTER_VERSION


def test_letter_is_immutable():
    letter = build_authorization_letter(DATA)
    try:
        letter.fields[0].value = "别的单位"  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("letter fields must be frozen")
