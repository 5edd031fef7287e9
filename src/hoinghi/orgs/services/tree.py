"""Units, people and positions, one at a time: each service checks permission, validates,
writes and audits."""

import uuid
from datetime import date

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from hoinghi.core.models import audit
from hoinghi.core.permissions import WHOLE_TREE, can, require
from hoinghi.core.tree import path_child
from hoinghi.orgs.errors import OrgsError, OrgsErrorCode
from hoinghi.orgs.models import (
    Person,
    Position,
    PositionRole,
    Province,
    Unit,
    UnitKind,
    person_fill_derived,
    unit_fill_derived,
)
from hoinghi.orgs.services._common import PERSON_FIELDS, UNIT_FIELDS, _tree_changed, _validate


@transaction.atomic
def unit_create(
    *,
    actor,
    parent: Unit | None,
    code: str,
    name: str,
    kind: UnitKind,
    short_name: str = "",
    sector: str = "",
    member_count: int = 0,
    worker_count: int | None = None,
    province: Province | None = None,
    place: str = "",
) -> Unit:
    """Create a unit under `parent` (a root when None, which only a superuser may do).

    Raises `NotFoundError`/`PermissionDeniedError` unless the actor may change the parent's
    subtree, and `OrgsError(invalid)` for a duplicate code or bad values.
    """
    if parent is None:
        if not can(actor, "orgs.change", WHOLE_TREE):
            raise OrgsError(
                _("Chỉ quản trị tối cao mới tạo được đơn vị gốc."), code=OrgsErrorCode.ROOT_NEEDS_SUPERUSER
            )
    else:
        require(actor, "orgs.change", parent)
    unit = Unit(
        parent=parent,
        code=code.strip(),
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        sector=sector,
        member_count=member_count,
        worker_count=worker_count,
        province=province,
        place=place.strip(),
        depth=(parent.depth + 1) if parent else 0,
        path=f"/new-{uuid.uuid4().hex}/",  # replaced below, once the id is known
    )
    unit_fill_derived(unit)
    _validate(unit, exclude=["path"])
    unit.save()
    unit.path = path_child(parent.path if parent else "", unit.pk)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    _tree_changed(unit=unit, change="created")
    audit(actor=actor, type="orgs.unit.created", obj=unit, unit_path=unit.path, code=unit.code)
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, **changes) -> Unit:
    """Change a unit's own fields (not its place in the tree: see `unit_move`)."""
    require(actor, "orgs.change", unit)
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unit_update cannot change {sorted(unknown)}")
    before = {field: str(getattr(unit, field)) for field in changes}
    old_kind_id = unit.kind_id
    for field, value in changes.items():
        setattr(unit, field, value.strip() if isinstance(value, str) else value)
    unit_fill_derived(unit)
    _validate(unit)
    unit.save()
    if unit.kind_id != old_kind_id:
        _tree_changed(unit=unit, change="kind_changed", old_kind_id=old_kind_id)
    audit(actor=actor, type="orgs.unit.changed", obj=unit, unit_path=unit.path, before=before)
    return unit


@transaction.atomic
def unit_move(*, actor, unit: Unit, new_parent: Unit) -> Unit:
    """Move `unit` and its whole subtree under `new_parent`, rewriting every path below it.

    The actor needs the change right on both the unit and the new parent. The unit's row is
    locked so that two moves of one subtree run one after the other.
    """
    require(actor, "orgs.change", unit)
    require(actor, "orgs.change", new_parent)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    new_parent = Unit.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(unit.path):
        raise OrgsError(
            _("Không thể chuyển “%(unit)s” vào chính nó hoặc đơn vị cấp dưới của nó."),
            code=OrgsErrorCode.MOVE_INTO_OWN_SUBTREE,
            params={"unit": unit.name},
        )
    old_path = unit.path
    new_path = path_child(new_parent.path, unit.pk)
    depth_change = new_parent.depth + 1 - unit.depth
    Unit.objects.filter(path__under=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    _tree_changed(unit=unit, change="moved", old_path=old_path)
    audit(actor=actor, type="orgs.unit.moved", obj=unit, unit_path=unit.path, old_path=old_path)
    return unit


@transaction.atomic
def unit_delete(*, actor, unit: Unit) -> None:
    """Delete a unit that has no sub-units, people or positions; otherwise say why not."""
    require(actor, "orgs.change", unit)
    if unit.children.exists():
        raise OrgsError(
            _("Không thể xóa “%(unit)s”: đơn vị còn %(count)s đơn vị trực thuộc."),
            code=OrgsErrorCode.UNIT_HAS_CHILDREN,
            params={"unit": unit.name, "count": unit.children.count()},
        )
    if unit.people.exists():
        raise OrgsError(
            _("Không thể xóa “%(unit)s”: đơn vị còn %(count)s cán bộ."),
            code=OrgsErrorCode.UNIT_HAS_PEOPLE,
            params={"unit": unit.name, "count": unit.people.count()},
        )
    if unit.positions.exists():
        raise OrgsError(
            _("Không thể xóa “%(unit)s”: còn %(count)s chức vụ gắn với đơn vị."),
            code=OrgsErrorCode.UNIT_HAS_POSITIONS,
            params={"unit": unit.name, "count": unit.positions.count()},
        )
    audit(actor=actor, type="orgs.unit.deleted", obj=unit, unit_path=unit.path, code=unit.code)
    _tree_changed(unit=unit, change="deleting")
    unit.delete()


@transaction.atomic
def person_create(
    *,
    actor,
    unit: Unit,
    code: str,
    given_name: str,
    family_name: str = "",
    middle_name: str = "",
    gender: str = "",
    birth_date: date | None = None,
    birth_year: int | None = None,
    phone: str = "",
    email: str = "",
) -> Person:
    """Add a person to `unit`. Raises unless the actor may change the unit's subtree."""
    require(actor, "orgs.change", unit)
    person = Person(
        unit=unit,
        code=code.strip(),
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        middle_name=middle_name.strip(),
        gender=gender,
        birth_date=birth_date,
        birth_year=birth_year,
        phone=phone.strip(),
        email=email.strip(),
    )
    person_fill_derived(person)
    _validate(person)
    person.save()
    audit(actor=actor, type="orgs.person.created", obj=person, unit_path=unit.path, code=person.code)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **changes) -> Person:
    """Change a person's fields; moving them to another unit needs the right on both units."""
    require(actor, "orgs.change", person)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update cannot change {sorted(unknown)}")
    if "unit" in changes:
        require(actor, "orgs.change", changes["unit"])
    before = {field: str(getattr(person, field)) for field in changes}
    for field, value in changes.items():
        setattr(person, field, value.strip() if isinstance(value, str) else value)
    person_fill_derived(person)
    _validate(person)
    person.save()
    audit(actor=actor, type="orgs.person.changed", obj=person, unit_path=person.unit.path, before=before)
    return person


@transaction.atomic
def person_delete(*, actor, person: Person) -> None:
    """Delete a person and their positions."""
    require(actor, "orgs.change", person)
    audit(actor=actor, type="orgs.person.deleted", obj=person, unit_path=person.unit.path, code=person.code)
    person.delete()


@transaction.atomic
def position_create(
    *,
    actor,
    person: Person,
    unit: Unit,
    role: PositionRole,
    is_full_time: bool = False,
    start_date: date | None = None,
    end_date: date | None = None,
) -> Position:
    """Record that `person` holds `role` in `unit`."""
    require(actor, "orgs.change", unit)
    require(actor, "orgs.view", person)
    position = Position(
        person=person,
        unit=unit,
        role=role,
        is_full_time=is_full_time,
        start_date=start_date,
        end_date=end_date,
    )
    _validate(position)
    position.save()
    audit(actor=actor, type="orgs.position.created", obj=position, unit_path=unit.path)
    return position


@transaction.atomic
def position_end(*, actor, position: Position, end_date: date) -> Position:
    """Close a position on `end_date`."""
    require(actor, "orgs.change", position)
    position.end_date = end_date
    _validate(position)
    position.save(update_fields=["end_date"])
    audit(actor=actor, type="orgs.position.ended", obj=position, unit_path=position.unit.path)
    return position
