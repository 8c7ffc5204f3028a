"""The root of every domain error: a stable machine code plus a Chinese message for the user.

Other subsystems subclass ``DomainError``; keep this module tiny and stable.
"""

from __future__ import annotations

# C-6, one wording wherever a key or certificate other than the order's is refused (the
# service, the unlock authority, the agent): what happened, that nothing was reset, what to do.
DATA_CONFLICT_MESSAGE = ("数据冲突：当前操作的U-KEY或证书与本业务单不一致，解锁未执行。"
                         "请完成或取消当前证书的解锁后刷新网页，每次只插入一个U-KEY重新操作。")


class DomainError(Exception):
    """A rule of the business was broken.

    ``code`` is stable and machine-readable (``"id_number.checksum"``); ``message`` is shown to
    the user as is, says what is wrong and how to fix it, and never echoes personal data;
    ``field`` names the form field at fault, if any.
    """

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, field={self.field!r})"


class ValidationError(DomainError):
    """A value typed or uploaded by the user does not meet its format rules."""
