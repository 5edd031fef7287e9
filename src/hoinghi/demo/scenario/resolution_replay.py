"""One quarter's reporting replayed across the country, through the real services, so that a
newcomer watches the roll-ups move on the live dashboard (`hoinghi resolutions-replay-quarter`).

The plan is drawn from the quarter's fixed seed, like the generated years: every unit that
reports the data set enters its values and submits at a moment of the fifteen days after the
quarter (the grassroots first, their districts, then the provinces; the lagging provinces later,
and a few of their units not at all); the level above approves each report a little after it
arrives, once all its children are approved (an approval that must wait is tried again half a
day later). The replay runs the steps as the simulated clock reaches them; each one is a real
`datavalues_save`, `submission_submit` or `submission_approve`, which publishes the change.
"""

import heapq
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from hoinghi.core.errors import DomainError
from hoinghi.core.tree import path_ids
from hoinghi.demo.scenario.resolution import LAGGING_PROVINCES, SEED, _quarter_values
from hoinghi.orgs.models import Unit
from hoinghi.resolutions import selectors as resolution_selectors
from hoinghi.resolutions import services as resolution_services
from hoinghi.resolutions.errors import ResolutionsErrorCode
from hoinghi.resolutions.models import (
    DataValue,
    Period,
    Periodicity,
    Submission,
    SubmissionState,
)

REPORTING_DAYS = 15
RETRY_AFTER = timedelta(hours=12)
ENTER, APPROVE = "enter", "approve"
# When a level reports, in days after the quarter (from, to); a lagging province starts later.
WHEN = {"grassroots": (0.2, 11), "district": (4, 13), "provincial": (8, 14.5)}


@dataclass(order=True)
class Step:
    at: timedelta
    order: int
    kind: str = field(compare=False)
    unit_id: int = field(compare=False)


def quarter_next(dataset) -> Period:
    """The quarter after the last one holding values (2024Q1 after the demo's 2019–2023)."""
    last = (
        Period.objects.filter(periodicity=Periodicity.QUARTER, pk__in=DataValue.objects.values("period"))
        .order_by("-start")
        .first()
    )
    if last is None:
        return resolution_services.period_ensure(periodicity=Periodicity.QUARTER, year=2019, number=1)
    quarter = (last.start.month - 1) // 3 + 1
    year, quarter = (last.start.year + 1, 1) if quarter == 4 else (last.start.year, quarter + 1)
    return resolution_services.period_ensure(periodicity=Periodicity.QUARTER, year=year, number=quarter)


def quarter_forget(*, actor, dataset, period: Period) -> int:
    """Remove what a previous replay of the quarter wrote (`datavalues_unload`)."""
    return resolution_services.datavalues_unload(actor=actor, dataset=dataset, period=period)


def quarter_plan(*, dataset, period: Period) -> tuple[list[Step], dict[int, dict]]:
    """The steps of the quarter, in time order, and the values each unit will enter."""
    units = list(
        Unit.objects.filter(resolution_selectors.dataset_unit_q(dataset))
        .values_list("pk", "path", "kind__level__code", "worker_count", "member_count")
        .order_by("pk")
    )
    provinces = sorted({path_ids(path)[1] for _pk, path, *_rest in units if len(path_ids(path)) > 1})
    lagging = set(random.Random(SEED).sample(provinces, min(LAGGING_PROVINCES, len(provinces))))
    rng = random.Random(f"{SEED}-replay-{period.code}")
    step_number = (period.start.year - 2019) * 4 + (period.start.month - 1) // 3
    steps, values = [], {}
    for order, (pk, path, level, workers, members) in enumerate(units):
        ids = path_ids(path)
        is_lagging = len(ids) > 1 and ids[1] in lagging
        unit = {"pk": pk, "path": path, "level": level, "workers": workers, "members": members}
        values[pk] = _quarter_values(rng, unit, step_number, 0.75 if is_lagging else 1.0)
        if is_lagging and rng.random() < 0.12:
            continue  # this one does not report within the fifteen days
        start, end = WHEN.get(level, (10, 14.5))
        if is_lagging:
            start = min(end, start + 3)
        day = rng.uniform(start, end)
        steps.append(Step(timedelta(days=day), order, ENTER, pk))
        steps.append(Step(timedelta(days=day + rng.uniform(0.2, 1.5)), order, APPROVE, pk))
    steps.sort()
    return steps, values


class QuarterReplay:
    """The steps of a plan, run as the simulated clock passes them."""

    def __init__(self, *, actor, dataset, period: Period, steps: list[Step], values: dict[int, dict]):
        self.actor, self.dataset, self.period, self.values = actor, dataset, period, values
        self.queue = list(steps)
        heapq.heapify(self.queue)
        self.units = Unit.objects.in_bulk(list(values))
        self.entered = self.approved = self.refused = 0
        self.clock = timedelta()  # the simulated time of the last step run

    @property
    def done(self) -> bool:
        return not self.queue

    @property
    def total(self) -> int:
        return len(self.values)

    def advance(self, elapsed: timedelta, budget: float | None = None) -> None:
        """Run every step due by `elapsed` of simulated time, or those that fit in `budget`
        seconds of real time (the rest wait for the next call: a replay faster than the machine
        runs at the machine's pace, about 25 units a second on SQLite, and still reports)."""
        stop = time.monotonic() + budget if budget is not None else None
        while self.queue and self.queue[0].at <= elapsed:
            if stop is not None and time.monotonic() > stop:
                return
            step = heapq.heappop(self.queue)
            self.clock = step.at
            try:
                self._run(step)
            except DomainError as error:
                waits = error.code in (
                    ResolutionsErrorCode.CHILDREN_NOT_APPROVED,
                    ResolutionsErrorCode.WRONG_STATE,
                )
                if step.kind == APPROVE and waits and step.at < timedelta(days=REPORTING_DAYS + 10):
                    heapq.heappush(
                        self.queue, Step(step.at + RETRY_AFTER, step.order, step.kind, step.unit_id)
                    )
                else:
                    self.refused += 1

    def _run(self, step: Step) -> None:
        unit = self.units[step.unit_id]
        if step.kind == ENTER:
            resolution_services.datavalues_save(
                actor=self.actor,
                dataset=self.dataset,
                unit=unit,
                period=self.period,
                values=self.values[unit.pk],
            )
            resolution_services.submission_submit(
                actor=self.actor, dataset=self.dataset, unit=unit, period=self.period
            )
            self.entered += 1
            return
        submission = Submission.objects.select_related("unit").get(
            dataset=self.dataset, period=self.period, unit=unit
        )
        if submission.state == SubmissionState.APPROVED:
            return
        resolution_services.submission_approve(actor=self.actor, submission=submission)
        self.approved += 1
