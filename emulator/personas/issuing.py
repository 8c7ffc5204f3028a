"""Certificates for personas: the subject DN of the manual's shape, issued by the test CA.

The card factory calls ``issue_certificate`` (through ``issuer_for``) with the public key
it generated on the virtual U-KEY, so the private key never leaves the card.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from cryptography import x509
from cryptography.x509.oid import NameOID

from emulator.personas.ca import EndEntityKey, TestCA
from emulator.personas.model import PersonaCertificate

CertificateIssuer = Callable[[EndEntityKey], bytes]


def subject_name(cert: PersonaCertificate) -> x509.Name:
    """``CN=<holder or company>, OU=<USCC>, O=<company>, L=深圳市, ST=广东省, C=CN``.

    The USCC goes in OU (as many Chinese CAs do) for ORG and ORG_PERSONAL certificates;
    natural-person certificates carry no organisation. No ID number is put in the DN: the
    result screen shows the DN to whoever holds the order.
    """
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
             x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "广东省"),
             x509.NameAttribute(NameOID.LOCALITY_NAME, "深圳市")]
    if cert.company is not None:
        attrs += [x509.NameAttribute(NameOID.ORGANIZATION_NAME, cert.company.name),
                  x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, cert.company.uscc)]
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cert.common_name))
    return x509.Name(attrs)


def subject_dn(cert: PersonaCertificate) -> str:
    """The DN as stored and shown (RFC 4514 order: CN first, C last)."""
    return subject_name(cert).rfc4514_string()


def issue_certificate(ca: TestCA, persona_cert: PersonaCertificate,
                      public_key: EndEntityKey) -> bytes:
    """The persona's certificate for ``public_key`` (e.g. a virtual U-KEY's), DER."""
    return ca.issue(subject_name(persona_cert), public_key, int(persona_cert.serial_hex, 16),
                    not_before=persona_cert.not_before, not_after=persona_cert.not_after)


def issuer_for(ca: TestCA, persona_cert: PersonaCertificate) -> CertificateIssuer:
    """``issue_certificate`` bound to one persona: the card factory's ``CertificateIssuer``."""
    return partial(issue_certificate, ca, persona_cert)
