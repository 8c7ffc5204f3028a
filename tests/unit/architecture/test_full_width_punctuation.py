"""Every Chinese text a user reads (service errors, pages, views, the agent and the CLIs, the
mock providers' pages) uses full-width punctuation: ，。：；！？（）. The manual is the model
(emulator.bdd.manual publishes its extracted text full-width), and a message that mixes
"失败,请" with "失败，请" reads as careless. The scan (``full_width.py``, next to this file:
``python tests/unit/architecture/full_width.py --fix`` rewrites what it finds) covers Python
string literals except docstrings and raw strings, and templates and scripts line by line."""

from __future__ import annotations

import pytest
from full_width import fixed, scan, violations


def test_chinese_texts_use_full_width_punctuation() -> None:
    problems = scan()
    assert not problems, (f"{len(problems)} ASCII marks in Chinese text (use ，。：；！？（）; "
                          "python tests/unit/architecture/full_width.py --fix):\n"
                          + "\n".join(problems))


@pytest.mark.parametrize(("text", "expected"), [
    ("验证失败,请重试", "验证失败，请重试"),
    ("提示: 请先登录", "提示：请先登录"),
    ("已完成.", "已完成。"),
    ("证书(机构)", "证书（机构）"),
    ("请插入 U-KEY (数字证书)", "请插入 U-KEY（数字证书）"),
    ("联系客服(400-112-3838)", "联系客服（400-112-3838）"),
    ("深圳CA,请", "深圳CA，请"),
    ("第1步:请插入", "第1步：请插入"),
    ("完成!", "完成！"),
    ("是否继续?", "是否继续？"),
    ("验证码已发送至{mobile}:请查收", "验证码已发送至{mobile}：请查收"),
    ("请求失败(%s)", "请求失败（%s）"),
])
def test_marks_in_chinese_text_are_found_and_made_full_width(text: str, expected: str) -> None:
    assert violations(text), text
    assert fixed(text) == expected
    assert not violations(expected)


@pytest.mark.parametrize("text", [
    "验证失败，请重试", "官网 www.szca.com 右上角", "申请表.pdf", "转账0.01元",
    "请求失败：%s", "业务单 {order_no}：已提交", "send the code, then log in",
    "^第(\\d+)步", "（U-KEY）", "12:30 到期", "http://127.0.0.1:8400/login 登录",
    "%(count)s 项", "第(一)步|第(二)步", "{when:%Y-%m-%d}到期",
])
def test_urls_numbers_placeholders_patterns_and_full_width_pass(text: str) -> None:
    assert not violations(text), violations(text)
    assert fixed(text) == text
