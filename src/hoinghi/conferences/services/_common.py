"""What the conference services share: the stages that allow each change, and the checks."""

from functools import partial

from django.utils.translation import gettext as _

from hoinghi.conferences.errors import ConferenceError, ConferenceErrorCode
from hoinghi.conferences.models import (
    Conference,
    ConferenceStatus,
)
from hoinghi.core.errors import validate

# What each stage still allows.
_RULES_OPEN = frozenset({ConferenceStatus.DRAFT, ConferenceStatus.INVITATIONS_ISSUED})
_POINTS_OPEN = frozenset({ConferenceStatus.DRAFT, ConferenceStatus.INVITATIONS_ISSUED, ConferenceStatus.LIVE})
_PROGRAMME_OPEN = frozenset(
    {
        ConferenceStatus.DRAFT,
        ConferenceStatus.INVITATIONS_ISSUED,
        ConferenceStatus.LIVE,
        ConferenceStatus.ENDED,
    }
)


# full_clean(), refused as ConferenceError(invalid) with the field errors kept apart.
_validate = partial(validate, error_class=ConferenceError, code=ConferenceErrorCode.INVALID)


def _require_stage(conference: Conference, allowed: frozenset[str], what: str) -> None:
    if conference.status not in allowed:
        raise ConferenceError(
            _("Hội nghị đang ở giai đoạn “%(stage)s”: không thể %(what)s."),
            code=ConferenceErrorCode.STAGE_FORBIDS,
            params={"stage": conference.get_status_display(), "what": what},
        )


def _require_part_of(conference: Conference, *parts) -> None:
    """Refuse a point, a programme item, a rule or a message of another conference: the actor's
    right was checked on `conference`, not on theirs."""
    for part in parts:
        if part is not None and part.conference_id != conference.pk:
            raise ConferenceError(
                _("“%(part)s” không thuộc hội nghị này."),
                code=ConferenceErrorCode.WRONG_CONFERENCE,
                params={"part": str(part)},
            )


def _require_expected(expected: int | None, count: int) -> None:
    """Refuse a mass sending confirmed for another number of recipients than it would reach now."""
    if expected is not None and expected != count:
        raise ConferenceError(
            _("Danh sách người nhận đã đổi (%(expected)s thành %(count)s): xin xem lại và xác nhận lại."),
            code=ConferenceErrorCode.COUNT_CHANGED,
            params={"expected": expected, "count": count},
        )
