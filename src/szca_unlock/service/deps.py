"""FastAPI dependencies: the context, a read transaction, the caller, per-address limits.

Writes are never a dependency: a write route opens ``with ctx.db.session() as db:`` in
its own body, so the transaction (SQLite: ``BEGIN IMMEDIATE``, the one write lock) is
committed in the same worker thread, before the handler returns. A dependency's exit runs
only after FastAPI has validated the response in the thread pool, which needs a free
thread: with every thread waiting for the write lock, the lock holder could not get one
and everybody waited out the busy timeout (docs/decisions/service.md, Concurrency).
Routes that call a provider or do heavy CPU work open short transactions around the slow
part (their logic does). ``ReadDb`` is a deferred, read-only transaction for GET routes:
it never takes the write lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session

from szca_unlock.domain.rate_limit import Limit
from szca_unlock.service.client_address import resolve_client_address
from szca_unlock.service.context import ServiceContext
from szca_unlock.service.errors import Forbidden, Unauthenticated
from szca_unlock.service.logic.assistant import require_scope
from szca_unlock.service.logic.sessions import Principal, authenticate
from szca_unlock.store.enums import SessionKind


def get_ctx(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.ctx
    return ctx


Ctx = Annotated[ServiceContext, Depends(get_ctx)]


def get_read_db(ctx: Ctx) -> Iterator[Session]:
    """A read-only transaction: never takes the write lock; a flush in it is a bug."""
    with ctx.db.session(readonly=True) as session:
        yield session


ReadDb = Annotated[Session, Depends(get_read_db, scope="function")]


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise Unauthenticated()
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("登录状态无效，请重新登录")
    return token.strip()


def get_principal(ctx: Ctx,
                  authorization: Annotated[str | None, Header()] = None) -> Principal:
    # Its own transactions: a read, and a write at most once a minute (sliding expiry).
    return authenticate(ctx.db, ctx.sessions, ctx.clock(), _bearer(authorization))


Caller = Annotated[Principal, Depends(get_principal)]


def get_applicant(principal: Caller) -> Principal:
    if principal.kind is not SessionKind.APPLICANT or not principal.mobile:
        raise Forbidden("请使用手机号码登录网上营业厅后办理")
    return principal


def get_staff(principal: Caller) -> Principal:
    if principal.kind is not SessionKind.STAFF:
        raise Forbidden("仅限深圳CA审核人员访问")
    return principal


def get_unlock_caller(order_no: str, principal: Caller, ctx: Ctx) -> Principal:
    """The unlock routes: the applicant, or the certificate helper with the session it
    redeemed from a ticket for this very order (logic/assistant.py)."""
    if principal.kind is SessionKind.ASSISTANT:
        with ctx.db.session(readonly=True) as db:
            require_scope(db, principal, order_no)
        return principal
    return get_applicant(principal)


Applicant = Annotated[Principal, Depends(get_applicant)]
UnlockCaller = Annotated[Principal, Depends(get_unlock_caller)]
Staff = Annotated[Principal, Depends(get_staff)]


def client_address(request: Request) -> str:
    """The address per-address limits count against (``service.client_address``)."""
    return resolve_client_address(request, get_ctx(request).settings.trusted_proxies)


def limit_by_address(pick: str) -> Any:
    """A dependency that counts this request against ``ctx.limits.<pick>`` per address
    (the peer, or the client named by a trusted proxy: ``service.client_address``)."""

    def _dependency(request: Request, ctx: Ctx) -> None:
        limit: Limit = getattr(ctx.limits, pick)
        ctx.limiter.hit(limit, client_address(request))

    return Depends(_dependency)
