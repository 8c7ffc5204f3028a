"""``系统提示…``: each refusal the features name, as the error code(s) the service answers
and the words the Chinese message must contain (so copy edits do not break the features,
but a generic "操作失败" does)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .context import Ctx


@dataclass(frozen=True)
class Refusal:
    codes: str  # regex over the error code
    words: tuple[str, ...]  # each must appear in message + help
    status: tuple[int, ...] = ()


REFUSALS: dict[str, Refusal] = {
    "验证码不正确": Refusal(r"otp\.mismatch", ("验证码",)),
    "验证码已过期": Refusal(r"otp\.expired", ("验证码", "过期")),
    "验证码错误次数过多": Refusal(r"otp\.(exhausted|locked|attempts.*|too_many.*)", ("验证码",)),
    "请稍后再获取验证码": Refusal(r"otp\.resend_too_soon", ("验证码",), (429,)),
    "须先同意全部服务协议": Refusal(r"agreements?[._](required|incomplete|missing)",
                                 ("勾选", "《")),
    "未找到该证书": Refusal(r"certificate[._]not_found", ("证书",), (404,)),
    "法人信息与登记信息不一致": Refusal(r"(legal_rep|identity)[._]mismatch",
                                    ("法定代表人|法人", "不一致")),
    "填写的身份信息与证书持有人不一致": Refusal(r"(holder|identity)[._]mismatch", ("证书",)),
    "业务单当前状态不能解锁": Refusal(r"(order\.illegal_transition|not_verified|not_approved)",
                                    ("业务单",), (409,)),
    "数据冲突,请刷新网页后重新操作": Refusal(r"data_conflict", ("数据冲突", "刷新"), (409,)),
    "运营商实名信息与填写的不一致,而不是笼统的验证失败": Refusal(
        r"carrier_mismatch", ("(运营商|中国移动|中国联通|中国电信)", "不一致")),
    "银行卡预留手机号码与填写的不一致": Refusal(r"bank_mobile_mismatch", ("预留",)),
    "身份核验服务暂时不可用,请稍后再试": Refusal(r"provider\.carrier\.unavailable|carrier_.*",
                                              ("稍后",), (502, 503)),
    "打款随机码不正确": Refusal(r"(provider\.)?deposit\.code_mismatch", ("随机码", "财务")),
    "人脸验证未通过": Refusal(r"(face_.*)?", ("活体检测未通过|人脸验证未通过",)),
    "本次验证已结束,须重新发起验证": Refusal(r"verification_closed", ("重新",)),
    "新密码不能全部是同一个字符": Refusal(r"pin\.all_same", ("同一个字符",)),
    "新密码不能是连续的数字": Refusal(r"pin\.sequence", ("连续",)),
    "新密码长度不符合要求": Refusal(r"pin\.length", ("长度",)),
}


def _failed_verification(ctx: Ctx) -> tuple[str, str] | None:
    """A face check fails on the result page (200 with the verification marked failed)."""
    answer = ctx.attempt
    if answer is None or not answer.ok or not isinstance(answer.body, dict):
        return None
    verification = answer.body.get("verification") or {}
    if verification.get("status") != "failed":
        return None
    return str(verification.get("code") or ""), str(verification.get("message"))


def assert_refusal(ctx: Ctx, what: str) -> None:
    expected = REFUSALS[what]
    failed = _failed_verification(ctx)
    if failed is not None:
        code, shown = failed
    else:
        assert ctx.attempt is not None and not ctx.attempt.ok, \
            f"expected the refusal 「{what}」, got {ctx.attempt}"
        code, shown = str(ctx.attempt.error.get("code")), ctx.attempt.text()
        if expected.status and ctx.attempt.status is not None:
            assert ctx.attempt.status in expected.status, ctx.attempt
    assert re.fullmatch(expected.codes, code), f"「{what}」: code {code!r}, message {shown!r}"
    for word in expected.words:
        assert re.search(word, shown), f"「{what}」: {word!r} not in {shown!r}"
