from enum import StrEnum

from hoinghi.core.errors import DomainError


class AssignmentErrorCode(StrEnum):
    INVALID = "invalid"  # a field (full_clean): bounds, dates, sections
    SECTIONS = "sections"  # the required sections missing, a key twice, an empty title
    EXISTS = "exists"  # the conference has its assignment already


class AssignmentError(DomainError):
    """A refused creation or change of a conference's assignment."""


class ReportErrorCode(StrEnum):
    NO_ASSIGNMENT = "no_assignment"  # the conference asks for no report
    WRONG_CONFERENCE = "wrong_conference"  # an invitation, report or item of another conference
    NOT_OPEN = "not_open"  # before the assignment opens
    PAST_DUE = "past_due"  # after the due date, when late reports are refused
    NOT_WRITABLE = "not_writable"  # submitted (or in marking): no more changes until returned
    ALREADY_SUBMITTED = "already_submitted"  # a second submit of the same draft
    DRAFT_CONFLICT = "draft_conflict"  # a save based on an older revision: both texts kept
    STALE_DRAFT = "stale_draft"  # a submit of a revision that is no longer the stored one
    MALFORMED = "malformed"  # sections or plans not in the shape the editor sends
    SECTION_EMPTY = "section_empty"  # a required section left empty
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    PLAN_INVALID = "plan_invalid"  # a plan item without action, deadline or measure


class ReportError(DomainError):
    """A refused save, upload or submission of a learning report."""


class DraftConflictError(ReportError):
    """The draft changed since the revision the save was based on (another device saved): the
    save's text is kept as a conflict copy, the stored draft is unchanged. Answered with 409 and
    the stored draft in `params`, so that the page shows both texts."""

    status = 409


class UploadErrorCode(StrEnum):
    FILE_TYPE = "file_type"  # neither .docx nor .pdf, or the content is not what the name says
    TOO_LARGE = "too_large"
    BROKEN = "broken"  # unreadable: damaged, encrypted, not a document
    EMPTY = "empty"  # no text in it (a scanned PDF has only pictures)


class UploadError(ReportError):
    """A refused upload of a report written elsewhere (.docx or .pdf)."""


class NoteErrorCode(StrEnum):
    WRONG_CONFERENCE = "wrong_conference"  # a programme item of another conference
    TOO_LONG = "too_long"


class NoteError(DomainError):
    """A refused save of a note taken during the programme."""


class RubricErrorCode(StrEnum):
    INVALID = "invalid"  # a criterion without title or levels, a level without label
    BANDS = "bands"  # thresholds missing, repeated, out of 0–100, or not one at 0
    IN_USE = "in_use"  # reports have been marked with the rubric already


class RubricError(DomainError):
    """A refused rubric or set of grade bands."""


class MarkingErrorCode(StrEnum):
    NO_RUBRIC = "no_rubric"  # the assignment has no criteria yet
    NOT_OPEN = "not_open"  # the marking is done, returned or withdrawn
    INCOMPLETE = "incomplete"  # a criterion without a chosen level
    WRONG_LEVEL = "wrong_level"  # a level of another criterion or assignment
    COMMENT_REQUIRED = "comment_required"  # returning a report without saying why
    NOT_MARKED = "not_marked"  # releasing or re-allocating what cannot be
    INELIGIBLE_REVIEWER = "ineligible_reviewer"  # outside the report's tree, its writer or under them


class MarkingError(DomainError):
    """A refused marking, return, allocation or release."""


class ReminderErrorCode(StrEnum):
    COUNT_CHANGED = "count_changed"  # confirmed for another number of recipients than now


class ReminderError(DomainError):
    """A refused sending of reminders."""


class SimilarityErrorCode(StrEnum):
    RUNNING = "running"  # a pass over the assignment is queued or running already
    DECISION = "decision"  # neither confirm nor dismiss
    REASON_REQUIRED = "reason_required"  # deciding a flag without a reason (or one too long)


class SimilarityError(DomainError):
    """A refused copied-text pass or decision on a flag."""
