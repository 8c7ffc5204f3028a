"""The PIV data objects of one card (SP 800-73-4 Part 1), built from the card's state:
the application property template, discovery object, CHUID, CCC and the certificate
containers. Nothing here is stored twice: the certificate is the one the CA issued."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from cryptography import x509

from emulator.virtual_ukey.piv.tlv import tlv
from emulator.virtual_ukey.state import CardState

PIV_AID = bytes.fromhex("A000000308000010000100")
PIV_RID = PIV_AID[:5]
PIV_PIX = PIV_AID[5:]
APP_LABEL = b"SZCA U-KEY PIV"

ALG_ECC_P256 = 0x11
PIN_REF = 0x80  # PIV Card Application PIN (81, PIV's PUK, is the CA application's PIN)
PIN_LENGTH = 8  # VERIFY / CHANGE REFERENCE DATA: each PIN padded with FF to 8 bytes
PIN_PAD = 0xFF

TAG_DISCOVERY = 0x7E
TAG_CCC = 0x5FC107
TAG_CHUID = 0x5FC102
TAG_CERT_9A = 0x5FC105  # PIV Authentication
TAG_CERT_9C = 0x5FC10A  # Digital Signature
TAG_CERT_9D = 0x5FC10B  # Key Management
TAG_CERT_9E = 0x5FC101  # Card Authentication
# 5F2F PIN usage policy: 40 = the PIV Card Application PIN satisfies the ACRs; 00 = no
# global PIN (the one PIN of the card *is* the application PIN, see the decisions)
PIN_USAGE_POLICY = bytes([0x40, 0x00])
_GSC_RID = bytes.fromhex("A000000116")  # card identifier prefix in the CCC (SP 800-73-4)
_UUID_NAMESPACE = uuid.UUID("4d1a6c2e-1f61-5d7c-9b2e-53a5c3a6b10e")


@dataclass(frozen=True)
class KeySlot:
    """A key reference of the PIV application and the container of its certificate."""

    key_ref: int
    container: int
    name: str
    pin_always: bool  # SP 800-73-4: the signature key needs a VERIFY before each use


# The holder's one P-256 key serves PIV Authentication and Digital Signature; the
# personas have no separate key-management (9D) or card-authentication (9E) key.
HOLDER_SLOTS = (
    KeySlot(0x9A, TAG_CERT_9A, "PIV Authentication", pin_always=False),
    KeySlot(0x9C, TAG_CERT_9C, "Digital Signature", pin_always=True),
)


def slot(key_ref: int) -> KeySlot | None:
    return next((s for s in HOLDER_SLOTS if s.key_ref == key_ref), None)


def application_property_template() -> bytes:
    """The answer to SELECT of the PIV AID (Part 2, 3.1.1)."""
    algorithms = tlv(0xAC, tlv(0x80, bytes([ALG_ECC_P256])) + tlv(0x06, b"\x00"))
    body = (tlv(0x4F, PIV_PIX) + tlv(0x79, tlv(0x4F, PIV_RID)) + tlv(0x50, APP_LABEL)
            + algorithms)
    return tlv(0x61, body)


def discovery_object() -> bytes:
    return tlv(TAG_DISCOVERY, tlv(0x4F, PIV_AID) + tlv(0x5F2F, PIN_USAGE_POLICY))


def card_guid(serial: str) -> bytes:
    """RFC 4122 name-based UUID of the key serial: stable, unique per key, and what
    OpenSC shows as the token's serial number."""
    return uuid.uuid5(_UUID_NAMESPACE, serial).bytes


def fasc_n(serial: str) -> bytes:
    """A FASC-N for a non-federal issuer (agency code 9999, TIG SCEPACS encoding): the key
    serial's digits become credential number + person identifier."""
    digits = "".join(ch for ch in serial if ch.isdigit())[-16:].rjust(16, "0")
    credential, person = digits[:6], digits[6:]
    chars = (["SS", *"9999", "FS", *"9999", "FS", *credential, "FS", "0", "FS", "1", "FS",
              *person, "1", *"9999", "1", "ES"])
    return _pack_fasc_n(chars)


def _fasc_n_char(value: int) -> str:
    bits = "".join(str(value >> i & 1) for i in range(4))  # BCD, least significant bit first
    return bits + ("0" if bits.count("1") % 2 else "1")  # odd parity


def _pack_fasc_n(chars: list[str]) -> bytes:
    specials = {"SS": 0b1011, "FS": 0b1101, "ES": 0b1111}  # 4 data bits, LSB first
    values = [specials[c] if c in specials else int(c) for c in chars]
    lrc = 0
    for value in values:
        lrc ^= value
    bits = "".join(_fasc_n_char(v) for v in [*values, lrc])
    return int(bits, 2).to_bytes(25, "big")


def chuid(state: CardState) -> bytes:
    """Card Holder Unique Identifier: FASC-N, GUID, expiry (the certificate's)."""
    cert = x509.load_der_x509_certificate(bytes.fromhex(state.cert_der))
    expiry = cert.not_valid_after_utc.strftime("%Y%m%d").encode("ascii")
    body = (tlv(0x30, fasc_n(state.serial)) + tlv(0x34, card_guid(state.serial))
            + tlv(0x35, expiry) + tlv(0x3E, b"") + tlv(0xFE, b""))
    return tlv(0x53, body)


def ccc(state: CardState) -> bytes:
    """Card Capability Container (Part 1, Appendix A): version 21, no extended data."""
    card_id = _GSC_RID + bytes([0xFF, 0x02]) + card_guid(state.serial)[:14]
    body = (tlv(0xF0, card_id) + tlv(0xF1, b"\x21") + tlv(0xF2, b"\x21") + tlv(0xF3, b"")
            + tlv(0xF4, b"\x00") + tlv(0xF5, b"\x10") + tlv(0xF6, b"") + tlv(0xF7, b"")
            + tlv(0xFA, b"") + tlv(0xFB, b"") + tlv(0xFC, b"") + tlv(0xFD, b"")
            + tlv(0xFE, b""))
    return tlv(0x53, body)


def certificate_container(state: CardState) -> bytes:
    """X.509 certificate object: the DER, CertInfo 00 (not compressed), no LRC."""
    der = bytes.fromhex(state.cert_der)
    return tlv(0x53, tlv(0x70, der) + tlv(0x71, b"\x00") + tlv(0xFE, b""))


def data_object(state: CardState, tag: int) -> bytes | None:
    """The value GET DATA answers for ``tag``, or None where the card has no such object."""
    if tag == TAG_DISCOVERY:
        return discovery_object()
    if tag == TAG_CHUID:
        return chuid(state)
    if tag == TAG_CCC:
        return ccc(state)
    if state.cert_der and any(s.container == tag for s in HOLDER_SLOTS):
        return certificate_container(state)
    return None
