from enum import StrEnum

from hoinghi.core.errors import DomainError


class AccountErrorCode(StrEnum):
    INVALID = "invalid"
    USERNAME_TAKEN = "username_taken"
    PASSWORD_CHANGE_REQUIRED = "password_change_required"


class AccountError(DomainError):
    """A refused change to a user account."""


class PasswordChangeRequiredError(AccountError):
    """An account with a one-time password used for anything but choosing its own password."""

    status = 403
