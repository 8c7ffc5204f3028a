"""The unlock guide (解锁指南) and the three agreements the user must accept (*-2), ticked
in the manual's two checkboxes.

Versions are recorded with each acceptance; publishing a new text means a new
version here, and users must accept it again before they can proceed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Agreement:
    id: str
    title: str
    version: str


AGREEMENTS: tuple[Agreement, ...] = (
    Agreement("esign_service", "《电子认证服务协议》", "2025.1"),
    Agreement("personal_info", "《个人信息授权书》", "2025.1"),
    Agreement("sensitive_personal_info", "《敏感个人信息授权书》", "2025.1"),
)
AGREEMENTS_BY_ID = {a.id: a for a in AGREEMENTS}


@dataclass(frozen=True)
class Checkbox:
    """One tick of the page (*-2): the manual shows two, the first covering two agreements."""

    name: str
    label: str
    agreement_ids: tuple[str, ...]


CHECKBOXES: tuple[Checkbox, ...] = (
    Checkbox("agree_service", "我同意接受《电子认证服务协议》《个人信息授权书》",
             ("esign_service", "personal_info")),
    Checkbox("agree_sensitive", "我同意接受《敏感个人信息授权书》", ("sensitive_personal_info",)),
)

GUIDE_TITLE = "解锁指南"
# The manual's 解锁指南 (PER-MR-2 screenshot) word for word, in full-width punctuation, with
# two misreadings of the scanned manual repaired (docs/decisions/bdd.md). 第三步 keeps the
# manual's browser advice: it is the CA's published text.
GUIDE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("注意", "请仔细阅读网上解锁准备步骤，如确定已经做好解锁准备，可以直接下拉页面到底部，"
             "点击解锁按钮，进入解锁。"),
    ("第一步", "输入证书序列号，确认需解锁的证书，点击下方“进入解锁”。"),
    ("第二步", "填写解锁信息并提交，待审核通过后会发送审核通过短信。"),
    ("第三步", "双击打开深圳CA驱动程序（数字证书管理工具），插入准备解锁的U-KEY，"
               "用Internet Explorer浏览器登录，进入解锁页面进行解锁（如遇到控件拦截，"
               "需要全部运行控件）。"),
    ("说明", "如果你同时为多家企业证书进行解锁，请操作第一家更新完毕后，刷新网页，"
             "再插入第二家的企业证书进行解锁，以免造成数据冲突。"),
)
UNLOCK_MODES: tuple[tuple[str, str, str], ...] = (
    ("realtime", "实时解锁",
     "按系统提示填写相关信息，选择合适的认证方式，依次完成企业及经办人/本人身份认证。"),
    ("manual", "人工审核解锁",
     "按系统提示填写相关信息，并上传所需证明材料，提交后等待深圳CA审核人员处理。"),
)
