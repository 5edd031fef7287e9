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
def conference_transition(*, actor, conference: Conference, to_status: str) -> Conference:
    """Move the conference to its next stage (see `TRANSITIONS`), recording who and when.

    Issuing invitations goes through `conference_issue`, which also writes the invitations.
    The row is locked so that two organisers cannot move it at once.
    """
    require(actor, "conferences.change", conference)
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if to_status not in TRANSITIONS[conference.status]:
        raise ConferenceError(
            _("Không thể chuyển hội nghị từ “%(from)s” sang “%(to)s”."),
            code=ConferenceErrorCode.BAD_TRANSITION,
            params={"from": conference.get_status_display(), "to": ConferenceStatus(to_status).label},
        )
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
    )
    return conference
