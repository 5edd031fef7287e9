"""Writes to a conference and its life cycle (draft → invitations issued → live → ended → archived)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.conferences.errors import ConferenceError, ConferenceErrorCode
from hoinghi.conferences.models import (
    TRANSITIONS,
    Conference,
    ConferenceStatus,
    ConferenceTransition,
    Invitation,
    InvitationStatus,
)
from hoinghi.conferences.selectors import conference_is_deletable
from hoinghi.conferences.services._common import _PROGRAMME_OPEN, _require_stage, _validate
from hoinghi.core.models import audit
from hoinghi.core.permissions import require
from hoinghi.orgs.models import Unit

# --- Conference and its life cycle ---------------------------------------------------------------


@transaction.atomic
def conference_create(
    *,
    actor,
    organising_unit: Unit,
    title: str,
    starts_at: datetime,
    subject: str = "",
    ends_at=None,
    is_demo: bool = False,
) -> Conference:
    """A new conference in draft, organised by `organising_unit` (the actor must organise there).

    `is_demo` marks the demo's conference (`hoinghi demo-load`), on which a replay of the morning
    may run; nothing else sets it."""
    require(actor, "conferences.change", organising_unit)
    conference = Conference(
        title=title,
        subject=subject,
        starts_at=starts_at,
        ends_at=ends_at,
        organising_unit=organising_unit,
        created_by=actor if getattr(actor, "pk", None) else None,
        is_demo=is_demo,
    )
    _validate(conference)
    conference.save()
    audit(actor=actor, type="conferences.conference.created", obj=conference, unit_path=organising_unit.path)
    return conference


@transaction.atomic
def conference_update(*, actor, conference: Conference, **changes) -> Conference:
    """Change title, subject or times; refused once archived."""
    require(actor, "conferences.change", conference)
    _require_stage(conference, _PROGRAMME_OPEN, _("sửa thông tin hội nghị"))
    for name, value in changes.items():
        if name not in {"title", "subject", "starts_at", "ends_at"}:
            raise TypeError(name)
        setattr(conference, name, value)
    _validate(conference)
    conference.save()
    audit(
        actor=actor,
        type="conferences.conference.updated",
        obj=conference,
        unit_path=conference.organising_unit.path,
        fields=sorted(changes),
    )
    return conference


@transaction.atomic
def conference_transition(*, actor, conference: Conference, to_status: str, reason: str = "") -> Conference:
    """Move the conference to its next stage (see `TRANSITIONS`), recording who and when.

    Issuing invitations goes through `conference_issue`, which also writes the invitations.
    Cancelling needs a `reason`, kept with the move; the invitations stay (the invitees' pages
    say the conference is cancelled) and nothing can change afterwards.
    The row is locked so that two organisers cannot move it at once.

    Raises `ConferenceError`: `bad_transition`, `reason_required` (cancelling without a reason).
    """
    require(actor, "conferences.change", conference)
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if to_status not in TRANSITIONS[conference.status]:
        raise ConferenceError(
            _("Không thể chuyển hội nghị từ “%(from)s” sang “%(to)s”."),
            code=ConferenceErrorCode.BAD_TRANSITION,
            params={"from": conference.get_status_display(), "to": ConferenceStatus(to_status).label},
        )
    reason = reason.strip()
    if to_status == ConferenceStatus.CANCELLED and not reason:
        raise ConferenceError(_("Cần ghi lý do hủy hội nghị."), code=ConferenceErrorCode.REASON_REQUIRED)
    if to_status == ConferenceStatus.DRAFT:
        # Back to draft: invitations are withdrawn (kept, with their tokens) until issued again.
        now = timezone.now()  # `updated_at` too: `update` skips auto_now, and the dashboard reads it
        Invitation.objects.filter(conference=conference, status=InvitationStatus.ACTIVE).update(
            status=InvitationStatus.WITHDRAWN, withdrawn_at=now, updated_at=now
        )
    ConferenceTransition.objects.create(
        conference=conference,
        from_status=conference.status,
        to_status=to_status,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason[:500],
    )
    previous, conference.status = conference.status, to_status
    conference.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        type="conferences.conference.moved",
        obj=conference,
        unit_path=conference.organising_unit.path,
        from_status=previous,
        to_status=to_status,
        **({"reason": reason} if reason else {}),
    )
    return conference


@transaction.atomic
def conference_delete(*, actor, conference: Conference) -> None:
    """Delete a draft conference with everything it holds (programme, points, rules).

    Raises `ConferenceError(invitations_sent)` once its invitations went out (even if it went
    back to draft since, which withdrew them): it is cancelled instead (`conference_transition`
    to "cancelled"). The row is locked so that issuing cannot slip in between check and delete.
    """
    require(actor, "conferences.change", conference)
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if not conference_is_deletable(conference=conference):
        raise ConferenceError(
            _(
                "Giấy mời của hội nghị đã được phát hành nên không thể xóa hội nghị; "
                "nếu hội nghị không diễn ra, hãy hủy hội nghị (giấy mời và lịch sử được giữ lại)."
            ),
            code=ConferenceErrorCode.INVITATIONS_SENT,
        )
    audit(
        actor=actor,
        type="conferences.conference.deleted",
        obj=conference,
        unit_path=conference.organising_unit.path,
        conference=conference.pk,
    )
    conference.delete()
