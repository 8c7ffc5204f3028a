"""Why the unlock authority refuses: typed, with the message the user reads (Chinese)."""

from __future__ import annotations

from szca_unlock.domain.errors import DATA_CONFLICT_MESSAGE, DomainError


class UnlockAuthorityError(DomainError):
    """Root of the authority's refusals; ``code`` is stable, ``message`` is for the user."""


class ChallengeAlreadyUsed(UnlockAuthorityError):
    status = 409

    def __init__(self) -> None:
        super().__init__("unlock.challenge_reused",
                         "该解锁请求已使用过，请重新插入 U-KEY 后再次点击「立即解锁」")


class AuthorisationExpired(UnlockAuthorityError):
    status = 409

    def __init__(self) -> None:
        super().__init__("unlock.expired",
                         "解锁授权已过期，请重新点击「立即解锁」")


class AuthorisationAlreadyConfirmed(UnlockAuthorityError):
    status = 409

    def __init__(self) -> None:
        super().__init__("unlock.already_confirmed", "该解锁授权已使用，不能重复确认")


class ReceiptInvalid(UnlockAuthorityError):
    def __init__(self) -> None:
        super().__init__("unlock.receipt_invalid",
                         "U-KEY 解锁回执校验失败，请重新点击「立即解锁」", "receipt")


class KeySerialMismatch(UnlockAuthorityError):
    """C-6: a different key than the one the order was opened for (数据冲突)."""

    status = 409

    def __init__(self) -> None:
        super().__init__("unlock.key_mismatch", DATA_CONFLICT_MESSAGE, "key_serial")


class MalformedUnlockRequest(UnlockAuthorityError):
    status = 422

    def __init__(self, field: str) -> None:
        super().__init__("unlock.malformed", "解锁请求数据格式不正确", field)
