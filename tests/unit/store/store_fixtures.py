"""Shared values for the store tests (imported by conftest and the test modules)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from szca_unlock.domain.certificates import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    Holder,
    Organisation,
)

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
MOBILE = "13800138000"
MASTER_KEY = bytes(range(32))  # the data keys of the store tests' databases
OpenOrder = Callable[..., str]  # the conftest fixture: open_order(mode, *, kind, now) -> no.
ORG = Organisation("深圳市测试科技有限公司", "91440300MA5G0EXA8H", "王法人", "440305198803151234")


def make_certificate(kind: CertificateKind = CertificateKind.ORG, serial: str = "1A2B3C",
                     key_serial: str = "SZ2025000001") -> Certificate:
    return Certificate(
        serial_hex=serial, subject_dn=f"CN=测试{serial},O={ORG.name},L=深圳市,ST=广东省,C=CN",
        kind=kind, medical=False, not_before=NOW - timedelta(days=10),
        not_after=NOW + timedelta(days=355), status=CertificateStatus.VALID,
        key_serial=key_serial,
        organisation=ORG if kind.needs_organisation else None,
        holder=Holder("李持有", "110101199003074258") if kind.is_personal else None)
