"""Sensitive-data encryption options (``Encryption``, ``EncryptList``, ``CiphertextBlob``,
``IsEncryptResponse``; https://cloud.tencent.com/document/product/1007/47180).

Tencent unwraps the caller's ``CiphertextBlob`` with a KMS key bound to the account and
encrypts answers with a key agreed when the service is activated. The mock's account has
neither, so it refuses these options with the codes the real API uses when it cannot decrypt
or encrypt, after checking the field list as the real API does."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from .face.errors import DecryptSystemError, EncryptSystemError
from .tencent_errors import TencentError


class UnsupportEncryptField(TencentError):
    code = "InvalidParameter.UnsupportEncryptField"
    message = "存在不加密的字段，请参考文档修改。"


class EncryptionIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    EncryptList: list[str] = Field(default_factory=list)
    CiphertextBlob: str = ""
    Iv: str = ""
    Algorithm: str = ""
    TagList: list[str] = Field(default_factory=list)

    @property
    def requested(self) -> bool:
        return bool(self.EncryptList or self.CiphertextBlob or self.Iv)


def refuse_encrypted_input(encrypt_list: Iterable[str], ciphertext_blob: str,
                           allowed: Iterable[str]) -> None:
    """Encrypted request fields: unknown field names first, then the decryption itself."""
    fields = list(encrypt_list)
    if not fields and not ciphertext_blob:
        return
    if any(f not in set(allowed) for f in fields):
        raise UnsupportEncryptField()
    raise DecryptSystemError()


def refuse_encrypted_output(encryption: EncryptionIn | None, whole_response: bool) -> None:
    if whole_response or (encryption is not None and (encryption.requested
                                                      or encryption.Algorithm)):
        raise EncryptSystemError()
