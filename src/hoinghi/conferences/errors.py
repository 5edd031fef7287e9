from enum import StrEnum

from hoinghi.core.errors import DomainError


class ConferenceErrorCode(StrEnum):
    INVALID = "invalid"
    BAD_TRANSITION = "bad_transition"
    STAGE_FORBIDS = "stage_forbids"
    POINT_UNIT_TAKEN = "point_unit_taken"
    HOST_EXISTS = "host_exists"
    POINT_HAS_INVITEES = "point_has_invitees"
    RULE_EMPTY = "rule_empty"
    NOTHING_TO_ISSUE = "nothing_to_issue"
    TOKEN_REVOKED = "token_revoked"
    MATERIAL_TYPE = "material_type"
    MATERIAL_TOO_LARGE = "material_too_large"
    NO_EMAIL = "no_email"
    WRONG_CONFERENCE = "wrong_conference"  # a point, item, rule or message of another conference
    REASON_REQUIRED = "reason_required"  # cancelling says why
    NOT_RENEWABLE = "not_renewable"  # a one-time password only for an account that holds nothing else
    INVITATIONS_SENT = "invitations_sent"  # a conference whose invitations went out is cancelled, not deleted
    SMS_FAILED = "sms_failed"  # the SMS gateway refused a message, or could not be reached
    COUNT_CHANGED = "count_changed"  # a mass sending confirmed for another number of recipients


class ConferenceError(DomainError):
    """A refused change to a conference, its programme, points, rules or invitations."""
