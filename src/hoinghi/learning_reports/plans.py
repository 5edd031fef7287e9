"""Reads of the personal plans of learning reports for the pages of the resolutions: what the
writers of a unit's subtree plan to do for one part of a resolution (`resolutions.target_page`).

Only the latest submitted version of each report counts (a revised report replaces its plans),
and only the reports the actor may read (`learning_reports.view_reports`). A personal plan has no
status of its own: the writer states an action, a deadline and a measure, so the page tells
apart the plans whose deadline has passed from those still running.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef

from hoinghi.core.permissions import scope
from hoinghi.learning_reports.models import PlanItem, ReportVersion

PLANS_SHOWN = 100


@dataclass
class ServingPlans:
    total: int
    past_deadline: int
    plans: list[PlanItem]  # the first PLANS_SHOWN, the earliest deadline first

    @property
    def running(self) -> int:
        return self.total - self.past_deadline


def plans_serving(*, actor, item, unit, today: date) -> ServingPlans:
    """The personal plans serving `item` (a resolutions.ResolutionItem) written in `unit`'s
    subtree, in the reports `actor` may read."""
    newer = ReportVersion.objects.filter(
        report=OuterRef("version__report"), number__gt=OuterRef("version__number")
    )
    plans = scope(
        actor,
        "learning_reports.view_reports",
        PlanItem.objects.filter(
            serves=item, version__report__invitation__person__unit__path__under=unit.path
        ).exclude(Exists(newer)),
    )
    total = plans.count()
    if not total:
        return ServingPlans(0, 0, [])
    past = plans.filter(deadline__lt=today).count()
    shown = list(
        plans.select_related("version__report__invitation__person__unit").order_by(
            "deadline", "version__report__invitation__person__sort_key", "pk"
        )[:PLANS_SHOWN]
    )
    return ServingPlans(total, past, shown)
