from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, StringConstraints

from szca_unlock.api.common import Request, Text

Hex16 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=32, max_length=32,
                                         pattern=r"^[0-9A-Fa-f]+$")]


class AuthoriseUnlock(Request):
    key_serial: Text
    certificate_serial: Text
    challenge: Hex16


class UnlockGranted(BaseModel):
    authorisation_id: str
    cryptogram: str
    expires_at: datetime


class ConfirmUnlock(Request):
    authorisation_id: Text
    receipt: Hex16


class ReconcileUnlock(Request):
    """The card's proof of its last reset (GET DATA ``01 03``): finishes an unlock whose
    agent died between RESET RETRY COUNTER and the confirm."""

    key_serial: Text
    challenge: Hex16
    receipt: Hex16


class AuthoriseSoPin(Request):
    key_serial: Text
    certificate_serial: Text


class SoPinGranted(BaseModel):
    authorisation_id: str
    so_pin: str
    new_so_pin: str
    expires_at: datetime


class ConfirmSoPin(Request):
    authorisation_id: Text
    token_serial: Text
