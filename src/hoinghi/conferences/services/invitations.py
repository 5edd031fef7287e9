"""Issuing invitations from the rules, re-applying them, and revoking a token."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.conferences.eligibility import eligibility_compute
from hoinghi.conferences.errors import ConferenceError, ConferenceErrorCode
from hoinghi.conferences.models import (
    Conference,
    ConferenceStatus,
    Invitation,
    InvitationStatus,
    new_token,
)
from hoinghi.conferences.services._common import _require_stage
from hoinghi.conferences.services.conference import conference_transition
from hoinghi.core.models import audit
from hoinghi.core.permissions import require

# --- Invitations ---------------------------------------------------------------------------------


def _apply(conference: Conference) -> dict[str, int]:
    """Make the stored invitations equal to what the rules give now, keeping what stays."""
    eligibility = eligibility_compute(conference)
    wanted = eligibility.candidates
    now = timezone.now()
    existing = {
        row["person_id"]: row
        for row in Invitation.objects.filter(conference=conference).values(
            "id", "person_id", "status", "point_id", "is_explicit"
        )
    }
    Through = Invitation.rules.through
    current_rules: dict[int, set[int]] = {}
    for invitation_id, rule_id in Through.objects.filter(invitation__conference=conference).values_list(
        "invitation_id", "eligibilityrule_id"
    ):
        current_rules.setdefault(invitation_id, set()).add(rule_id)

    created = [
        Invitation(
            conference=conference,
            person_id=person_id,
            point_id=c.point_id,
            is_explicit=c.is_explicit,
            token=new_token(),
        )
        for person_id, c in wanted.items()
        if person_id not in existing
    ]
    for batch_start in range(0, len(created), 2000):
        Invitation.objects.bulk_create(created[batch_start : batch_start + 2000])
    if created and created[0].pk is None:  # backends that do not return ids
        ids = dict(Invitation.objects.filter(conference=conference).values_list("person_id", "id"))
        for invitation in created:
            invitation.pk = ids[invitation.person_id]
    links = [
        Through(invitation_id=i.pk, eligibilityrule_id=r)
        for i in created
        for r in wanted[i.person_id].rule_ids
    ]

    reactivated = changed = withdrawn = 0
    updates: list[Invitation] = []
    unlink: list[tuple[int, int]] = []
    for person_id, row in existing.items():
        candidate = wanted.get(person_id)
        if candidate is None:
            if row["status"] == InvitationStatus.ACTIVE:
                withdrawn += 1
                updates.append(
                    Invitation(
                        id=row["id"],
                        status=InvitationStatus.WITHDRAWN,
                        withdrawn_at=now,
                        point_id=row["point_id"],
                        is_explicit=row["is_explicit"],
                        updated_at=now,
                    )
                )
            continue
        have = current_rules.get(row["id"], set())
        is_changed = (
            row["point_id"] != candidate.point_id
            or have != candidate.rule_ids
            or row["is_explicit"] != candidate.is_explicit
        )
        if row["status"] != InvitationStatus.ACTIVE:
            reactivated += 1
        elif is_changed:
            changed += 1
        if row["status"] != InvitationStatus.ACTIVE or is_changed:
            updates.append(
                Invitation(
                    id=row["id"],
                    status=InvitationStatus.ACTIVE,
                    withdrawn_at=None,
                    point_id=candidate.point_id,
                    is_explicit=candidate.is_explicit,
                    updated_at=now,
                )
            )
        links += [Through(invitation_id=row["id"], eligibilityrule_id=r) for r in candidate.rule_ids - have]
        unlink += [(row["id"], r) for r in have - candidate.rule_ids]
    # `updated_at` by hand: bulk updates skip `auto_now`, and the live dashboard keeps who is
    # invited where until the invitations' last change moves (attendance.dashboard).
    Invitation.objects.bulk_update(
        updates, ["status", "withdrawn_at", "point_id", "is_explicit", "updated_at"], batch_size=1000
    )
    for invitation_id, rule_id in unlink:
        Through.objects.filter(invitation_id=invitation_id, eligibilityrule_id=rule_id).delete()
    Through.objects.bulk_create(links, batch_size=5000)
    return {
        "added": len(created),
        "reactivated": reactivated,
        "changed": changed,
        "withdrawn": withdrawn,
        "total": len(wanted),
    }


@transaction.atomic
def conference_issue(*, actor, conference: Conference) -> dict[str, int]:
    """Write the invitation list from the rules and move the conference to "invitations issued"."""
    require(actor, "conferences.change", conference)
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if conference.status != ConferenceStatus.DRAFT:
        raise ConferenceError(
            _("Chỉ phát hành giấy mời khi hội nghị còn là bản nháp."), code=ConferenceErrorCode.BAD_TRANSITION
        )
    summary = _apply(conference)
    if not summary["total"]:
        raise ConferenceError(
            _("Các nhóm đối tượng chưa chọn được ai để mời."), code=ConferenceErrorCode.NOTHING_TO_ISSUE
        )
    conference_transition(actor=actor, conference=conference, to_status=ConferenceStatus.INVITATIONS_ISSUED)
    conference.refresh_from_db()
    audit(
        actor=actor,
        type="conferences.invitations.issued",
        obj=conference,
        unit_path=conference.organising_unit.path,
        **summary,
    )
    return summary


@transaction.atomic
def invitations_reapply(*, actor, conference: Conference) -> dict[str, int]:
    """After people or rules changed: add who now qualifies, withdraw who no longer does, and keep
    the tokens, messages and history of everyone who stays."""
    require(actor, "conferences.change", conference)
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    _require_stage(
        conference, frozenset({ConferenceStatus.INVITATIONS_ISSUED}), _("áp dụng lại danh sách mời")
    )
    summary = _apply(conference)
    audit(
        actor=actor,
        type="conferences.invitations.reapplied",
        obj=conference,
        unit_path=conference.organising_unit.path,
        **summary,
    )
    return summary


@transaction.atomic
def invitation_token_revoke(*, actor, invitation: Invitation) -> Invitation:
    """Cut the invitation's current link and QR code; a new token replaces it."""
    require(actor, "conferences.change", invitation)
    invitation.token = new_token()
    invitation.token_revoked_at = timezone.now()
    invitation.save(update_fields=["token", "token_revoked_at", "updated_at"])
    audit(
        actor=actor,
        type="conferences.invitation.token_revoked",
        obj=invitation,
        unit_path=invitation.person.unit.path,
    )
    return invitation
