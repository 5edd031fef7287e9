"""The totals of every subtree, kept current in the transaction that changes a value.

A value of a unit counts in the roll-up row of the unit itself and of each of its ancestors (the
ids of its materialized path). A change moves each of those rows by the difference between the
new and the old value, so a changed value replaces, never adds. Ratios are never stored: an
indicator divides the summed numerator by the summed denominator when it is read.

`rollups_recompute` rebuilds every row from the values, for repair (and to check the incremental
totals in the tests).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q

from hoinghi.core.models import audit
from hoinghi.core.tree import path_ids
from hoinghi.resolutions.models import DataValue, Period, RollUp

BATCH = 500

# (unit path, period id, element id, option) -> (value difference, reporting difference)
Deltas = Mapping[tuple[str, int, int, str], tuple[Decimal, int]]


def _ancestor_deltas(deltas: Deltas) -> dict[tuple[int, int, int, str], list]:
    """The deltas of the values, spread to the unit and every ancestor and summed per row."""
    rows: dict[tuple[int, int, int, str], list] = defaultdict(lambda: [Decimal(0), 0])
    for (path, period_id, element_id, option), (value, reporting) in deltas.items():
        if not value and not reporting:
            continue
        for unit_id in path_ids(path):
            row = rows[(unit_id, period_id, element_id, option)]
            row[0] += value
            row[1] += reporting
    return rows


def rollups_add(deltas: Deltas) -> int:
    """Move the roll-up rows of every ancestor of the changed values by the deltas.

    Called inside the transaction that writes the values. Missing rows are inserted as zeros
    first (ignoring those another transaction inserted meanwhile), then the rows to change are
    locked in id order (`select_for_update`), so that two units of one district saving at once
    queue on their shared ancestors instead of deadlocking or losing an addition, and updated
    in batches. Returns the number of rows changed.
    """
    rows = _ancestor_deltas(deltas)
    if not rows:
        return 0
    RollUp.objects.bulk_create(
        [RollUp(unit_id=u, period_id=p, element_id=e, option=o) for (u, p, e, o) in rows],
        ignore_conflicts=True,
        batch_size=BATCH,
    )
    by_group: dict[tuple[int, int, str], set[int]] = defaultdict(set)
    for unit_id, period_id, element_id, option in rows:
        by_group[(period_id, element_id, option)].add(unit_id)
    changed = []
    # One query per group of (period, element, option) and per thousand units: few for a form,
    # and within the databases' limits on parameters for an upload of a province.
    chunks = [
        Q(period_id=period_id, element_id=element_id, option=option, unit_id__in=units[start : start + 1000])
        for (period_id, element_id, option), unit_set in sorted(by_group.items())
        for units in [sorted(unit_set)]
        for start in range(0, len(units), 1000)
    ]
    for start in range(0, len(chunks), 20):
        condition = reduce(or_, chunks[start : start + 20])
        for rollup in RollUp.objects.select_for_update().filter(condition).order_by("pk"):
            value, reporting = rows[(rollup.unit_id, rollup.period_id, rollup.element_id, rollup.option)]
            rollup.value += value
            rollup.reporting += reporting
            changed.append(rollup)
    RollUp.objects.bulk_update(changed, ["value", "reporting"], batch_size=BATCH)
    # A subtree where nobody reports any more has no row, as after a recompute.
    emptied = [rollup.pk for rollup in changed if rollup.reporting == 0]
    if emptied:
        RollUp.objects.filter(pk__in=emptied).delete()
    return len(changed)


def rollup_totals(values: Iterable[tuple[str, int, int, str, Decimal]]) -> dict[tuple, list]:
    """The roll-up rows `values` (unit path, period, element, option, value) make from nothing."""
    return _ancestor_deltas({(p, period, e, o): (v, 1) for p, period, e, o, v in values})


@transaction.atomic
def rollups_recompute(*, actor=None, period: Period | None = None) -> int:
    """Rebuild the roll-up rows from the stored values (repair), of every period or of one;
    returns the rows written.

    Takes the whole table (or period): run it when nobody enters values. The incremental totals
    must always equal it (`test_the_recompute_command_equals_the_incremental_totals`).
    """
    values = DataValue.objects.all()
    rollups = RollUp.objects.all()
    if period is not None:
        values, rollups = values.filter(period=period), rollups.filter(period=period)
    rows = values.values_list("unit__path", "period_id", "element_id", "option", "value")
    totals = rollup_totals(rows.iterator(chunk_size=5000))
    rollups.delete()
    RollUp.objects.bulk_create(
        [
            RollUp(unit_id=u, period_id=p, element_id=e, option=o, value=value, reporting=reporting)
            for (u, p, e, o), (value, reporting) in totals.items()
        ],
        batch_size=BATCH,
    )
    audit(
        actor=actor,
        type="resolutions.rollup.recomputed",
        rows=len(totals),
        period=period.code if period is not None else "",
    )
    return len(totals)
