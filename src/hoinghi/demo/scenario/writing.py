"""Writing a plan to the database with bulk inserts: vocabularies, provinces, units, people, positions."""

from collections.abc import Iterator
from datetime import date

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from hoinghi.core.models import audit
from hoinghi.core.tree import path_child
from hoinghi.demo.scenario.plan import Plan
from hoinghi.demo.scenario.tree import KINDS, LEVELS, ROLES, ROOT_CODE, administrative_divisions
from hoinghi.orgs.models import (
    Level,
    Person,
    Position,
    PositionRole,
    Province,
    Unit,
    UnitKind,
    person_fill_derived,
    unit_fill_derived,
)

RESOLUTION_START = date(2018, 9, 26)  # the 12th Congress elected its committees in September 2018


def _batches(items: list, size: int = 2000) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def scenario_write(plan: Plan, *, progress=None) -> dict[str, int]:
    """Write a plan to the database: vocabularies, provinces, units, people and positions."""
    levels = {}
    for code, name, rank in LEVELS:
        levels[code], _ = Level.objects.update_or_create(code=code, defaults={"name": name, "rank": rank})
    kinds = {}
    for code, name, level in KINDS:
        kinds[code], _ = UnitKind.objects.update_or_create(
            code=code, defaults={"name": name, "level": levels[level]}
        )
    roles = {}
    for code, name, order in ROLES:
        roles[code], _ = PositionRole.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
    provinces = {}
    for province in administrative_divisions():
        provinces[province["code"]], _ = Province.objects.update_or_create(
            code=province["code"],
            defaults={
                "name": province["name"],
                "short_name": province["short_name"],
                "latitude": province["latitude"],
                "longitude": province["longitude"],
            },
        )

    # Ids are given here rather than by the database, so that every path is known before the
    # insert and the units go in with one bulk insert instead of an update per unit.
    next_id = (Unit.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    rows: dict[int, Unit] = {}
    for planned in plan.units:
        parent = rows[id(planned.parent)] if planned.parent is not None else None
        unit = Unit(
            id=next_id,
            code=planned.code,
            name=planned.name,
            short_name=planned.short_name,
            kind=kinds[planned.kind],
            parent=parent,
            sector=planned.sector,
            member_count=planned.member_count,
            worker_count=planned.worker_count,
            province=provinces.get(planned.province) if planned.province else None,
            place=planned.place,
            path=path_child(parent.path if parent else "", next_id),
            depth=parent.depth + 1 if parent else 0,
        )
        rows[id(planned)] = unit_fill_derived(unit)
        next_id += 1
    units = list(rows.values())
    for batch in _batches(units):
        Unit.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Unit]):
            cursor.execute(statement)
    if progress:
        progress(f"{len(units):,} đơn vị")

    code_width = 7
    next_person = Person.objects.count() + 1
    people = []
    for index, planned in enumerate(plan.people):
        person = Person(
            code=f"CB{next_person + index:0{code_width}d}",
            family_name=planned.family_name,
            middle_name=planned.middle_name,
            given_name=planned.given_name,
            gender=planned.gender,
            birth_date=planned.birth_date,
            phone=planned.phone,
            email=planned.email,
            unit=rows[id(planned.unit)],
        )
        people.append(person_fill_derived(person))
    positions = []
    for batch_start in range(0, len(people), 2000):
        batch = people[batch_start : batch_start + 2000]
        Person.objects.bulk_create(batch)
        for person, planned in zip(batch, plan.people[batch_start : batch_start + 2000], strict=True):
            for role, is_full_time in planned.positions:
                positions.append(
                    Position(
                        person=person,
                        unit=person.unit,
                        role=roles[role],
                        is_full_time=is_full_time,
                        start_date=RESOLUTION_START,
                    )
                )
        if progress and (batch_start // 2000) % 5 == 4 or batch_start + 2000 >= len(people):
            if progress:
                progress(f"{batch_start + len(batch):,}/{len(people):,} cán bộ")
    for batch in _batches(positions, 5000):
        Position.objects.bulk_create(batch)
    counts = {"units": len(units), "people": len(people), "positions": len(positions)}
    audit(
        actor=None,
        type="demo.scenario.loaded",
        obj=rows[id(plan.root)],
        unit_path=rows[id(plan.root)].path,
        **counts,
    )
    return counts


def scenario_is_loaded() -> bool:
    return Unit.objects.filter(code=ROOT_CODE).exists()
