"""Reads of the organisation tree, always scoped to the actor."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import reach, scope
from hoinghi.core.tree import path_ids
from hoinghi.orgs.importers import progress_key
from hoinghi.orgs.models import ImportJob, ImportStatus, Person, Position, Province, Unit
from hoinghi.orgs.vietnamese import search_terms, sort_key


def _not_found() -> NotFoundError:
    return NotFoundError(_("Không tìm thấy."), code="not_found")


def unit_list(
    *, actor, action: str = "orgs.view", search: str = "", kind=None, province=None
) -> QuerySet[Unit]:
    """Units the actor may `action`, higher levels first, optionally filtered by a
    diacritics-insensitive search."""
    units = scope(actor, action, Unit.objects.select_related("kind", "kind__level", "province"))
    for term in search_terms(search):
        units = units.filter(search_text__contains=term)
    if kind is not None:
        units = units.filter(kind=kind)
    if province is not None:
        units = units.filter(province=province)
    return units.order_by("depth", "name_sort_key", "id")


def unit_get(*, actor, pk: int, action: str = "orgs.view") -> Unit:
    """One unit, or `NotFoundError` if it does not exist or lies outside the actor's grants."""
    unit = unit_list(actor=actor, action=action).filter(pk=pk).first()
    if unit is None:
        raise _not_found()
    return unit


def unit_roots(*, actor) -> QuerySet[Unit]:
    """The tops of what the actor can see: the granted units that no other grant contains."""
    where = reach(actor, "orgs.view")
    if where.everything:
        roots = Unit.objects.filter(parent__isnull=True)
    else:
        roots = Unit.objects.filter(path__in=where.paths)
    return _with_child_flags(roots.select_related("kind", "kind__level", "province"))


def unit_children(*, actor, unit: Unit) -> QuerySet[Unit]:
    """The direct children of a visible unit, grouped by kind (federations, sector unions, ...)
    and in alphabetical order within a kind, with whether each has children of its own."""
    children = scope(actor, "orgs.view", unit.children.select_related("kind", "kind__level", "province"))
    return _with_child_flags(children).order_by("kind__level__rank", "kind_id", "name_sort_key", "id")


def _with_child_flags(units: QuerySet[Unit]) -> QuerySet[Unit]:
    return units.annotate(has_children=Exists(Unit.objects.filter(parent=OuterRef("pk"))))


def unit_ancestors(*, actor, unit: Unit) -> list[Unit]:
    """The visible ancestors of `unit`, from the top down (for breadcrumbs)."""
    ids = [int(part) for part in unit.path.strip("/").split("/")[:-1]]
    ancestors = scope(actor, "orgs.view", Unit.objects.filter(pk__in=ids))
    return sorted(ancestors, key=lambda ancestor: ancestor.depth)


@dataclass(frozen=True)
class UnitCounts:
    descendants: int
    children: int
    people: int
    people_in_subtree: int
    members_in_subtree: int


def unit_counts(*, actor, unit: Unit) -> UnitCounts:
    """Head-counts of a visible unit's subtree (the actor's scope applies inside it too)."""
    subtree = scope(actor, "orgs.view", Unit.objects.filter(path__under=unit.path))
    totals = subtree.aggregate(units=Count("id"), members=Sum("member_count"))
    return UnitCounts(
        descendants=totals["units"] - 1,
        children=unit.children.count(),
        people=unit.people.count(),
        people_in_subtree=person_count(actor=actor, unit=unit),
        members_in_subtree=totals["members"] or 0,
    )


def person_list(
    *,
    actor,
    action: str = "orgs.view",
    unit: Unit | None = None,
    include_subtree: bool = True,
    search: str = "",
    role=None,
    gender: str = "",
    kind=None,
    province=None,
) -> QuerySet[Person]:
    """People the actor may `action`, in Vietnamese order, filtered as asked."""
    people = scope(actor, action, Person.objects.select_related("unit", "unit__kind"))
    if unit is not None:
        people = people.filter(unit__path__under=unit.path) if include_subtree else people.filter(unit=unit)
    for term in search_terms(search):
        people = people.filter(search_text__contains=term)
    if role is not None:
        people = people.filter(
            Exists(Position.objects.filter(person=OuterRef("pk"), role=role, end_date__isnull=True))
        )
    if gender:
        people = people.filter(gender=gender)
    if kind is not None:
        people = people.filter(unit__kind=kind)
    if province is not None:
        people = people.filter(unit__province=province)
    return people.order_by("sort_key", "id")


def person_count(*, actor, unit: Unit) -> int:
    """How many people the actor can see in `unit`'s subtree."""
    return scope(actor, "orgs.view", Person.objects.filter(unit__path__under=unit.path)).count()


def person_ids_under(*, paths: tuple[str, ...]) -> QuerySet[Person]:
    """The ids of the people of the subtrees at `paths`, to filter other models with as a
    subquery (`person_id__in=`). Not scoped: the caller has already scoped `paths` to its actor."""
    return Person.objects.filter(reduce(or_, (Q(unit__path__under=path) for path in paths))).values("pk")


def person_get(*, actor, pk: int, action: str = "orgs.view") -> Person:
    person = scope(actor, action, Person.objects.select_related("unit")).filter(pk=pk).first()
    if person is None:
        raise _not_found()
    return person


def position_list(
    *, actor, unit: Unit | None = None, person: Person | None = None, current_only: bool = True
):
    """Positions the actor can see, in role order."""
    positions = scope(actor, "orgs.view", Position.objects.select_related("person", "unit", "role"))
    if unit is not None:
        positions = positions.filter(unit=unit)
    if person is not None:
        positions = positions.filter(person=person)
    if current_only:
        positions = positions.filter(Q(end_date__isnull=True))
    return positions.order_by("role__sort_order", "person__sort_key", "id")


def unit_place(*, unit: Unit) -> str:
    """Where the unit's documents are issued ("Hà Nội, ngày …"): its own `place`, else its
    province, else the nearest unit above with either (the Confederation has no province: its
    place is set, Hà Nội). Empty when no unit up the chain says. One query for the chain."""
    chain = {u.pk: u for u in Unit.objects.filter(pk__in=path_ids(unit.path)).select_related("province")}
    for pk in reversed(path_ids(unit.path)):
        candidate = chain.get(pk)
        if candidate is None:
            continue
        if candidate.place:
            return candidate.place
        if candidate.province is not None:
            return candidate.province.short_name or candidate.province.name
    return ""


def province_list() -> list[Province]:
    """The provinces in Vietnamese alphabetical order of their short names (for filters); the
    63 rows are sorted in Python by the one sort key rather than by the database's collation."""
    provinces = Province.objects.only("id", "code", "short_name")
    return sorted(provinces, key=lambda province: (sort_key(province.short_name), province.code))


def unit_grant_tops(*, actor, action: str) -> QuerySet[Unit]:
    """The tops of the subtrees where the actor may `action` (the roots for a superuser), as
    offered on the import and export pages."""
    where = reach(actor, action)
    if where.everything:
        units = Unit.objects.filter(parent__isnull=True)
    else:
        units = Unit.objects.filter(path__in=where.paths)
    return units.order_by("depth", "name_sort_key", "id")


def import_job_list(*, actor) -> QuerySet[ImportJob]:
    """Import jobs in the actor's import scope, newest first, without the files' bytes."""
    jobs = scope(actor, "orgs.import", ImportJob.objects.select_related("scope_unit", "created_by"))
    return jobs.defer("content", "errors", "details").order_by("-created_at", "-id")


def import_job_get(*, actor, pk: int) -> ImportJob:
    """One import job in the actor's import scope, or `NotFoundError`."""
    job = import_job_list(actor=actor).filter(pk=pk).first()
    if job is None:
        raise _not_found()
    return job


@dataclass(frozen=True)
class ImportProgress:
    status: str
    is_running: bool
    phase: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


RUNNING_IMPORT_STATUSES = frozenset({ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.APPLYING})


def import_job_progress(*, job: ImportJob) -> ImportProgress:
    """Where a running job is, from the cache its task writes to (nothing there yet: 0 of 0)."""
    state = cache.get(progress_key(job.pk)) or {}
    return ImportProgress(
        status=job.status,
        is_running=job.status in RUNNING_IMPORT_STATUSES,
        phase=state.get("phase", ""),
        done=state.get("done", 0),
        total=state.get("total", 0),
    )


def current_positions(*, person_ids) -> dict[int, list[tuple[str, int]]]:
    """Each person's current positions (no end date) as (unit path, role's sort order): the
    lower the sort order, the higher the role. For callers comparing people's places in a chain
    (who may mark whose learning report); no actor, nothing is shown."""
    positions: dict[int, list[tuple[str, int]]] = {}
    rows = Position.objects.filter(person_id__in=sorted(set(person_ids)), end_date__isnull=True).values_list(
        "person_id", "unit__path", "role__sort_order"
    )
    for person_id, path, order in rows:
        positions.setdefault(person_id, []).append((path, order))
    return positions
