from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from szca_unlock.api.common import Request, Text


class AgreementView(BaseModel):
    id: str
    title: str
    version: str
    accepted: bool = False
    accepted_at: datetime | None = None


class CheckboxView(BaseModel):
    """One tick on the page; ticking it accepts every agreement it names."""

    name: str
    label: str
    agreements: list[str]


class GuideSection(BaseModel):
    heading: str
    text: str


class UnlockModeView(BaseModel):
    mode: str
    label: str
    description: str


class Guide(BaseModel):
    title: str
    sections: list[GuideSection]
    modes: list[UnlockModeView]
    agreements: list[AgreementView]
    checkboxes: list[CheckboxView] = []


class AgreementTick(Request):
    id: Text
    version: Text


class AcceptRequest(Request):
    agreements: list[AgreementTick] = Field(min_length=1, max_length=10)


class AcceptResponse(BaseModel):
    accepted: list[AgreementView]
