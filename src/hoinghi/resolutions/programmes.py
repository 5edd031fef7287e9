"""Reads of the units' action programmes, scoped to the actor: a unit's programme and its items,
the programmes of a subtree with their progress, and a target's page (what serves it).

An item's progress is computed where it is read — in SQL by `progress_expression(today)` — and
never stored, so an item past its deadline is overdue on the very day it passes.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, CharField, Count, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import scope
from hoinghi.orgs.models import Person, PositionRole, Unit
from hoinghi.resolutions.models import (
    ActionItem,
    ActionProgramme,
    ItemKind,
    ItemStatus,
    Progress,
    Resolution,
    ResolutionItem,
)

# The place where the apps above add what else serves a part of the resolution (learning
# reports: the personal plans of their writers). Declared in ResolutionsConfig.ready.
TARGET_PAGE = "resolutions.target_page"
TARGET_PAGE_SIGNATURE = (
    "(request, *, item: ResolutionItem, unit: Unit, today: date) -> HTML: a section of the page of a "
    "part of the resolution, for what serves it in the unit's subtree that request.user may see"
)

PROGRESS_ORDER = {value: n for n, value in enumerate(Progress.values)}  # overdue first


def _not_found() -> NotFoundError:
    return NotFoundError(_("Không tìm thấy."), code="not_found")


def progress_expression(today: date) -> Case:
    """An item's `Progress` on `today`, in SQL: overdue when not done past its deadline."""
    return Case(
        When(~Q(status=ItemStatus.DONE) & Q(deadline__lt=today), then=Value(Progress.OVERDUE)),
        default="status",
        output_field=CharField(),
    )


def progress_rank(today: date) -> Case:
    """The order of the pages: overdue, not started, in progress, done."""
    return Case(
        When(~Q(status=ItemStatus.DONE) & Q(deadline__lt=today), then=Value(0)),
        When(status=ItemStatus.NOT_STARTED, then=Value(1)),
        When(status=ItemStatus.IN_PROGRESS, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


@dataclass
class Counts:
    """How many items stand where; `total` and the share done."""

    by_progress: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Progress.values, 0))

    @property
    def total(self) -> int:
        return sum(self.by_progress.values())

    @property
    def done_percent(self) -> int:
        return round(100 * self.by_progress[Progress.DONE] / self.total) if self.total else 0

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        """(value, label, count) in the pages' order."""
        return [(value, label, self.by_progress[value]) for value, label in Progress.choices]


def counts_of(items: QuerySet[ActionItem], today: date) -> Counts:
    counts = Counts()
    rows = items.order_by().values(progress=progress_expression(today)).annotate(n=Count("pk"))
    for row in rows:
        counts.by_progress[row["progress"]] += row["n"]
    return counts


def items_ordered(items: QuerySet[ActionItem], today: date) -> QuerySet[ActionItem]:
    """Items with their owner and part, overdue first, then by deadline."""
    return (
        items.select_related("serves", "owner_person", "owner_unit", "owner_role", "programme__unit")
        .annotate(progress=progress_expression(today), rank=progress_rank(today))
        .order_by("rank", "deadline", "programme__unit__path", "number")
    )


# --- Programmes --------------------------------------------------------------------------------


def programme_get(*, actor, pk: int) -> ActionProgramme:
    """A programme the actor sees (NotFoundError otherwise, absent and out of scope alike)."""
    programmes = scope(
        actor, "resolutions.view", ActionProgramme.objects.select_related("resolution", "unit", "unit__kind")
    )
    programme = programmes.filter(pk=pk).first()
    if programme is None:
        raise _not_found()
    return programme


def programme_of(*, resolution: Resolution, unit: Unit) -> ActionProgramme | None:
    """The unit's programme for the resolution (the caller has checked the unit is visible)."""
    return ActionProgramme.objects.filter(resolution=resolution, unit=unit).select_related("unit").first()


def programme_items(*, programme: ActionProgramme, today: date) -> QuerySet[ActionItem]:
    return items_ordered(programme.items.all(), today).order_by("number")


@dataclass
class ProgrammeRow:
    programme: ActionProgramme
    counts: Counts


PROGRAMMES_SHOWN = 200


def programmes_under(*, actor, resolution: Resolution, unit: Unit, today: date) -> list[ProgrammeRow]:
    """The programmes of the units strictly below `unit` that the actor sees, with their counts
    (one grouped query): the nearest levels first, at most `PROGRAMMES_SHOWN` (each unit's own
    page lists those below it)."""
    programmes = list(
        scope(
            actor,
            "resolutions.view",
            ActionProgramme.objects.filter(resolution=resolution, unit__path__under=unit.path)
            .exclude(unit=unit)
            .select_related("unit"),
        ).order_by("unit__depth", "unit__name_sort_key")[:PROGRAMMES_SHOWN]
    )
    counts = {programme.pk: Counts() for programme in programmes}
    rows = (
        ActionItem.objects.filter(programme__in=list(counts))
        .order_by()
        .values("programme_id", progress=progress_expression(today))
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["programme_id"]].by_progress[row["progress"]] += row["n"]
    return [ProgrammeRow(programme, counts[programme.pk]) for programme in programmes]


def action_item_get(*, actor, pk: int, action: str = "resolutions.view") -> ActionItem:
    items = scope(
        actor, action, ActionItem.objects.select_related("programme__unit", "programme__resolution")
    )
    item = items.filter(pk=pk).first()
    if item is None:
        raise _not_found()
    return item


# --- What a form offers ------------------------------------------------------------------------


def serves_choices(*, resolution: Resolution) -> QuerySet[ResolutionItem]:
    """The parts an item may serve: targets, breakthroughs and tasks, each kind in its order."""
    return resolution.items.order_by(
        Case(
            When(kind=ItemKind.TARGET, then=Value(0)),
            When(kind=ItemKind.BREAKTHROUGH, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        "number",
    )


def owner_choices(*, unit: Unit) -> tuple[list[Person], list[Unit], list[PositionRole]]:
    """Who may answer for an item of the unit's programme, as the form offers them: the people of
    the unit itself, the unit and its direct children, and the roles a unit's holder may have."""
    people = list(Person.objects.filter(unit=unit).order_by("sort_key", "pk")[:300])
    units = [unit, *Unit.objects.filter(parent=unit).order_by("name_sort_key", "pk")[:300]]
    return people, units, list(PositionRole.objects.order_by("sort_order", "name"))


def resolution_items_for(*, unit: Unit) -> QuerySet[ResolutionItem]:
    """The parts of every resolution `unit` carries out (adopted by it or a unit above it), for a
    writer to pick what a personal plan serves: targets and tasks first, newest resolution first."""
    ancestors = _ancestor_paths(unit.path)
    return (
        ResolutionItem.objects.filter(resolution__owner__path__in=ancestors)
        .select_related("resolution")
        .order_by(
            "-resolution__adopted_on",
            "resolution_id",
            Case(
                When(kind=ItemKind.TARGET, then=Value(0)),
                When(kind=ItemKind.TASK, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            "number",
        )
    )


def _ancestor_paths(path: str) -> list[str]:
    ids = [part for part in path.strip("/").split("/") if part]
    return ["/" + "/".join(ids[: n + 1]) + "/" for n in range(len(ids))]


# --- A target's page ---------------------------------------------------------------------------


def resolution_item_get(*, actor, pk: int) -> ResolutionItem:
    """A part of a resolution the actor sees (the resolution is shared down its owner's tree)."""
    resolutions = scope(actor, "resolutions.view", Resolution.objects.all())
    item = (
        ResolutionItem.objects.filter(pk=pk, resolution__in=resolutions).select_related("resolution").first()
    )
    if item is None:
        raise _not_found()
    return item


@dataclass
class ServingItems:
    """The programme items serving a part of the resolution in a unit's subtree."""

    counts: Counts
    items: list[ActionItem]
    shown: int  # at most ITEMS_SHOWN listed; `counts` counts them all


ITEMS_SHOWN = 200


def serving_items(*, actor, item: ResolutionItem, unit: Unit, today: date) -> ServingItems:
    """The programme items serving `item` in `unit`'s subtree that the actor sees: counted by
    progress, and the first `ITEMS_SHOWN` listed overdue first, then by deadline."""
    items = scope(
        actor,
        "resolutions.view",
        ActionItem.objects.filter(serves=item, programme__unit__path__under=unit.path),
    )
    counts = counts_of(items, today)
    listed = list(items_ordered(items, today)[:ITEMS_SHOWN])
    return ServingItems(counts, listed, len(listed))


def indicators_of(*, item: ResolutionItem):
    return item.indicators.order_by("order", "code")
