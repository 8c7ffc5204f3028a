"""One router per area; ``ROUTERS`` is what the app mounts under ``/api``."""

from fastapi import APIRouter

from szca_unlock.service.routers import (
    assistant,
    auth,
    certificates,
    documents,
    guide,
    health,
    manual_review,
    orders,
    org_info,
    staff,
    unlock,
    verifications,
)

ROUTERS: tuple[APIRouter, ...] = (health.router, auth.router, guide.router,
                                  certificates.router, orders.router, org_info.router,
                                  verifications.router, unlock.router,
                                  manual_review.router, documents.router, staff.router,
                                  assistant.router)
