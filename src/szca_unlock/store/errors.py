"""Store errors the service maps to HTTP answers."""

from __future__ import annotations

from szca_unlock.domain.errors import DomainError


class NotFound(DomainError):
    """A looked-up row does not exist; ``code`` is ``<what>.not_found``."""

    status = 404

    def __init__(self, what: str, message: str, field: str | None = None) -> None:
        super().__init__(f"{what}.not_found", message, field)
        self.what = what


class LoginCodeMissing(NotFound):
    """A login with no code sent: the request is wrong, not a missing page."""

    status = 400

    def __init__(self) -> None:
        super().__init__("login_code", "请先获取短信验证码", "code")


class SessionMissing(NotFound):
    """An unknown or revoked login: the caller must log in again."""

    status = 401

    def __init__(self) -> None:
        super().__init__("session", "登录已失效，请重新登录")


class VerificationMissing(NotFound):
    """The step has no (open) verification: the order is not where the request assumes."""

    status = 409

    def __init__(self, message: str) -> None:
        super().__init__("verification", message)


class CertificateClaimed(DomainError):
    """Another login's order on the same certificate passed identity verification first."""

    status = 409

    def __init__(self) -> None:
        super().__init__("order_open_elsewhere",
                         "该证书已由其他账号完成身份验证并正在办理解锁，本业务单不能继续。"
                         "如非本人操作，请联系深圳CA客服热线 400-112-3838", "order_no")
