"""The manual-review flows of the manual (ORG-MR, PER-MR): uploads, review, 我的业务单."""

from pytest_bdd import scenarios

scenarios("org_manual.feature", "personal_manual.feature")
