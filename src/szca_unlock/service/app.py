"""The unlock service (网厅): ``create_app(settings, providers=None, clock=None)``."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from szca_unlock.config import ConfigError, Settings
from szca_unlock.domain.rate_limit import RequestLimiter, SlidingWindowLimiter
from szca_unlock.private_files import private_dir
from szca_unlock.providers import ProviderClients
from szca_unlock.service.admission import AdmissionMiddleware
from szca_unlock.service.body_limits import BodyLimitMiddleware
from szca_unlock.service.context import Clock, ServiceContext, utc_now
from szca_unlock.service.errors import install_error_handlers
from szca_unlock.service.logic.upload_store import sweep_debris
from szca_unlock.service.responses import COMMON, errors
from szca_unlock.service.routers import ROUTERS
from szca_unlock.service.web import install_portal
from szca_unlock.store.database import Database
from szca_unlock.store.migrate import upgrade_to_head
from szca_unlock.unlock import UnlockAuthority


def _master_key(settings: Settings) -> bytes:
    if not settings.unlock_master_key_hex:
        raise ConfigError("SZCA_UNLOCK_MASTER_KEY is required (64 hex digits): the service "
                          "derives every card's unlock key from it")
    return bytes.fromhex(settings.unlock_master_key_hex)


def _limiter(settings: Settings, clock: Clock) -> RequestLimiter:
    if not settings.redis_url:
        return SlidingWindowLimiter(clock)
    # Imported here: Redis is an extra that a one-process service does not need.
    from szca_unlock.service.shared_limits import RedisLimiter

    limiter = RedisLimiter(settings.redis_url)
    limiter.check()
    return limiter


def build_context(settings: Settings, providers: ProviderClients | None = None,
                  clock: Clock | None = None, *, migrate: bool = True) -> ServiceContext:
    master_key = _master_key(settings)
    clock = clock or utc_now
    private_dir(settings.home)  # the database, uploads and records below: 0700
    if migrate:
        upgrade_to_head(settings.database_url, master_key=master_key)
    face_done = (f"{settings.public_url}/unlock/face-done" if settings.public_url
                 else ServiceContext.face_redirect_url)
    return ServiceContext(
        settings=settings,
        db=Database(settings.database_url, master_key=master_key),
        providers=providers or ProviderClients.from_endpoints(settings.providers),
        clock=clock,
        authority=UnlockAuthority(master_key, clock),
        # A key of its own, so an OTP hash never equals anything else derived from MK.
        pepper=hmac.new(master_key, b"SZCA-OTP-PEPPER-V1", hashlib.sha256).digest(),
        limiter=_limiter(settings, clock),
        face_redirect_url=face_done,
    )


def create_app(settings: Settings, providers: ProviderClients | None = None,
               clock: Clock | None = None, *, migrate: bool = True) -> FastAPI:
    """The service app; tests pass a fake clock and provider clients aimed at the mock.
    ``migrate=False`` when the database is already at head (the workers of
    ``--workers N``, whose parent migrated once before starting them)."""
    ctx = build_context(settings, providers, clock, migrate=migrate)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        ctx.cpu.shutdown()  # the worker processes end with the app

    app = FastAPI(title="深圳CA网上营业厅 U-KEY 解锁服务", version="1.0",
                  description="SMS login, certificate lookup, real-time and manual-review "
                              "unlock orders, remote U-KEY unlock. See docs/api.md.",
                  lifespan=lifespan)
    app.state.ctx = ctx
    sweep_debris(ctx)  # what a killed predecessor left: temp files, unreferenced objects
    install_error_handlers(app)
    api = APIRouter(prefix="/api", responses=errors(*COMMON))
    for router in ROUTERS:
        api.include_router(router)
    app.include_router(api)
    install_portal(app, assistant_origin=settings.assistant_url)
    # Past saturation, refuse at once rather than queue (service/admission.py).
    app.add_middleware(AdmissionMiddleware)
    # Outermost: an oversized body is refused before anything reads it.
    app.add_middleware(BodyLimitMiddleware)
    return app
