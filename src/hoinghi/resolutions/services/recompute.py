"""The roll-ups and the counts kept per subtree rebuilt from scratch (`rollups_recompute`): level
by level from the deepest units up, a unit's rows being its own plus its children's rows, one
INSERT … SELECT … GROUP BY a level, the same on SQLite and PostgreSQL.

`subtree_resync` rebuilds the roll-ups and the counts of one subtree and moves its ancestors by
what changed in its total: after an import that created, moved or changed units in bulk.
`tree_changed` is what orgs calls when the tree changes (the extension point "orgs.tree_changed").
"""

from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from hoinghi.core.models import audit
from hoinghi.orgs.models import Unit
from hoinghi.resolutions.models import Period, ReportCount, RollUp, Submission, SubmissionState, UnitCount
from hoinghi.resolutions.services.counts import (
    kind_changed,
    parent_path,
    report_counts_add,
    subtree_moved,
    unit_counts_add,
)
from hoinghi.resolutions.services.rollups import rollups_add, rollups_rebuild, under_sql


def _depths(under: str | None) -> list[int]:
    units = Unit.objects.order_by()
    if under is not None:
        units = units.filter(path__under=under)
    return sorted(units.values_list("depth", flat=True).distinct(), reverse=True)


def _unit_counts_sql(under: str | None) -> tuple[list[str], list[list]]:
    quote = connection.ops.quote_name
    counts, unit = quote(UnitCount._meta.db_table), quote(Unit._meta.db_table)
    own_under, own_params = under_sql("u.path", under)
    child_under, child_params = under_sql("c.path", under)
    statements, arguments = [], []
    for depth in _depths(under):
        statements.append(
            f"""INSERT INTO {counts} (unit_id, kind_id, units)
            SELECT unit_id, kind_id, SUM(units) FROM (
                SELECT u.id AS unit_id, u.kind_id, 1 AS units FROM {unit} u WHERE u.depth = %s{own_under}
                UNION ALL
                SELECT c.parent_id, r.kind_id, r.units
                FROM {counts} r JOIN {unit} c ON c.id = r.unit_id WHERE c.depth = %s{child_under}
            ) AS level GROUP BY unit_id, kind_id"""
        )
        arguments.append([depth, *own_params, depth + 1, *child_params])
    return statements, arguments


def _report_counts_sql(period: Period | None, under: str | None) -> tuple[list[str], list[list]]:
    quote = connection.ops.quote_name
    counts, unit = quote(ReportCount._meta.db_table), quote(Unit._meta.db_table)
    submission = quote(Submission._meta.db_table)
    # The local day it was sent, as `timezone.localdate` gives it (services/counts.py).
    day, day_params = connection.ops.datetime_cast_date_sql(
        "s.submitted_at", (), timezone.get_default_timezone_name()
    )
    only, only_params = (" AND s.period_id = %s", [period.pk]) if period is not None else ("", [])
    only_rows = only.replace("s.", "r.")
    own_under, own_params = under_sql("u.path", under)
    child_under, child_params = under_sql("c.path", under)
    sent = [SubmissionState.SUBMITTED, SubmissionState.APPROVED]
    statements, arguments = [], []
    for depth in _depths(under):
        statements.append(
            f"""INSERT INTO {counts}
                (unit_id, dataset_id, period_id, kind_id, submitted_on, reported, approved)
            SELECT unit_id, dataset_id, period_id, kind_id, submitted_on, SUM(reported), SUM(approved) FROM (
                SELECT s.unit_id, s.dataset_id, s.period_id, u.kind_id, {day} AS submitted_on,
                       1 AS reported, CASE WHEN s.state = %s THEN 1 ELSE 0 END AS approved
                FROM {submission} s JOIN {unit} u ON u.id = s.unit_id
                WHERE u.depth = %s AND s.state IN (%s, %s) AND s.submitted_at IS NOT NULL{only}{own_under}
                UNION ALL
                SELECT c.parent_id, r.dataset_id, r.period_id, r.kind_id, r.submitted_on,
                       r.reported, r.approved
                FROM {counts} r JOIN {unit} c ON c.id = r.unit_id WHERE c.depth = %s{only_rows}{child_under}
            ) AS level GROUP BY unit_id, dataset_id, period_id, kind_id, submitted_on"""
        )
        arguments.append(
            [
                *day_params,
                SubmissionState.APPROVED,
                depth,
                *sent,
                *only_params,
                *own_params,
                depth + 1,
                *only_params,
                *child_params,
            ]
        )
    return statements, arguments


def _run(statements: list[str], arguments: list[list]) -> None:
    with connection.cursor() as cursor:
        for statement, params in zip(statements, arguments, strict=True):
            cursor.execute(statement, params)


def _rebuild(period: Period | None, under: str | None) -> None:
    """Delete and write again the report counts (of a period) and, for every period, the unit
    counts (of the units of a subtree)."""
    reports = ReportCount.objects.all() if period is None else ReportCount.objects.filter(period=period)
    units = UnitCount.objects.all()
    if under is not None:
        inside = Unit.objects.filter(path__under=under).values("pk")
        reports, units = reports.filter(unit__in=inside), units.filter(unit__in=inside)
    reports._raw_delete(reports.db)
    _run(*_report_counts_sql(period, under))
    if period is None:
        units._raw_delete(units.db)
        _run(*_unit_counts_sql(under))


def counts_recompute(*, period: Period | None = None) -> dict[str, int]:
    """Rebuild the report counts (of a period, or of all) and, for all periods, the unit counts,
    inside the caller's transaction (`rollups_recompute`). Returns the rows written."""
    _rebuild(period, None)
    reports = ReportCount.objects.all() if period is None else ReportCount.objects.filter(period=period)
    return {"report_count_rows": reports.count(), "unit_count_rows": UnitCount.objects.count()}


def _totals(scope: Unit) -> tuple[dict, dict, dict]:
    units = dict(UnitCount.objects.filter(unit=scope).values_list("kind_id", "units"))
    reports = {
        tuple(key): (sent, approved)
        for *key, sent, approved in ReportCount.objects.filter(unit=scope).values_list(
            "dataset_id", "period_id", "kind_id", "submitted_on", "reported", "approved"
        )
    }
    values = {
        tuple(key): (value, reporting)
        for *key, value, reporting in RollUp.objects.filter(unit=scope).values_list(
            "period_id", "element_id", "option", "value", "reporting"
        )
    }
    return units, reports, values


def subtree_resync(scope: Unit) -> None:
    """Rebuild the roll-ups and counts of the units of `scope`'s subtree from scratch, then move
    the rows of its ancestors by the change of its own rows (its subtree's totals)."""
    scope = Unit.objects.get(pk=scope.pk)  # its kind and path as written now
    old_units, old_reports, old_values = _totals(scope)
    rollups_rebuild(under=scope.path)
    _rebuild(None, scope.path)
    new_units, new_reports, new_values = _totals(scope)
    parent = parent_path(scope.path)
    if not parent:
        return
    units: dict[tuple, int] = defaultdict(int)
    for kind_id in old_units.keys() | new_units.keys():
        units[(parent, kind_id)] = new_units.get(kind_id, 0) - old_units.get(kind_id, 0)
    unit_counts_add(units)
    reports = {}
    for key in old_reports.keys() | new_reports.keys():
        old, new = old_reports.get(key, (0, 0)), new_reports.get(key, (0, 0))
        reports[(parent, *key)] = [new[0] - old[0], new[1] - old[1]]
    report_counts_add(reports)
    values = {}
    for key in old_values.keys() | new_values.keys():
        old, new = old_values.get(key, (0, 0)), new_values.get(key, (0, 0))
        values[(parent, *key)] = (new[0] - old[0], new[1] - old[1])
    rollups_add(values)


@transaction.atomic
def rollups_recompute(*, actor=None, period: Period | None = None) -> int:
    """Rebuild the roll-up rows from the stored values (repair, and after a bulk load), of every
    period or of one, with the counts kept beside them (`counts_recompute`: the reports of the
    period or of all; the units when all); returns the roll-up rows written.

    The database does the sums (`_recompute_sql`), level by level from the grassroots up. Takes
    the whole table (or period): run it when nobody enters values. The incremental totals must
    always equal it (`test_the_recompute_command_equals_the_incremental_totals`).
    """
    rollups_rebuild(period=period)
    counts = counts_recompute(period=period)
    rows = RollUp.objects.count() if period is None else RollUp.objects.filter(period=period).count()
    audit(
        actor=actor,
        type="resolutions.rollup.recomputed",
        rows=rows,
        period=period.code if period is not None else "",
        **counts,
    )
    return rows


def tree_changed(*, unit: Unit, change: str, old_path: str = "", old_kind_id: int | None = None) -> None:
    """orgs.tree_changed: keep the counts (and the roll-ups of a moved subtree) current."""
    if change == "created":
        unit_counts_add({(unit.path, unit.kind_id): 1})
    elif change == "deleting":  # a unit without children, values or reports (orgs refuses others)
        unit_counts_add({(unit.path, unit.kind_id): -1})
    elif change == "moved":
        subtree_moved(unit, old_path)
    elif change == "kind_changed":
        kind_changed(unit, old_kind_id)
    elif change == "rewritten":
        subtree_resync(unit)
    else:
        raise ValueError(f"unknown tree change {change!r}")
