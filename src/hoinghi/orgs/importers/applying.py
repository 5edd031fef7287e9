"""Applying an import: the bulk writes of a checked plan.

The writers take a plan from `planning` and write it with bulk_create / bulk_update in batches,
filling the derived columns with the same `unit_fill_derived` / `person_fill_derived` as the
one-at-a-time services. They do not open a transaction: `orgs.services.import_job_apply` runs
them in one, with the audit entry and the job's new status, so that it is all or nothing.
"""

import uuid

from django.db.models import DateField, F, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.core.tree import path_child
from hoinghi.orgs.errors import OrgsError, OrgsErrorCode
from hoinghi.orgs.importers.planning import PeoplePlan, UnitPlan
from hoinghi.orgs.importers.reading import Progress
from hoinghi.orgs.models import Person, Position, Unit, person_fill_derived, unit_fill_derived

TEMPORARY_PATH_PREFIX = "/new-"  # a new unit's path until its id is known; never a real path
WRITE_BATCH = 500


def _batches(items: list, size: int = WRITE_BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_units(plan: UnitPlan, *, scope_unit: Unit, progress: Progress) -> None:
    """Create and change the units of a plan, parents before children, then fix every path.

    New units get a temporary path until their ids are known; `unit_paths_rebuild` then
    writes the path and depth of every unit in the scope whose place changed.
    """
    progress.start("writing", len(plan.create) + len(plan.update))
    ids = {code: unit.id for code, unit in plan.existing.items()}
    depths = {code: unit.depth for code, unit in plan.existing.items()}
    pending = list(plan.create)
    while pending:
        ready = [row for row in pending if row.parent_code in ids]
        if not ready:
            raise OrgsError(_("Không xếp được thứ tự đơn vị cấp trên."), code=OrgsErrorCode.IMPORT_FAILED)
        units = [
            unit_fill_derived(
                Unit(
                    code=row.code,
                    parent_id=ids[row.parent_code],
                    depth=depths[row.parent_code] + 1,
                    path=f"{TEMPORARY_PATH_PREFIX}{uuid.uuid4().hex}/",
                    **row.values,
                )
            )
            for row in ready
        ]
        for batch in _batches(units):
            Unit.objects.bulk_create(batch)
            progress.step(len(batch))
        for unit in units:
            ids[unit.code] = unit.pk
            depths[unit.code] = unit.depth
        pending = [row for row in pending if row.code not in ids]

    now = timezone.now()
    changed = [
        unit_fill_derived(
            Unit(
                pk=ids[row.code],
                code=row.code,
                parent_id=ids[row.parent_code] if row.parent_code else None,
                updated_at=now,
                **row.values,
            )
        )
        for row in plan.update
    ]
    fields = [
        "name",
        "short_name",
        "kind",
        "sector",
        "member_count",
        "worker_count",
        "province",
        "parent",
        "name_sort_key",
        "search_text",
        "updated_at",
    ]
    for batch in _batches(changed):
        Unit.objects.bulk_update(batch, fields)
        progress.step(len(batch))
    if plan.create or plan.moved:
        unit_paths_rebuild(scope_unit)


def unit_paths_rebuild(scope_unit: Unit) -> int:
    """Recompute path and depth below `scope_unit` from the parent links; write those that differ.

    One pass over the subtree in Python instead of one prefix rewrite per moved unit: moves in
    one file may depend on each other (B leaves A's subtree, then A goes under B), and a walk
    from the top sees only the final tree. A path ends with the unit's own id, so no new path
    can equal another unit's old one and the unique index holds at every row.
    """
    scope_unit = Unit.objects.get(pk=scope_unit.pk)
    rows = Unit.objects.filter(
        Q(path__under=scope_unit.path) | Q(path__under=TEMPORARY_PATH_PREFIX)
    ).values_list("pk", "parent_id", "path", "depth")
    children: dict[int, list[tuple[int, str, int]]] = {}
    total = 0
    for pk, parent_id, path, depth in rows.iterator(chunk_size=5000):
        total += 1
        if pk != scope_unit.pk:
            children.setdefault(parent_id, []).append((pk, path, depth))
    changed: list[Unit] = []
    reached = 1
    stack = [(scope_unit.pk, scope_unit.path, scope_unit.depth)]
    while stack:
        parent_pk, parent_path, parent_depth = stack.pop()
        for pk, path, depth in children.get(parent_pk, ()):
            reached += 1
            new_path, new_depth = path_child(parent_path, pk), parent_depth + 1
            if (new_path, new_depth) != (path, depth):
                changed.append(Unit(pk=pk, path=new_path, depth=new_depth))
            stack.append((pk, new_path, new_depth))
    if reached != total:
        # A unit under the scope (or just created) that the walk from the scope did not reach
        # would keep a wrong path: refuse rather than store a broken tree.
        raise OrgsError(_("Cây đơn vị sau khi nhập không liền mạch."), code=OrgsErrorCode.IMPORT_FAILED)
    for batch in _batches(changed):
        Unit.objects.bulk_update(batch, ["path", "depth"])
    return len(changed)


def write_people(plan: PeoplePlan, *, progress: Progress) -> None:
    """Create and change the people of a plan, then end, change and create their positions."""
    progress.start("writing", len(plan.create) + len(plan.update))
    now = timezone.now()
    today = timezone.localdate()
    created = [person_fill_derived(Person(code=row.code, **row.values)) for row in plan.create]
    for batch in _batches(created, 1000):
        Person.objects.bulk_create(batch)
        progress.step(len(batch))
    ids = {person.code: person.pk for person in created}
    changed = []
    for row in plan.update:
        ids[row.code] = row.person_id
        changed.append(
            person_fill_derived(Person(pk=row.person_id, code=row.code, updated_at=now, **row.values))
        )
    fields = [
        "family_name",
        "middle_name",
        "given_name",
        "gender",
        "birth_date",
        "birth_year",
        "phone",
        "email",
        "unit",
        "full_name",
        "sort_key",
        "search_text",
        "updated_at",
    ]
    for batch in _batches(changed):
        Person.objects.bulk_update(batch, fields)
        progress.step(len(batch))

    # A position that started after today (entered ahead of time) ends on its start date.
    end_date = Greatest(Value(today), Coalesce(F("start_date"), Value(today)), output_field=DateField())
    for batch in _batches(plan.positions_to_end, 900):
        Position.objects.filter(pk__in=batch, end_date__isnull=True).update(end_date=end_date)
    for flag in (True, False):
        ids_to_flag = [pk for pk, value in plan.positions_full_time.items() if value is flag]
        for batch in _batches(ids_to_flag, 900):
            Position.objects.filter(pk__in=batch).update(is_full_time=flag)
    positions = [
        Position(
            person_id=ids[code], unit_id=unit_id, role_id=role_id, is_full_time=is_full_time, start_date=today
        )
        for code, unit_id, role_id, is_full_time in plan.positions_to_create
    ]
    for batch in _batches(positions, 1000):
        Position.objects.bulk_create(batch)
