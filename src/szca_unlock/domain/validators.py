"""Format rules for what users type: resident ID, credit code, mobile, bank card, name, e-mail.

Pure functions. Each validator returns the normalised value (or a typed result) and raises
``ValidationError`` with a stable code and a Chinese message that says how to fix the input.
Messages never echo the value: it may be personal data.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from szca_unlock.domain.errors import ValidationError

# GB/T 2260 province-level codes. 71 台湾, 81 香港, 82 澳门 as in GB/T 2260; 83 is used by the
# residence permits of Taiwan residents (港澳台居民居住证, same number format since 2018).
PROVINCES: dict[str, str] = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古",
    "21": "辽宁", "22": "吉林", "23": "黑龙江",
    "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
    "37": "山东",
    "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏",
    "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆",
    "71": "台湾", "81": "香港", "82": "澳门", "83": "台湾居民居住证",
}  # fmt: skip

# GB 32100-2015 table 1: registration department -> organisation types it may assign.
USCC_ORG_TYPES: dict[str, frozenset[str]] = {
    "1": frozenset("1239"),  # 机构编制: 机关, 事业单位, 编办直管群众团体, 其他
    "2": frozenset("19"),  # 外交: 外国常驻新闻机构, 其他
    "3": frozenset("123459"),  # 司法行政: 律所, 公证处, 基层法律服务所, 司法鉴定, 仲裁委, 其他
    "4": frozenset("19"),  # 文化: 外国在华文化中心, 其他
    "5": frozenset("1239"),  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": frozenset("129"),  # 旅游: 外国/港澳台旅游部门常驻代表机构, 其他
    "7": frozenset("129"),  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": frozenset("19"),  # 工会: 基层工会, 其他
    "9": frozenset("123"),  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": frozenset("19"),  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": frozenset("1239"),  # 农业: 组级/村级/乡镇级集体经济组织, 其他
    "Y": frozenset("1"),  # 其他
}
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK_CHARS = "10X98765432"
ID_MIN_BIRTH_DATE = date(1900, 1, 1)


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


# --- check characters (also used by the test-data generators) -------------------------------


def resident_id_check_char(body: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits (GB 11643-1999)."""
    return _ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def org_code_check_char(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_check_char(body: str) -> str:
    """GB 32100 MOD 31 check character of the first 17 characters."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[-total % 31]


def luhn_check_digit(body: str) -> str:
    """The Luhn digit to append to ``body`` (ISO/IEC 7812)."""
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str(-total % 10)


# --- masking ---------------------------------------------------------------------------------


def _mask_tail(value: str, keep: int = 4) -> str:
    return "*" * max(len(value) - keep, 0) + value[-keep:]


def mask_id_number(value: str) -> str:
    return _mask_tail(value)


def mask_mobile(value: str) -> str:
    return _mask_tail(value)


def mask_bank_card(value: str) -> str:
    return _mask_tail(value)


def mask_uscc(value: str) -> str:
    return _mask_tail(value)


def mask_person_name(name: str) -> str:
    """吴泽萍 → 吴*萍, 黄伟 → 黄*: enough for the holder to recognise, not to identify."""
    if len(name) <= 2:
        return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# --- shared helpers --------------------------------------------------------------------------


def _fail(field: str, rule: str, message: str) -> ValidationError:
    return ValidationError(f"{field}.{rule}", message, field)


def _clean(value: object, field: str, required_message: str) -> str:
    """Full-width to half-width (NFKC), outer blanks stripped; None or blank is 'required'."""
    text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else ""
    if not text:
        raise _fail(field, "required", required_message)
    return text


# --- resident ID -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    gender: Gender

    @property
    def area_code(self) -> str:
        return self.number[:6]

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)

    def __repr__(self) -> str:  # keep the full number out of logs and tracebacks
        return f"ResidentId(number={self.masked!r})"


def validate_resident_id(
    value: object, *, today: date | None = None, field: str = "id_number"
) -> ResidentId:
    """A GB 11643-1999 resident ID number; lower-case ``x`` is accepted and returned as ``X``."""
    number = _clean(value, field, "请输入身份证号码").upper()
    if len(number) != 18:
        raise _fail(field, "length", "身份证号码应为18位（不支持15位旧号码），请核对后重新输入")
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise _fail(field, "format", "身份证号码只能由数字和末位的X组成，请核对后重新输入")
    if number[:2] not in PROVINCES:
        raise _fail(field, "area", "身份证号码前6位地区码不正确，请核对后重新输入")
    birth = _id_birth_date(number, today or date.today(), field)
    if resident_id_check_char(number[:17]) != number[17]:
        raise _fail(field, "checksum", "身份证号码校验位不正确，请核对后重新输入")
    gender = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
    return ResidentId(number, birth, gender)


def _id_birth_date(number: str, today: date, field: str) -> date:
    digits = number[6:14]
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise _fail(
            field, "birth_date", "身份证号码中的出生日期（第7至14位）不是有效日期，请核对后重新输入"
        ) from None
    if birth > today:
        raise _fail(field, "birth_date_future", "身份证号码中的出生日期晚于今天，请核对后重新输入")
    if birth < ID_MIN_BIRTH_DATE:
        raise _fail(
            field, "birth_date_too_early", "身份证号码中的出生日期早于1900年，请核对后重新输入"
        )
    return birth


# --- unified social credit code --------------------------------------------------------------


def validate_uscc(value: object, *, field: str = "uscc") -> str:
    """A GB 32100-2015 unified social credit code, returned upper-case."""
    code = _clean(value, field, "请输入统一社会信用代码").upper()
    if len(code) != 18:
        raise _fail(field, "length", "统一社会信用代码应为18位，请对照营业执照核对后重新输入")
    if any(c not in USCC_CHARSET for c in code):
        raise _fail(
            field,
            "charset",
            "统一社会信用代码只能包含数字和大写字母（不含I、O、S、V、Z），请核对后重新输入",
        )
    org_types = USCC_ORG_TYPES.get(code[0])
    if org_types is None:
        raise _fail(
            field, "registration_dept", "统一社会信用代码第1位（登记管理部门代码）不正确，请核对"
        )
    if code[1] not in org_types:
        raise _fail(field, "org_type", "统一社会信用代码第2位（机构类别代码）不正确，请核对")
    # 100000 is the national level (国家), used by organisations registered centrally.
    if not code[2:8].isdigit() or (code[2:4] not in PROVINCES and code[2:8] != "100000"):
        raise _fail(
            field, "area", "统一社会信用代码第3至8位（登记管理机关行政区划码）不正确，请核对"
        )
    if org_code_check_char(code[8:16]) != code[16]:
        raise _fail(
            field, "org_code", "统一社会信用代码第9至17位（组织机构代码）校验不正确，请核对"
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise _fail(field, "checksum", "统一社会信用代码校验位不正确，请核对后重新输入")
    return code


# --- mobile, bank card -----------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s\-]")


def validate_mobile(value: object, *, field: str = "mobile") -> str:
    """A mainland China mobile number; spaces, dashes and a +86/0086 prefix are removed."""
    number = _SEPARATORS.sub("", _clean(value, field, "请输入手机号码"))
    number = re.sub(r"^(?:\+86|0086|86(?=[0-9]{11}$))", "", number)
    if not re.fullmatch(r"1[3-9][0-9]{9}", number):
        raise _fail(field, "format", "手机号码格式不正确，请输入11位中国大陆手机号码")
    return number


def validate_bank_card(value: object, *, field: str = "bank_card") -> str:
    """A bank card number: 12 to 19 digits with a valid Luhn check digit."""
    number = _SEPARATORS.sub("", _clean(value, field, "请输入银行卡号"))
    if not number.isdigit() or not number.isascii():
        raise _fail(field, "format", "银行卡号只能包含数字，请核对后重新输入")
    if not 12 <= len(number) <= 19:
        raise _fail(field, "length", "银行卡号应为12至19位数字，请核对后重新输入")
    if luhn_check_digit(number[:-1]) != number[-1]:
        raise _fail(field, "checksum", "银行卡号校验不正确，请核对卡号后重新输入")
    return number


# --- names, e-mail ---------------------------------------------------------------------------

_DOT_VARIANTS = str.maketrans(dict.fromkeys("•‧・･⋅∙．", "·"))
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CHINESE_NAME = re.compile(rf"[{_HAN}]+(?:·[{_HAN}]+)*")
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin-1 and Extended-A/B letters
_LATIN_NAME = re.compile(rf"[{_LATIN}]+(?:(?:[ '\-]|\. ?)[{_LATIN}]+)*\.?")
_NAME_FORMAT_MESSAGE = (
    "姓名只能是汉字（少数民族姓名可用间隔号“·”分隔）或英文字母，请按证件上的姓名填写"
)


def validate_person_name(value: object, *, field: str = "name") -> str:
    """A person's name as on the ID: 2-30 Chinese characters (with ·) or a latin name."""
    # Not NFKC: it would rewrite CJK compatibility ideographs that appear in real names.
    name = value.strip().translate(_DOT_VARIANTS) if isinstance(value, str) else ""
    if not name:
        raise _fail(field, "required", "请输入姓名")
    if _CHINESE_NAME.fullmatch(name):
        if not 2 <= len(name) <= 30:
            raise _fail(field, "length", "中文姓名应为2至30个字，请按证件上的姓名填写")
        return name
    name = re.sub(r"\s+", " ", name)
    if _LATIN_NAME.fullmatch(name):
        if not 2 <= len(name) <= 60:
            raise _fail(field, "length", "英文姓名应为2至60个字符，请按证件上的姓名填写")
        return name
    raise _fail(field, "format", _NAME_FORMAT_MESSAGE)


_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_DNS_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def validate_email(value: object, *, field: str = "email") -> str:
    """An e-mail address (dot-atom local part, DNS host name); the domain is lower-cased."""
    address = _clean(value, field, "请输入电子邮箱")
    local, at, domain = address.rpartition("@")
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        ascii_domain = ""
    labels = ascii_domain.split(".")
    valid = (
        bool(at)
        and len(local) <= 64
        and _EMAIL_LOCAL.fullmatch(local) is not None
        and len(labels) >= 2
        and all(_DNS_LABEL.fullmatch(label) for label in labels)
        and not labels[-1].isdigit()
        and len(local) + 1 + len(ascii_domain) <= 254
    )
    if not valid:
        raise _fail(field, "format", "电子邮箱格式不正确，请输入如 name@example.com 的地址")
    return f"{local}@{domain.lower()}"
