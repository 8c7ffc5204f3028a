"""BankCard4EVerification has no errors of its own: its outcomes are Result codes."""

from __future__ import annotations

from ..tencent_errors import InvalidParameter

__all__ = ["InvalidParameter"]
