"""Writes to conferences. Each service checks permission, validates, writes and audits."""

from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hoinghi.conferences.eligibility import eligibility_compute
from hoinghi.conferences.errors import ConferenceError, ConferenceErrorCode
from hoinghi.conferences.models import (
    TRANSITIONS,
    BridgePoint,
    BridgePointLevel,
    BridgePointUnit,
    Conference,
    ConferenceStatus,
    ConferenceTransition,
    EligibilityRule,
    FullTime,
    Invitation,
    InvitationOverride,
    InvitationStatus,
    OutboxMessage,
    OutboxStatus,
    OverrideKind,
    PersonPointAssignment,
    Presenter,
    ProgrammeItem,
    new_token,
)
from hoinghi.core.background import enqueue_on_commit
from hoinghi.core.errors import validate
from hoinghi.core.models import audit
from hoinghi.core.permissions import forget, require, scope
from hoinghi.orgs.models import Person, Unit

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
        Invitation.objects.filter(conference=conference, status=InvitationStatus.ACTIVE).update(
            status=InvitationStatus.WITHDRAWN, withdrawn_at=timezone.now()
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


# --- Programme -----------------------------------------------------------------------------------


@transaction.atomic
def programme_item_create(
    *,
    actor,
    conference: Conference,
    kind: str,
    title: str,
    planned_start=None,
    planned_end=None,
    order: int | None = None,
) -> ProgrammeItem:
    """Add an item at the end of the programme (or at `order`, shifting the ones after it)."""
    require(actor, "conferences.change", conference)
    _require_stage(conference, _PROGRAMME_OPEN, _("sửa chương trình"))
    items = ProgrammeItem.objects.select_for_update().filter(conference=conference).order_by("-order")
    last = items.first()
    end = (last.order + 1) if last else 1
    order = end if order is None or order > end else max(1, order)
    for item in items.filter(order__gte=order):  # from the end, so the unique order never clashes
        ProgrammeItem.objects.filter(pk=item.pk).update(order=item.order + 1)
    item = ProgrammeItem(
        conference=conference,
        order=order,
        kind=kind,
        title=title,
        planned_start=planned_start,
        planned_end=planned_end,
    )
    _validate(item)
    item.save()
    audit(
        actor=actor,
        type="conferences.programme_item.created",
        obj=item,
        unit_path=conference.organising_unit.path,
        order=order,
    )
    return item


@transaction.atomic
def programme_item_update(*, actor, item: ProgrammeItem, **changes) -> ProgrammeItem:
    require(actor, "conferences.change", item.conference)
    _require_stage(item.conference, _PROGRAMME_OPEN, _("sửa chương trình"))
    for name, value in changes.items():
        if name not in {"kind", "title", "planned_start", "planned_end"}:
            raise TypeError(name)
        setattr(item, name, value)
    _validate(item)
    item.save()
    audit(
        actor=actor,
        type="conferences.programme_item.updated",
        obj=item,
        unit_path=item.conference.organising_unit.path,
        fields=sorted(changes),
    )
    return item


@transaction.atomic
def programme_item_move(*, actor, item: ProgrammeItem, order: int) -> ProgrammeItem:
    """Put the item at position `order` (1-based), renumbering the others."""
    conference = item.conference
    require(actor, "conferences.change", conference)
    _require_stage(conference, _PROGRAMME_OPEN, _("sửa chương trình"))
    items = list(
        ProgrammeItem.objects.select_for_update().filter(conference=conference).order_by("order", "id")
    )
    moved = next(i for i in items if i.pk == item.pk)
    items.remove(moved)
    items.insert(max(0, min(order - 1, len(items))), moved)
    # Two passes so that the unique (conference, order) holds after every statement.
    for index, each in enumerate(items, start=1):
        ProgrammeItem.objects.filter(pk=each.pk).update(order=10_000 + index)
    for index, each in enumerate(items, start=1):
        ProgrammeItem.objects.filter(pk=each.pk).update(order=index)
    item.refresh_from_db()
    audit(
        actor=actor,
        type="conferences.programme_item.moved",
        obj=item,
        unit_path=conference.organising_unit.path,
        order=item.order,
    )
    return item


@transaction.atomic
def programme_item_delete(*, actor, item: ProgrammeItem) -> None:
    conference = item.conference
    require(actor, "conferences.change", conference)
    _require_stage(conference, _PROGRAMME_OPEN, _("sửa chương trình"))
    audit(
        actor=actor,
        type="conferences.programme_item.deleted",
        obj=item,
        unit_path=conference.organising_unit.path,
    )
    item.delete()
    for index, each in enumerate(
        ProgrammeItem.objects.filter(conference=conference).order_by("order", "id"), 1
    ):
        if each.order != index:
            ProgrammeItem.objects.filter(pk=each.pk).update(order=index)


@transaction.atomic
def presenter_add(
    *, actor, item: ProgrammeItem, person: Person | None = None, guest_name: str = "", title: str = ""
) -> Presenter:
    """Name who delivers an item: a person of the tree (visible to the actor) or a guest."""
    require(actor, "conferences.change", item.conference)
    if person is not None:
        require(actor, "orgs.view", person)
    order = item.presenters.count()
    presenter = Presenter(item=item, person=person, guest_name=guest_name, title=title, order=order)
    _validate(presenter)
    if person is None and not guest_name.strip():
        raise ConferenceError(
            _("Cần chọn một cán bộ hoặc nhập tên khách mời."), code=ConferenceErrorCode.INVALID
        )
    presenter.save()
    audit(
        actor=actor,
        type="conferences.presenter.added",
        obj=presenter,
        unit_path=item.conference.organising_unit.path,
        item=item.pk,
    )
    return presenter


@transaction.atomic
def presenter_remove(*, actor, presenter: Presenter) -> None:
    require(actor, "conferences.change", presenter.item.conference)
    audit(
        actor=actor,
        type="conferences.presenter.removed",
        obj=presenter,
        unit_path=presenter.item.conference.organising_unit.path,
    )
    presenter.delete()


# --- Bridge points -------------------------------------------------------------------------------


@transaction.atomic
def point_create(
    *,
    actor,
    conference: Conference,
    unit: Unit,
    name: str,
    level: BridgePointLevel,
    is_host: bool = False,
    address: str = "",
    capacity: int | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    serves_own_unit: bool = True,
) -> BridgePoint:
    """A bridge point run by `unit` (the actor must organise there); by default it serves that unit
    and, through it, every unit below that no nearer point serves."""
    require(actor, "conferences.change", unit)
    _require_stage(conference, _POINTS_OPEN, _("thêm điểm cầu"))
    if is_host and conference.points.filter(is_host=True).exists():
        raise ConferenceError(_("Hội nghị đã có điểm cầu chính."), code=ConferenceErrorCode.HOST_EXISTS)
    point = BridgePoint(
        conference=conference,
        unit=unit,
        name=name,
        level=level,
        is_host=is_host,
        address=address,
        capacity=capacity,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
    )
    _validate(point)
    point.save()
    if serves_own_unit:
        _serve(point, unit)
    audit(actor=actor, type="conferences.point.created", obj=point, unit_path=unit.path)
    return point


@transaction.atomic
def point_update(*, actor, point: BridgePoint, **changes) -> BridgePoint:
    require(actor, "conferences.change", point)
    _require_stage(point.conference, _POINTS_OPEN, _("sửa điểm cầu"))
    allowed = {"name", "level", "address", "capacity", "contact_name", "contact_phone", "contact_email"}
    for name, value in changes.items():
        if name not in allowed:
            raise TypeError(name)
        setattr(point, name, value)
    _validate(point)
    point.save()
    audit(
        actor=actor,
        type="conferences.point.updated",
        obj=point,
        unit_path=point.unit.path,
        fields=sorted(changes),
    )
    return point


@transaction.atomic
def point_delete(*, actor, point: BridgePoint) -> None:
    """Remove a point; its invitees go back to the point of the nearest unit above (on the next
    re-application of the rules). Refused while active invitations name it."""
    require(actor, "conferences.change", point)
    _require_stage(point.conference, _RULES_OPEN, _("xóa điểm cầu"))
    if point.invitations.filter(status=InvitationStatus.ACTIVE).exists():
        raise ConferenceError(
            _("Điểm cầu còn người được mời; hãy chuyển họ sang điểm cầu khác rồi áp dụng lại danh sách."),
            code=ConferenceErrorCode.POINT_HAS_INVITEES,
        )
    audit(actor=actor, type="conferences.point.deleted", obj=point, unit_path=point.unit.path)
    point.delete()


def _serve(point: BridgePoint, unit: Unit) -> None:
    BridgePointUnit.objects.update_or_create(
        conference=point.conference, unit=unit, defaults={"point": point}
    )


@transaction.atomic
def point_serve_unit(*, actor, point: BridgePoint, unit: Unit) -> None:
    """Make `point` serve `unit` (and everything below it without a nearer point), taking the
    unit from any point that served it before in this conference."""
    require(actor, "conferences.change", point)
    require(actor, "conferences.change", unit)
    _require_stage(point.conference, _POINTS_OPEN, _("phân đơn vị cho điểm cầu"))
    _serve(point, unit)
    audit(actor=actor, type="conferences.point.unit_served", obj=point, unit_path=unit.path, unit=unit.code)


@transaction.atomic
def point_unserve_unit(*, actor, point: BridgePoint, unit: Unit) -> None:
    require(actor, "conferences.change", point)
    _require_stage(point.conference, _POINTS_OPEN, _("phân đơn vị cho điểm cầu"))
    BridgePointUnit.objects.filter(point=point, unit=unit).delete()
    audit(actor=actor, type="conferences.point.unit_unserved", obj=point, unit_path=unit.path, unit=unit.code)


@transaction.atomic
def person_assign_point(*, actor, conference: Conference, person: Person, point: BridgePoint | None) -> None:
    """Send one person to `point` whatever their unit's point is (None: back to the rule).

    Raises `ConferenceError(wrong_conference)` for a point of another conference."""
    require(actor, "conferences.change", person)
    if point is not None:
        require(actor, "conferences.view", point)
    _require_part_of(conference, point)
    _require_stage(conference, _POINTS_OPEN, _("chuyển điểm cầu"))
    if point is None:
        PersonPointAssignment.objects.filter(conference=conference, person=person).delete()
    else:
        PersonPointAssignment.objects.update_or_create(
            conference=conference, person=person, defaults={"point": point}
        )
        Invitation.objects.filter(conference=conference, person=person).update(point=point)
    audit(
        actor=actor,
        type="conferences.person.point_assigned",
        obj=person,
        unit_path=person.unit.path,
        point=point.pk if point else None,
    )


@transaction.atomic
def point_operator_add(*, actor, point: BridgePoint, user) -> None:
    """Name `user` an operator of the point. The relation alone gives them the point's actions
    (`conferences.permissions.PointOperator`): the point, its roster and its check-in page, and
    nothing of the point's unit."""
    require(actor, "conferences.change", point)
    if point.operators.filter(pk=user.pk).exists():
        return
    point.operators.add(user)
    forget(user)
    audit(
        actor=actor,
        type="conferences.point.operator_added",
        obj=point,
        unit_path=point.unit.path,
        user=user.username,
    )


@transaction.atomic
def point_operator_remove(*, actor, point: BridgePoint, user) -> None:
    """Take the point's actions back from `user`: from now on they see nothing of it."""
    require(actor, "conferences.change", point)
    if not point.operators.filter(pk=user.pk).exists():
        return
    point.operators.remove(user)
    forget(user)
    audit(
        actor=actor,
        type="conferences.point.operator_removed",
        obj=point,
        unit_path=point.unit.path,
        user=user.username,
    )


READINESS_ITEMS = ("operator_confirmed_at", "equipment_ready_at", "link_tested_at")


@transaction.atomic
def point_readiness_mark(
    *, actor, point: BridgePoint, item: str, done: bool, at: datetime | None = None
) -> None:
    """Tick (or untick) one item of a point's readiness checklist; its operators may do it."""
    if item not in READINESS_ITEMS:
        raise ConferenceError(_("Mục kiểm tra không hợp lệ."), code=ConferenceErrorCode.INVALID)
    require(actor, "conferences.prepare_point", point)
    _require_stage(point.conference, _POINTS_OPEN, _("cập nhật tình trạng sẵn sàng"))
    setattr(point, item, (at or timezone.now()) if done else None)
    point.save(update_fields=[item, "updated_at"])
    audit(
        actor=actor,
        type="conferences.point.readiness_marked",
        obj=point,
        unit_path=point.unit.path,
        item=item,
        done=done,
    )


@transaction.atomic
def point_link_tested_mark(*, point: BridgePoint, at: datetime) -> bool:
    """Record that the point's link has carried the stream: its video player played (attendance's
    heartbeat says so, for an operator it has let in). Only a point not marked yet is marked: a tick
    an operator made stays as it is. Returns whether this call marked it. Not audited, as nobody
    ticked anything: the audit keeps what people did."""
    if point.link_tested_at is not None:
        return False
    marked = BridgePoint.objects.filter(pk=point.pk, link_tested_at__isnull=True).update(link_tested_at=at)
    if marked:
        point.link_tested_at = at
    return bool(marked)


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
                )
            )
        links += [Through(invitation_id=row["id"], eligibilityrule_id=r) for r in candidate.rule_ids - have]
        unlink += [(row["id"], r) for r in have - candidate.rule_ids]
    Invitation.objects.bulk_update(
        updates, ["status", "withdrawn_at", "point_id", "is_explicit"], batch_size=1000
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


# --- E-mail --------------------------------------------------------------------------------------

_EMAIL_OPEN = frozenset({ConferenceStatus.INVITATIONS_ISSUED, ConferenceStatus.LIVE})


@transaction.atomic
def invitations_email(*, actor, conference: Conference, point: BridgePoint | None = None) -> int:
    """Queue an invitation e-mail for every active invitation the actor may change (of `point`,
    if given) whose invitee has an address and has not been written to yet, then send them in the
    background. Returns how many were queued; calling it again queues only the newcomers.

    Someone with a failed message is not queued again here: the outbox page retries it.
    Raises `ConferenceError` (stage) before invitations are issued or after the conference, and
    (wrong_conference) for a point of another conference.
    """
    require(actor, "conferences.send", conference)
    _require_stage(conference, _EMAIL_OPEN, _("gửi thư mời"))
    if point is not None:
        require(actor, "conferences.view", point)
    _require_part_of(conference, point)
    invitations = scope(
        actor,
        "conferences.change",
        Invitation.objects.filter(
            conference=conference, status=InvitationStatus.ACTIVE, email_sent_at__isnull=True
        )
        .exclude(person__email="")
        .exclude(messages__isnull=False),
    )
    if point is not None:
        invitations = invitations.filter(point=point)
    subject = _("Giấy mời dự %(title)s") % {"title": conference.title}
    messages = [
        OutboxMessage(conference=conference, invitation_id=invitation_id, to=email, subject=subject[:300])
        for invitation_id, email in invitations.values_list("id", "person__email")
    ]
    OutboxMessage.objects.bulk_create(messages, batch_size=2000)
    audit(
        actor=actor,
        type="conferences.invitations.emailed",
        obj=conference,
        unit_path=point.unit.path if point is not None else conference.organising_unit.path,
        queued=len(messages),
        point=point.pk if point is not None else None,
    )
    if messages:
        enqueue_on_commit("hoinghi.conferences.tasks.outbox_send", conference_id=conference.pk)
    return len(messages)


@transaction.atomic
def outbox_retry(*, actor, conference: Conference, message=None) -> int:
    """Put a failed message (or every failed message the actor may change) back in the queue and
    send it again in the background. Returns how many were queued. Raises
    `ConferenceError(wrong_conference)` for a message of another conference."""
    if message is not None:
        require(actor, "conferences.change", message)
        _require_part_of(conference, message)
        failed = OutboxMessage.objects.filter(pk=message.pk)
    else:
        require(actor, "conferences.send", conference)
        failed = scope(actor, "conferences.change", OutboxMessage.objects.filter(conference=conference))
    count = failed.filter(status=OutboxStatus.FAILED).update(status=OutboxStatus.QUEUED, error="")
    audit(
        actor=actor,
        type="conferences.outbox.retried",
        obj=conference,
        unit_path=conference.organising_unit.path,
        queued=count,
    )
    if count:
        enqueue_on_commit("hoinghi.conferences.tasks.outbox_send", conference_id=conference.pk)
    return count


def _invitation_email(message: OutboxMessage) -> EmailMultiAlternatives:
    invitation = message.invitation
    context = {
        "conference": message.conference,
        "invitation": invitation,
        "person": invitation.person,
        "point": invitation.point,
        "link": settings.HOINGHI_BASE_URL
        + reverse("personal:invitation_page", kwargs={"token": invitation.token}),
    }
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=render_to_string("conferences/invitation_email.txt", context),
        to=[message.to],
    )
    email.attach_alternative(render_to_string("conferences/invitation_email.html", context), "text/html")
    return email


OUTBOX_BATCH = 50


def _outbox_failed(message: OutboxMessage, error: Exception, now) -> None:
    message.attempts += 1
    message.status, message.error = OutboxStatus.FAILED, f"{type(error).__name__}: {error}"[:2000]
    message.updated_at = now


def outbox_send(*, conference: Conference, batch_size: int = OUTBOX_BATCH) -> dict[str, int]:
    """Send the conference's queued messages through the default mailer, a batch at a time,
    recording on each one whether it went (and on its invitation when) or why it failed.

    Each batch is one transaction that locks its rows (`skip_locked` on PostgreSQL), so two
    workers never send the same message; a failure of one message does not stop the others.
    No actor: this is the background half of `invitations_email` and `outbox_retry`.
    """
    sent = failed = 0
    with translation.override("vi"):
        while True:
            with transaction.atomic():
                batch = list(
                    OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(conference=conference, status=OutboxStatus.QUEUED)
                    .select_related("conference", "invitation__person", "invitation__point")
                    .order_by("id")[:batch_size]
                )
                if not batch:
                    break
                now = timezone.now()
                connection = mailers.default
                try:
                    connection.open()
                except Exception as error:  # the server is down: the whole batch failed
                    for message in batch:
                        _outbox_failed(message, error, now)
                    failed += len(batch)
                else:
                    try:
                        for message in batch:
                            try:
                                connection.send_messages([_invitation_email(message)])
                            except Exception as error:  # SMTP, a refused address: go on with the rest
                                _outbox_failed(message, error, now)
                                failed += 1
                            else:
                                message.attempts += 1
                                message.status, message.error, message.sent_at = OutboxStatus.SENT, "", now
                                message.updated_at = now
                                sent += 1
                    finally:
                        connection.close()
                OutboxMessage.objects.bulk_update(
                    batch, ["status", "error", "attempts", "sent_at", "updated_at"]
                )
                Invitation.objects.filter(
                    pk__in=[m.invitation_id for m in batch if m.status == OutboxStatus.SENT]
                ).update(email_sent_at=now)
    return {"sent": sent, "failed": failed}


# --- Materials -----------------------------------------------------------------------------------

# The first bytes each kind of file starts with. Office Open XML files are zip archives; the old
# .doc is an OLE2 compound file; MP4 names its box type at offset 4.
_SIGNATURES: dict[str, tuple[tuple[int, bytes], ...]] = {
    ".pdf": ((0, b"%PDF-"),),
    ".docx": ((0, b"PK\x03\x04"),),
    ".pptx": ((0, b"PK\x03\x04"),),
    ".xlsx": ((0, b"PK\x03\x04"),),
    ".doc": ((0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),),
    ".mp4": ((4, b"ftyp"),),
    ".png": ((0, b"\x89PNG\r\n\x1a\n"),),
    ".jpg": ((0, b"\xff\xd8\xff"),),
    ".jpeg": ((0, b"\xff\xd8\xff"),),
}


def material_check(*, file_name: str, size: int, head: bytes) -> str:
    """The content type of an upload named `file_name`, `size` bytes long, starting with `head`.

    Raises `ConferenceError` `material_type` when the extension is not allowed
    (settings.HOINGHI_MATERIAL_TYPES) or the content is not what the extension says, and
    `material_too_large` over settings.HOINGHI_MATERIAL_MAX_BYTES.
    """
    from pathlib import PurePath

    from django.conf import settings
    from django.template.defaultfilters import filesizeformat

    extension = PurePath(file_name).suffix.lower()
    types = settings.HOINGHI_MATERIAL_TYPES
    if extension not in types:
        raise ConferenceError(
            _("Không nhận tệp “%(name)s”: chỉ nhận các loại tệp %(allowed)s."),
            code=ConferenceErrorCode.MATERIAL_TYPE,
            params={"name": file_name, "allowed": ", ".join(sorted(types))},
        )
    if size > settings.HOINGHI_MATERIAL_MAX_BYTES:
        raise ConferenceError(
            _("Tệp “%(name)s” quá lớn (%(size)s); giới hạn là %(limit)s."),
            code=ConferenceErrorCode.MATERIAL_TOO_LARGE,
            params={
                "name": file_name,
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.HOINGHI_MATERIAL_MAX_BYTES),
            },
        )
    signatures = _SIGNATURES.get(extension, ())
    if signatures and not any(head[offset : offset + len(magic)] == magic for offset, magic in signatures):
        raise ConferenceError(
            _(
                "Tệp “%(name)s” không phải là tệp %(kind)s thật (nội dung không khớp với phần mở rộng); "
                "hãy lưu lại đúng định dạng rồi tải lên."
            ),
            code=ConferenceErrorCode.MATERIAL_TYPE,
            params={"name": file_name, "kind": extension.lstrip(".").upper()},
        )
    return types[extension]


@transaction.atomic
def material_upload(*, actor, conference: Conference, title: str, file, item: ProgrammeItem | None = None):
    """Store a document for the conference (or one programme item of it) under MEDIA_ROOT.

    `file` is an uploaded file (Django `File`). Its type and size are checked before anything is
    written: a refused upload leaves no file and no row. Raises `ConferenceError` (`material_type`,
    `material_too_large`, `invalid`, `wrong_conference` for an item of another conference).
    """
    from hoinghi.conferences.models import Material

    require(actor, "conferences.change", conference)
    _require_stage(conference, _PROGRAMME_OPEN, _("thêm tài liệu"))
    _require_part_of(conference, item)
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    content_type = material_check(file_name=file.name, size=file.size, head=head)
    material = Material(
        conference=conference,
        item=item,
        title=title.strip() or file.name,
        content_type=content_type,
        size=file.size,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    _validate(material, exclude=["file"])
    material.file.save(file.name, file, save=False)
    # Should the row fail to save, the file just written must not stay behind.
    stored = material.file.name
    storage = material.file.storage
    try:
        material.save()
    except Exception:
        storage.delete(stored)
        raise
    audit(
        actor=actor,
        type="conferences.material.uploaded",
        obj=material,
        unit_path=conference.organising_unit.path,
        size=material.size,
        content_type=content_type,
    )
    return material


@transaction.atomic
def material_delete(*, actor, material) -> None:
    """Remove a material and, once the deletion is committed, its file."""
    conference = material.conference
    require(actor, "conferences.change", conference)
    name, storage = material.file.name, material.file.storage
    audit(
        actor=actor,
        type="conferences.material.deleted",
        obj=material,
        unit_path=conference.organising_unit.path,
    )
    material.delete()
    transaction.on_commit(lambda: storage.delete(name))
