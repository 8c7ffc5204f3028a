"""The root of every domain error: a stable machine code, a Chinese message for the user,
optionally where to get help, and the HTTP status the service answers it with.

Other subsystems subclass ``DomainError`` and declare ``status`` on the class; keep this
module tiny and stable.
"""

from __future__ import annotations

from typing import ClassVar

# CS-1: where users who are stuck get help (manual, 五、客户服务).
# The hotline, the site and the two online channels, in the manual's words.
CS_HELP = ("如需帮助，请拨打深圳CA人工服务热线400-112-3838（官方网址www.szca.com），"
           "或在线客服：登录深圳CA官网www.szca.com，点击右上角的【在线客服】"
           "或者关注深圳CA公众号SZCA6688→【联系我们】→【在线客服】发起咨询。")

# C-6, one wording wherever a key or certificate other than the order's is refused (the
# service, the unlock authority, the agent): what happened, that nothing was reset, what to do.
DATA_CONFLICT_MESSAGE = ("数据冲突：当前操作的U-KEY或证书与本业务单不一致，解锁未执行。"
                         "请完成或取消当前证书的解锁后刷新网页，每次只插入一个U-KEY重新操作。")


class DomainError(Exception):
    """A rule of the business was broken.

    ``code`` is stable and machine-readable (``"id_number.checksum"``); ``message`` is shown to
    the user as is, says what is wrong and how to fix it, and never echoes personal data;
    ``field`` names the form field at fault, if any; ``help`` where to get help (CS-1),
    when the user cannot get on alone. ``status`` is the HTTP status of the answer: a
    business rule refused (400) unless the class says otherwise.
    """

    status: ClassVar[int] = 400

    def __init__(self, code: str, message: str, field: str | None = None, *,
                 help: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.help = help

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, field={self.field!r})"


class ValidationError(DomainError):
    """A value typed or uploaded by the user does not meet its format rules."""

    status = 422
