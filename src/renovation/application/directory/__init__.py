"""工作人员名录 — who is acting: the staff directory, authentication and principals."""

from renovation.application.directory.admin import NewMember, StaffAdministration
from renovation.application.directory.authentication import (
    AuthenticationError,
    Authenticator,
    IssuedToken,
)
from renovation.application.directory.lookup import StaffDirectory, staff_id_of
from renovation.application.principal import (
    MANAGE_USERS,
    RECORD_ACTS,
    Principal,
    acting_as,
)

__all__ = [
    "MANAGE_USERS",
    "RECORD_ACTS",
    "AuthenticationError",
    "Authenticator",
    "IssuedToken",
    "NewMember",
    "Principal",
    "StaffAdministration",
    "StaffDirectory",
    "acting_as",
    "staff_id_of",
]
