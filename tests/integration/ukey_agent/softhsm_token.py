"""A SoftHSM2 token in a temp dir, made by the emulator's token maker
(``emulator.virtual_ukey.pkcs11_tokens``): key generated on the token, certificate from a
throw-away test CA stored next to it, random SO PIN (``token.so_pin``)."""

from __future__ import annotations

from pathlib import Path

from emulator.virtual_ukey.pkcs11_tokens import MODULE, create_token, pkcs11_tool, softhsm_config
from emulator.virtual_ukey.pkcs11_tokens import Pkcs11Token as SoftToken
from emulator.virtual_ukey.selfsigned import self_signed_issuer

__all__ = ["MODULE", "SoftToken", "create_soft_token", "pkcs11_tool"]


def create_soft_token(workdir: Path, label: str, user_pin: str) -> SoftToken:
    """A token ``label`` in its own SoftHSM2 config under ``workdir``; the caller points
    ``SOFTHSM2_CONF`` at ``token.conf`` for the driver under test."""
    return create_token(softhsm_config(workdir), label, user_pin, self_signed_issuer())
