"""Errors of the U-KEY agent: one root per subsystem keeping the raw code, and named
categories the caller can catch whatever the driver.

A concrete error is ``(Category, SubsystemRoot)``, e.g. ``CardPinIncorrect`` is both a
:class:`PinIncorrect` (what happened) and a :class:`CardError` (with ``.sw``). The
category comes first in the bases so its Chinese message wins.
"""

from __future__ import annotations

from typing import ClassVar

from szca_unlock.domain.errors import DATA_CONFLICT_MESSAGE


class UKeyError(Exception):
    """Root of everything the agent raises about a key; ``message`` is for the user."""

    message_zh: ClassVar[str] = "U-KEY 操作失败，请确认 U-KEY 已插好后重试"
    tries_left: int | None = None

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.message_zh
        super().__init__(self.message)


# --- categories -------------------------------------------------------------------------
class NoKeyFound(UKeyError):
    message_zh = "未检测到 U-KEY，请插入 U-KEY 后重试"


class MultipleKeysFound(UKeyError):
    message_zh = "检测到多个 U-KEY，一次只能为一个 U-KEY 解锁，请拔出其他 U-KEY 后刷新重试"


class PinIncorrect(UKeyError):
    message_zh = "U-KEY 密码错误"


class PinBlocked(UKeyError):
    message_zh = "U-KEY 密码已锁定，请通过网厅在线解锁"


class SecurityStatusNotSatisfied(UKeyError):
    message_zh = "请先输入 U-KEY 密码"


class NewPinRejected(UKeyError):
    message_zh = "新密码不符合 U-KEY 的密码规则"


class UnlockConditionsNotSatisfied(UKeyError):
    message_zh = "U-KEY 解锁请求已失效，请重新点击「立即解锁」"


class UnlockCryptogramRefused(UKeyError):
    message_zh = "U-KEY 拒绝了解锁授权，请刷新网页后重新操作"


class UnlockBlocked(UKeyError):
    message_zh = "U-KEY 解锁次数已用尽，该 U-KEY 已永久锁定，请联系深圳 CA 更换"


class NotAUKey(UKeyError):
    message_zh = "插入的智能卡不是深圳 CA U-KEY"


class ObjectNotFound(UKeyError):
    message_zh = "U-KEY 中未找到证书或私钥"


# --- subsystem roots --------------------------------------------------------------------
class CardError(UKeyError):
    """A PC/SC card answered a status word other than 9000 (``.sw``)."""

    message_zh = "U-KEY 返回错误"

    def __init__(self, sw: int, message: str | None = None, *,
                 tries_left: int | None = None) -> None:
        self.sw = sw
        if tries_left is not None:
            self.tries_left = tries_left
        if message is None and type(self) is CardError:  # no category: show the raw code
            message = f"{self.message_zh}（状态字 {sw:04X}）"
        super().__init__(message)


class Pkcs11Error(UKeyError):
    """A PKCS#11 call failed; ``.rv`` is the CKR_ code when known, ``.cause`` the original."""

    message_zh = "U-KEY（PKCS#11）操作失败"

    def __init__(self, cause: BaseException | None = None, rv: int | None = None,
                 message: str | None = None) -> None:
        self.cause = cause
        self.rv = rv
        if message is None and type(self) is Pkcs11Error and cause is not None:
            message = f"{self.message_zh}({type(cause).__name__})"
        super().__init__(message)


class ReaderError(UKeyError):
    """PC/SC itself failed (no service, reader gone, card removed mid-command)."""

    message_zh = "读卡器通信失败，请重新插入 U-KEY 后重试"


# --- concrete (category, subsystem) -----------------------------------------------------
def _with_tries(base: str, tries_left: int | None) -> str | None:
    return None if tries_left is None else f"{base}，还可重试 {tries_left} 次"


class CardPinIncorrect(PinIncorrect, CardError):
    def __init__(self, sw: int) -> None:
        super().__init__(sw, _with_tries(self.message_zh, sw & 0x0F), tries_left=sw & 0x0F)


class CardPinBlocked(PinBlocked, CardError):
    pass


class CardSecurityStatusNotSatisfied(SecurityStatusNotSatisfied, CardError):
    pass


class CardNewPinRejected(NewPinRejected, CardError):
    pass


class CardUnlockConditionsNotSatisfied(UnlockConditionsNotSatisfied, CardError):
    pass


class CardUnlockCryptogramRefused(UnlockCryptogramRefused, CardError):
    def __init__(self, sw: int) -> None:
        super().__init__(sw, tries_left=sw & 0x0F)


class CardUnlockBlocked(UnlockBlocked, CardError):
    pass


class CardNotAUKey(NotAUKey, CardError):
    pass


class TokenPinIncorrect(PinIncorrect, Pkcs11Error):
    pass


class TokenPinBlocked(PinBlocked, Pkcs11Error):
    pass


class TokenSecurityStatusNotSatisfied(SecurityStatusNotSatisfied, Pkcs11Error):
    pass


class TokenNewPinRejected(NewPinRejected, Pkcs11Error):
    pass


class TokenObjectNotFound(ObjectNotFound, Pkcs11Error):
    pass


# --- agent-level ------------------------------------------------------------------------
class WrongKey(UKeyError):
    """C-6: the inserted key is not the one the order was opened for."""

    message_zh = DATA_CONFLICT_MESSAGE


class UnlockIncomplete(UKeyError):
    """The key was reset but the service did not confirm; retry ``confirm`` with the
    kept ``authorisation_id`` / ``proof`` (receipt hex or token serial)."""

    message_zh = ("U-KEY 已设置新密码，但网厅未能确认解锁结果。请稍后插入该U-KEY重新解锁："
                  "系统将完成确认，不会再次重置密码")

    def __init__(self, authorisation_id: str, proof: str, cause: BaseException) -> None:
        self.authorisation_id = authorisation_id
        self.proof = proof
        self.cause = cause
        detail = getattr(cause, "message", None)
        super().__init__(f"{self.message_zh}({detail})" if detail else None)
