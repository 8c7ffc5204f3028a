"""What a persona types into a verification form (ORG-RT-6, ORG-RT-8, PER-RT-5): one place
for the integration suites, the BDD steps and the load users."""

from __future__ import annotations

from szca_unlock.domain.verification_methods import Check, Method

from .model import Company, Person


def form_for(method: str, person: Person, company: Company | None = None) -> dict[str, str]:
    """The fields of the start-verification form for ``method`` (the service's method value,
    e.g. ``legal_bank``): name and ID number always; the real-name mobile for a carrier
    check; the bank card and the bank-reserved mobile for a bank check; the corporate
    account for a deposit (which needs ``company``)."""
    form = {"method": str(method), "name": person.name, "id_number": person.id_number}
    check = Method(method).check
    if check is Check.CARRIER:
        form["mobile"] = person.mobile
    elif check is Check.BANK:
        form.update(mobile=person.reserved_mobile, bank_card=person.bank_card or "")
    elif check is Check.DEPOSIT:
        if company is None:
            raise ValueError("a deposit form needs the company (its corporate account)")
        account = company.account
        form.update(bank_name=account.bank, branch_name=account.branch,
                    account_number=account.account_no)
    return form
