"""The counts kept per subtree (`models.counts`): units by kind, reports sent and approved by kind
and day. Kept current in the transaction of the service that changes what they count:

- a report submitted, returned, approved or unlocked (`services.submissions`): `report_counted`;
- a unit created, moved, given another kind, deleted, or a subtree rewritten by an import
  (`orgs.services`, through the extension point "orgs.tree_changed": `recompute.tree_changed`);
- values and reports loaded or unloaded in bulk rebuild them with the roll-ups
  (`rollups_recompute`, which calls `counts_recompute`).

Each change moves the rows of the unit and of every ancestor by the difference, as the roll-ups
do (`rollups_add`): one additive upsert a row, in key order, so two transactions that share
ancestors queue on their rows and cannot deadlock; a row whose count falls to 0 is deleted, as a
recompute would not write it. The tests compare the stored counts with a count from scratch
after every kind of change, on both databases (`test_counts.py`).
"""

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime

from django.db import connection
from django.utils import timezone

from hoinghi.core.tree import path_ids
from hoinghi.orgs.models import Unit
from hoinghi.resolutions.models import ReportCount, RollUp, Submission, SubmissionState, UnitCount
from hoinghi.resolutions.services.rollups import rollups_add

# The states of a report counted as sent ("82 of 85 reported"); approved ones count as approved too.
SENT = (SubmissionState.SUBMITTED, SubmissionState.APPROVED)


def _add(model, keys: tuple[str, ...], counts: tuple[str, ...], deltas: Mapping[tuple, list[int]]) -> None:
    """Move the rows of `model` (keyed by `keys`, the first the unit) by `deltas` of its `counts`.

    A row with a negative delta is updated in place (a negative count may not be proposed for
    insertion: the columns' CHECK); the others are upserted. A row whose first count reaches 0
    is deleted."""
    rows = sorted((key, delta) for key, delta in deltas.items() if any(delta))
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key_columns = ", ".join(quote(name) for name in keys)
    count_columns = ", ".join(quote(name) for name in counts)
    first = quote(counts[0])
    where = " AND ".join(f"{quote(name)} = %s" for name in keys)
    moved = ", ".join(f"{quote(name)} = {table}.{quote(name)} + %s" for name in counts)
    added = ", ".join(f"{quote(name)} = {table}.{quote(name)} + excluded.{quote(name)}" for name in counts)
    marks = ", ".join(["%s"] * (len(keys) + len(counts)))
    emptied = []
    with connection.cursor() as cursor:
        for key, delta in rows:
            if min(delta) < 0:
                cursor.execute(
                    f"UPDATE {table} SET {moved} WHERE {where} RETURNING id, {first}", [*delta, *key]
                )
            else:
                cursor.execute(
                    f"""INSERT INTO {table} ({key_columns}, {count_columns}) VALUES ({marks})
                    ON CONFLICT ({key_columns}) DO UPDATE SET {added} RETURNING id, {first}""",
                    [*key, *delta],
                )
            emptied += [pk for pk, left in cursor.fetchall() if left == 0]
    if emptied:
        model.objects.filter(pk__in=emptied)._raw_delete(model.objects.db)


def _spread(deltas: Mapping[tuple, list[int] | int]) -> dict[tuple, list[int]]:
    """Deltas keyed by (unit path, *rest) spread to the unit and every ancestor, keyed by
    (unit id, *rest) and summed."""
    rows: dict[tuple, list[int]] = {}
    for (path, *rest), delta in deltas.items():
        delta = [delta] if isinstance(delta, int) else list(delta)
        for unit_id in path_ids(path):
            row = rows.setdefault((unit_id, *rest), [0] * len(delta))
            for index, value in enumerate(delta):
                row[index] += value
    return rows


def unit_counts_add(deltas: Mapping[tuple[str, int], int]) -> None:
    """Move the unit counts by {(unit path, kind id): units} at the unit and its ancestors."""
    _add(UnitCount, ("unit_id", "kind_id"), ("units",), _spread(deltas))


def report_counts_add(deltas: Mapping[tuple[str, int, int, int, date], list[int]]) -> None:
    """Move the report counts by {(unit path, data set id, period id, kind id, day): [sent,
    approved]} at the unit and its ancestors."""
    _add(
        ReportCount,
        ("unit_id", "dataset_id", "period_id", "kind_id", "submitted_on"),
        ("reported", "approved"),
        _spread(deltas),
    )


def _sent(state: str, submitted_at: datetime | None) -> tuple[date, int] | None:
    """(the local day it was sent, 1 if approved) for a report counted as sent, else None."""
    if state not in SENT or submitted_at is None:
        return None
    return timezone.localdate(submitted_at, timezone.get_default_timezone()), int(
        state == SubmissionState.APPROVED
    )


def report_counted(*, submission: Submission, unit: Unit, before: tuple[str, datetime | None]) -> None:
    """Count a report's change: `before` is its (state, submitted_at) before it, the submission
    as saved is after. Called by the submission services inside their transaction."""
    deltas: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for sign, (state, submitted_at) in ((-1, before), (1, (submission.state, submission.submitted_at))):
        sent = _sent(state, submitted_at)
        if sent is not None:
            day, approved = sent
            row = deltas[(unit.path, submission.dataset_id, submission.period_id, unit.kind_id, day)]
            row[0] += sign
            row[1] += sign * approved
    report_counts_add(deltas)


# --- The tree changed (orgs.tree_changed) -----------------------------------------------------


def parent_path(path: str) -> str:
    """The path of the unit's parent ("" for a root)."""
    ids = path_ids(path)[:-1]
    return "".join(f"/{pk}" for pk in ids) + "/" if ids else ""


def subtree_moved(unit: Unit, old_path: str) -> None:
    """The unit's subtree left the ancestors of `old_path` for those of its path now: its own
    rows (its subtree's totals) leave the one and join the other; common ancestors net 0."""
    old, new = parent_path(old_path), parent_path(unit.path)
    units: dict[tuple, int] = defaultdict(int)
    for kind_id, count in UnitCount.objects.filter(unit=unit).values_list("kind_id", "units"):
        units[(old, kind_id)] -= count
        units[(new, kind_id)] += count
    unit_counts_add({key: n for key, n in units.items() if key[0]})
    reports: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for *key, sent, approved in ReportCount.objects.filter(unit=unit).values_list(
        "dataset_id", "period_id", "kind_id", "submitted_on", "reported", "approved"
    ):
        for path, sign in ((old, -1), (new, 1)):
            row = reports[(path, *key)]
            row[0] += sign * sent
            row[1] += sign * approved
    report_counts_add({key: delta for key, delta in reports.items() if key[0]})
    values = {}
    for *key, value, reporting in RollUp.objects.filter(unit=unit).values_list(
        "period_id", "element_id", "option", "value", "reporting"
    ):
        if old:
            values[(old, *key)] = (-value, -reporting)
        if new:
            values[(new, *key)] = (value, reporting)
    rollups_add(values)


def kind_changed(unit: Unit, old_kind_id: int) -> None:
    """The unit counts as one of its new kind, and so do its own reports."""
    unit_counts_add({(unit.path, old_kind_id): -1, (unit.path, unit.kind_id): 1})
    reports: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for dataset_id, period_id, state, submitted_at in Submission.objects.filter(unit=unit).values_list(
        "dataset_id", "period_id", "state", "submitted_at"
    ):
        sent = _sent(state, submitted_at)
        if sent is None:
            continue
        day, approved = sent
        for kind_id, sign in ((old_kind_id, -1), (unit.kind_id, 1)):
            row = reports[(unit.path, dataset_id, period_id, kind_id, day)]
            row[0] += sign
            row[1] += sign * approved
    report_counts_add(reports)
