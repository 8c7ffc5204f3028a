"""The manual's own words (《深圳CA数字证书网厅解锁操作手册》), for features that assert the
service shows them: the text as published, with two kinds of repair written down in
docs/decisions/bdd.md — OCR misreadings of the scanned manual (``OCR_FIXES``) and its
punctuation in full width (the extracted text has ASCII commas, colons and brackets).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The workspace's seed is the source; docs/manual.zh.txt is the committed copy for a checkout
# without it (a test keeps the two identical where both exist).
MANUAL_CANDIDATES = (PROJECT_ROOT.parent / "shared" / "seed" / "szca-unlock-manual.zh.txt",
                     PROJECT_ROOT.parent.parent / "shared" / "seed" / "szca-unlock-manual.zh.txt",
                     PROJECT_ROOT / "docs" / "manual.zh.txt")

OCR_FIXES = {
    "填写解锁他思开提交": "填写解锁信息并提交",  # 第二步: "信息并" scanned as "他思开"
    "以免造成数据中突": "以免造成数据冲突",  # 说明: "冲" scanned as "中"
}
_FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）",
                             "!": "！", "?": "？"})
_QUOTED = re.compile(r'"([^"]+)"')
# The extraction spaces Latin runs inside Chinese ("深圳 CA 官网"); the published text does not.
_CJK = "\u4e00-\u9fff，。：；（）【】“”→"
_SPACE_AT_CJK = re.compile(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])")


def manual_path() -> Path:
    return next((p for p in MANUAL_CANDIDATES if p.is_file()), MANUAL_CANDIDATES[-1])


@lru_cache(maxsize=1)
def manual_text() -> str:
    return manual_path().read_text(encoding="utf-8")


def as_published(text: str) -> str:
    """The manual's sentence as the service must show it: OCR repaired, full-width marks."""
    for wrong, right in OCR_FIXES.items():
        text = text.replace(wrong, right)
    text = _QUOTED.sub(r"“\1”", text).translate(_FULL_WIDTH)
    return _SPACE_AT_CJK.sub("", text)


def guide_sentence(heading: str) -> str:
    """One paragraph of the 解锁指南 (PER-MR-2 screenshot): 注意, 第一步 … 说明."""
    match = re.search(rf"^{heading}: (.+)$", manual_text(), re.MULTILINE)
    if match is None:
        raise LookupError(f"the manual has no 解锁指南 paragraph 「{heading}」")
    return as_published(match.group(1).strip())


GUIDE_HEADINGS = ("注意", "第一步", "第二步", "第三步", "说明")


def agreement_checkboxes() -> list[str]:
    """The two ticks of *-2 as the manual shows them (我同意接受《…》《…》 / 《…》)."""
    line = re.search(r"^② 我同意接受(.+?)② 我同意接受(《[^》]+》)", manual_text(), re.MULTILINE)
    if line is None:
        raise LookupError("the manual shows no agreement ticks")
    return [f"我同意接受{line.group(1).strip()}", f"我同意接受{line.group(2).strip()}"]


def customer_service() -> dict[str, str]:
    """五、客户服务: the site, the hotline and the online channels, as published."""
    text = manual_text()
    section = text[text.index("### 五、客户服务"):]
    online = re.search(r"在线客服: (.+?发起咨询)", section)
    assert online is not None
    return {"site": "www.szca.com", "hotline": "400-112-3838",
            "online": as_published(online.group(1).replace("www. szca. com", "www.szca.com"))}
