"""ORG-RT-5 and ORG-RT-7: the organisation's details and the authorisation letter."""

from __future__ import annotations

from szca_unlock.api.verifications import AuthorizationLetterView, LetterField, OrganisationInfo
from szca_unlock.documents.authorization_letter import AuthorizationLetter
from szca_unlock.store.models_orders import OrderRow


def organisation_info(order: OrderRow) -> OrganisationInfo:
    org = order.certificate.organisation
    assert org is not None, "org_order only returns organisation orders"
    return OrganisationInfo(name=org.name, uscc=org.uscc, legal_rep_name=order.legal_rep_name)


def authorization_letter(order: OrderRow, letter: AuthorizationLetter) -> AuthorizationLetterView:
    confirmed_letter = order.form.authorization_letter
    confirmed = confirmed_letter is not None and confirmed_letter.version == letter.version
    return AuthorizationLetterView(
        version=letter.version, title=letter.title,
        fields=[LetterField(label=f.label, value=f.value) for f in letter.fields],
        paragraphs=list(letter.paragraphs), confirmed=confirmed)
