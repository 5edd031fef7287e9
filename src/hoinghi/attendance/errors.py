from enum import StrEnum

from hoinghi.core.errors import DomainError


class CheckInErrorCode(StrEnum):
    """Why a scan did not make anyone present; stored with the scan and returned to the client."""

    UNKNOWN_TOKEN = "unknown_token"
    REVOKED_TOKEN = "revoked_token"
    WITHDRAWN = "withdrawn"
    WRONG_CONFERENCE = "wrong_conference"
    NOT_OPEN = "not_open"
    NOT_OPERATOR = "not_operator"
    MALFORMED = "malformed"
    REPLAYED = "replayed"
    NOTHING_TO_UNDO = "nothing_to_undo"
    OUTSIDE_WINDOW = "outside_window"
    NOT_SERVED_HERE = "not_served_here"  # named by id, and not someone this point may check in
    SCANNED_AT_OUT_OF_RANGE = "scanned_at_out_of_range"  # the device's clock is not near the conference


class CheckInError(DomainError):
    """A refused check-in request (the request itself, not one scan in a batch)."""


class IncidentErrorCode(StrEnum):
    UNKNOWN_KIND = "unknown_kind"


class IncidentError(DomainError):
    """A refused report or closing of an incident at a bridge point."""


class QuestionErrorCode(StrEnum):
    TEXT_LENGTH = "text_length"
    WRONG_CONFERENCE = "wrong_conference"  # a programme item or a question of another conference
    WRONG_POINT = "wrong_point"  # an invitee asking from a point they are not invited to
    UNKNOWN_STATUS = "unknown_status"
    MERGE_TARGET = "merge_target"  # merged without a question to merge into, or into itself


class QuestionError(DomainError):
    """A refused question from the floor, or a refused moderation of one."""


class SimulationErrorCode(StrEnum):
    NOT_DEMO = "not_demo"
    REAL_CHECKINS = "real_checkins"


class SimulationError(DomainError):
    """A refused replay of the morning: it runs on a demo conference only, and forgets only what
    it made itself."""
