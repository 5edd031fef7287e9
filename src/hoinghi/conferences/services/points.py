"""Writes to bridge points: the points, the units they serve, their operators and readiness."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.conferences.errors import ConferenceError, ConferenceErrorCode
from hoinghi.conferences.models import (
    BridgePoint,
    BridgePointLevel,
    BridgePointUnit,
    Conference,
    Invitation,
    InvitationStatus,
    PersonPointAssignment,
    point_fill_derived,
)
from hoinghi.conferences.services._common import (
    _POINTS_OPEN,
    _RULES_OPEN,
    _require_part_of,
    _require_stage,
    _validate,
)
from hoinghi.core.models import audit
from hoinghi.core.permissions import forget, require
from hoinghi.orgs.models import Person, Unit

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
    point_fill_derived(point)
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
    point_fill_derived(point)
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
        Invitation.objects.filter(conference=conference, person=person).update(
            point=point,
            updated_at=timezone.now(),  # `update` skips auto_now; the dashboard reads it
        )
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
