"""Writes to the eligibility rules (categories of invitees) and the per-person overrides."""

from django.db import transaction
from django.utils.translation import gettext as _

from hoinghi.conferences.errors import ConferenceError, ConferenceErrorCode
from hoinghi.conferences.models import (
    Conference,
    EligibilityRule,
    FullTime,
    InvitationOverride,
    OverrideKind,
)
from hoinghi.conferences.services._common import _RULES_OPEN, _require_part_of, _require_stage, _validate
from hoinghi.core.models import audit
from hoinghi.core.permissions import require
from hoinghi.orgs.models import Person, Unit

# --- Eligibility rules and overrides -------------------------------------------------------------


@transaction.atomic
def rule_save(
    *,
    actor,
    conference: Conference,
    name: str,
    rule: EligibilityRule | None = None,
    roles=(),
    levels=(),
    unit_kinds=(),
    full_time: str = FullTime.ANY,
    min_member_count: int | None = None,
    within: Unit | None = None,
) -> EligibilityRule:
    """Create or change a rule (a category of invitees). Refused once the conference is live, and
    for a `rule` of another conference (`ConferenceError(wrong_conference)`)."""
    require(actor, "conferences.change", conference)
    _require_part_of(conference, rule)
    _require_stage(conference, _RULES_OPEN, _("sửa nhóm đối tượng mời"))
    if within is not None:
        require(actor, "orgs.view", within)
    if rule is None:
        last = conference.rules.order_by("-order").first()
        rule = EligibilityRule(conference=conference, order=(last.order + 1) if last else 1)
    rule.name, rule.full_time, rule.min_member_count, rule.within = name, full_time, min_member_count, within
    _validate(rule, exclude=["conference"])
    if not (roles or levels or unit_kinds or full_time != FullTime.ANY or min_member_count or within):
        raise ConferenceError(
            _(
                "Nhóm đối tượng cần ít nhất một điều kiện (chức vụ, cấp, loại đơn vị, chuyên trách, "
                "số đoàn viên)."
            ),
            code=ConferenceErrorCode.RULE_EMPTY,
        )
    rule.save()
    rule.roles.set(roles)
    rule.levels.set(levels)
    rule.unit_kinds.set(unit_kinds)
    audit(actor=actor, type="conferences.rule.saved", obj=rule, unit_path=conference.organising_unit.path)
    return rule


@transaction.atomic
def rule_delete(*, actor, rule: EligibilityRule) -> None:
    require(actor, "conferences.change", rule.conference)
    _require_stage(rule.conference, _RULES_OPEN, _("xóa nhóm đối tượng mời"))
    audit(
        actor=actor, type="conferences.rule.deleted", obj=rule, unit_path=rule.conference.organising_unit.path
    )
    rule.delete()


@transaction.atomic
def override_set(*, actor, conference: Conference, person: Person, kind: str, reason: str = "") -> None:
    """Invite `person` whatever the rules say (include), or never invite them (exclude)."""
    require(actor, "conferences.change", person)
    _require_stage(conference, _RULES_OPEN, _("mời thêm hoặc loại trừ"))
    if kind not in OverrideKind.values:
        raise ConferenceError(_("Loại không hợp lệ."), code=ConferenceErrorCode.INVALID)
    InvitationOverride.objects.update_or_create(
        conference=conference,
        person=person,
        defaults={
            "kind": kind,
            "reason": reason,
            "created_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    audit(actor=actor, type="conferences.override.set", obj=person, unit_path=person.unit.path, kind=kind)


@transaction.atomic
def override_remove(*, actor, conference: Conference, person: Person) -> None:
    require(actor, "conferences.change", person)
    _require_stage(conference, _RULES_OPEN, _("mời thêm hoặc loại trừ"))
    InvitationOverride.objects.filter(conference=conference, person=person).delete()
    audit(actor=actor, type="conferences.override.removed", obj=person, unit_path=person.unit.path)
