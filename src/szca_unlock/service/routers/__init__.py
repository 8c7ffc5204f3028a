"""One router per area; ``ROUTERS`` is what the app mounts under ``/api``."""

from fastapi import APIRouter

from szca_unlock.service.routers import auth, guide, health

ROUTERS: tuple[APIRouter, ...] = (health.router, auth.router, guide.router)
