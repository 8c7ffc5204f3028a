"""The unlock guide (解锁指南) and the three agreements the user must accept (*-2).

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

GUIDE_TITLE = "解锁指南"
# Wording from the manual (PER-MR-2 / 一、解锁流程 特别说明).
GUIDE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("注意", "请仔细阅读网上解锁准备步骤,如确定已经做好解锁准备,可以直接下拉页面到底部,"
             "点击解锁按钮,进入解锁。"),
    ("第一步", "输入证书序列号,确认需解锁的证书,点击下方“进入解锁”。"),
    ("第二步", "选择实时解锁或人工审核解锁,填写解锁信息并完成认证;人工审核解锁提交后,"
               "待审核通过后会发送审核通过短信。"),
    ("第三步", "打开深圳CA驱动程序(数字证书管理工具),插入准备解锁的U-KEY,"
               "进入解锁页面点击“立即解锁”,设置新密码。"),
    ("说明", "如果你同时为多家企业证书进行解锁,请操作第一家更新完毕后,刷新网页,"
             "再插入第二家的企业证书进行解锁,以免造成数据冲突。"),
)
UNLOCK_MODES: tuple[tuple[str, str, str], ...] = (
    ("realtime", "实时解锁",
     "按系统提示填写相关信息,选择合适的认证方式,依次完成企业及经办人/本人身份认证"),
    ("manual", "人工审核解锁",
     "按系统提示填写相关信息,并上传所需证明材料,提交后等待深圳CA审核人员处理"),
)
