from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from szca_unlock.api.common import Request, Text


class RedeemTicket(Request):
    """The certificate helper redeems the page's one-time ticket for its order."""

    ticket: Text
    order_no: Text


class HelperSession(BaseModel):
    """A bearer token for this order's unlock routes only (5 minutes)."""

    access_token: str
    order_no: str
    key_serial: str
    expires_at: datetime
