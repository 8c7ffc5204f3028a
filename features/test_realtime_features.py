"""The real-time flows of the manual, the common path, C-6 and FAQ/customer service."""

from pytest_bdd import scenarios

scenarios(
    "common.feature",
    "org_realtime.feature",
    "personal_realtime.feature",
    "multi_certificate.feature",
    "faq_service.feature",
)
