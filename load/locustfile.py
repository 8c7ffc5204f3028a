"""The locustfile of every profile: all user classes, and exactly one load shape built from
``SZCA_LOAD_SHAPE``. ``SZCA_LOAD_FIXED=n`` gives every class n users (smoke: each class
runs). Started by load/runner.py; ``locust -f load/locustfile.py`` works once a world runs
and ``SZCA_LOAD_WORLD`` points at its world.json."""

from __future__ import annotations

import os

from load.pcsc import PcscRealtimeUser
from load.profiles import ALL_CLASSES, READER_CLASSES
from load.shapes import shape_class
from load.users import (
    USER_CLASSES,
    BrowseOrdersUser,
    OrgDepositUser,
    OrgLegalBankUser,
    OrgLegalCarrierUser,
    OrgLegalFaceUser,
    OrgManualUser,
    PersonalManualUser,
    PersonalRealtimeUser,
    SmsLoginStormUser,
    StaffReviewUser,
)

__all__ = ["BrowseOrdersUser", "OrgDepositUser", "OrgLegalBankUser", "OrgLegalCarrierUser",
           "OrgLegalFaceUser", "OrgManualUser", "PcscRealtimeUser", "PersonalManualUser",
           "PersonalRealtimeUser", "ProfileShape", "SmsLoginStormUser", "StaffReviewUser"]

ProfileShape = shape_class()

if {c.__name__ for c in USER_CLASSES} != set(ALL_CLASSES) or (
        (PcscRealtimeUser.__name__,) != READER_CLASSES):
    raise RuntimeError("load/profiles.py ALL_CLASSES / READER_CLASSES are out of date "
                       "with load/users.py / load/pcsc.py")

if fixed := int(os.environ.get("SZCA_LOAD_FIXED", "0")):
    for user_class in USER_CLASSES:
        user_class.fixed_count = fixed
