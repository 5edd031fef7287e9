from enum import StrEnum

from hoinghi.core.errors import DomainError


class ResolutionsErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    NOT_ASSIGNED = "not_assigned"  # the unit does not report this data set
    WRONG_PERIOD = "wrong_period"  # a period of another periodicity than the data set's
    UNKNOWN_ELEMENT = "unknown_element"  # an element (or option) the data set does not hold
    BAD_VALUE = "bad_value"
    RULE_FAILED = "rule_failed"
    LOCKED = "locked"  # submitted or approved: the values cannot change
    WRONG_STATE = "wrong_state"
    CHILDREN_NOT_APPROVED = "children_not_approved"
    PARENT_APPROVED = "parent_approved"
    COMMENT_REQUIRED = "comment_required"
    REASON_REQUIRED = "reason_required"
    STALE = "stale"  # the form was read before someone else changed the values
    UPLOAD_HAS_ERRORS = "upload_has_errors"
    UPLOAD_APPLIED = "upload_applied"
    UPLOAD_BAD_HEADERS = "upload_bad_headers"
    # Action programmes
    PROGRAMME_EXISTS = "programme_exists"  # the unit has a programme for this resolution already
    WRONG_RESOLUTION = "wrong_resolution"  # a part of another resolution, or one the unit is not under
    OWNER_OUTSIDE = "owner_outside"  # the owner is not in the programme's unit's subtree
    EVIDENCE_REQUIRED = "evidence_required"  # "done" needs a word or a file of evidence
    EVIDENCE_TYPE = "evidence_type"
    EVIDENCE_TOO_LARGE = "evidence_too_large"
    EVIDENCE_EMPTY = "evidence_empty"
    NOT_OPEN_YET = "not_open_yet"  # before the period's window opens
    CLOSED = "closed"  # after the window's close, and the level above has not reopened the unit
    BAD_WINDOW = "bad_window"  # a window that closes before it opens


class ResolutionsError(DomainError):
    """A refused change of a resolution's reports: a value, a submission, an upload."""
