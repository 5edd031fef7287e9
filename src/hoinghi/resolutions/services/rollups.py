"""The totals of every subtree, kept current in the transaction that changes a value.

A value of a unit counts in the roll-up row of the unit itself and of each of its ancestors (the
ids of its materialized path). A change moves each of those rows by the difference between the
new and the old value, so a changed value replaces, never adds. Ratios are never stored: an
indicator divides the summed numerator by the summed denominator when it is read.

`rollups_recompute` (services/recompute.py) rebuilds every row from the values in the database
(`rollups_rebuild`), with the counts kept beside them, for repair, after a bulk load, and to
check the incremental totals in the tests.
"""

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from django.db import connection

from hoinghi.core.tree import path_ids
from hoinghi.orgs.models import Unit
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

    Called inside the transaction that writes the values. One additive upsert per batch
    (`INSERT … ON CONFLICT … DO UPDATE SET value = value + excluded.value`, on SQLite and
    PostgreSQL alike): a missing row is made, an existing one moved, and the row stays locked
    until the transaction ends, so two units of one district saving at once queue on their
    shared ancestors and neither addition is lost. The rows go in key order, so two
    transactions lock their common rows in the same order and cannot deadlock. (The first
    version inserted zeros, locked the rows with SELECT … FOR UPDATE and wrote them back with
    bulk_update: a province's upload of 100,000 values spent half a minute in it.)
    Returns the number of rows changed.
    """
    rows = _ancestor_deltas(deltas)
    changed = len(rows)
    if not rows:
        return 0
    quote = connection.ops.quote_name
    table = quote(RollUp._meta.db_table)
    option = quote("option")
    emptied = []
    with connection.cursor() as cursor:
        # A value removed takes its unit out of `reporting`: its rows exist, and a negative count
        # may not be proposed for insertion (the column's CHECK), so they are updated in place.
        for key in sorted(key for key, (_value, reporting) in rows.items() if reporting < 0):
            value, reporting = rows.pop(key)
            cursor.execute(
                f"""UPDATE {table} SET value = value + %s, reporting = reporting + %s
                WHERE unit_id = %s AND period_id = %s AND element_id = %s AND {option} = %s
                RETURNING id, reporting""",
                [_database_decimal(value), reporting, *key],
            )
            emptied += [pk for pk, left in cursor.fetchall() if left == 0]
        keys = sorted(rows)
        if connection.vendor == "postgresql" and keys:
            # One statement whatever the count, the rows as six arrays: psycopg parses a query
            # of 3,000 placeholders on every call (8 of a province upload's 24 s went there).
            columns = list(zip(*keys, strict=True))
            cursor.execute(
                f"""INSERT INTO {table} (unit_id, period_id, element_id, {option}, value, reporting)
                SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::text[],
                                     %s::numeric[], %s::integer[])
                ON CONFLICT (unit_id, period_id, element_id, {option}) DO UPDATE
                SET value = {table}.value + excluded.value, reporting = {table}.reporting + excluded.reporting
                RETURNING id, reporting""",
                [
                    list(columns[0]),
                    list(columns[1]),
                    list(columns[2]),
                    list(columns[3]),
                    [rows[key][0] for key in keys],
                    [rows[key][1] for key in keys],
                ],
            )
            emptied += [pk for pk, reporting in cursor.fetchall() if reporting == 0]
            keys = []
        for start in range(0, len(keys), BATCH):
            batch = keys[start : start + BATCH]
            marks = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(batch))
            params = []
            for key in batch:
                value, reporting = rows[key]
                params += [*key, _database_decimal(value), reporting]
            cursor.execute(
                f"""INSERT INTO {table} (unit_id, period_id, element_id, {option}, value, reporting)
                VALUES {marks}
                ON CONFLICT (unit_id, period_id, element_id, {option}) DO UPDATE
                SET value = {table}.value + excluded.value, reporting = {table}.reporting + excluded.reporting
                RETURNING id, reporting""",
                params,
            )
            emptied += [pk for pk, reporting in cursor.fetchall() if reporting == 0]
    # A subtree where nobody reports any more has no row, as after a recompute.
    if emptied:
        RollUp.objects.filter(pk__in=emptied)._raw_delete(RollUp.objects.db)
    return changed


def _database_decimal(value: Decimal):
    # SQLite has no decimal type: the text keeps the exact value (its NUMERIC column reads it).
    return str(value) if connection.vendor == "sqlite" else value


def under_sql(column: str, path: str | None) -> tuple[str, list]:
    """ " AND <column is in the subtree of path>" (as `path__under`), or nothing without a path."""
    if path is None:
        return "", []
    if connection.vendor == "postgresql":
        return f" AND {column} LIKE %s", [path + "%"]
    return f" AND {column} >= %s AND {column} < %s", [path, path + "~"]


def _recompute_sql(period: Period | None, under: str | None = None) -> tuple[list[str], list[list]]:
    """The statements that rebuild the roll-ups level by level, from the deepest units up: a
    unit's row is its own value plus its children's rows, so each level is one GROUP BY over the
    values of its units and the rows of the level below (a few statements whatever the size,
    the same on SQLite and PostgreSQL). `under`: only the units of that subtree."""
    quote = connection.ops.quote_name
    rollup, value, unit = (quote(m._meta.db_table) for m in (RollUp, DataValue, Unit))
    only, params = ("AND v.period_id = %s", [period.pk]) if period is not None else ("", [])
    only_rollup = only.replace("v.", "r.")
    own_under, own_params = under_sql("u.path", under)
    child_under, child_params = under_sql("c.path", under)
    option = quote("option")
    units = Unit.objects.order_by()
    if under is not None:
        units = units.filter(path__under=under)
    depths = list(units.values_list("depth", flat=True).distinct())
    statements, arguments = [], []
    deepest = max(depths, default=0)
    for depth in sorted(depths, reverse=True):
        if depth == deepest:  # no rows below: a unit's row is its value (one per key), no sums
            statements.append(
                f"""INSERT INTO {rollup} (unit_id, period_id, element_id, {option}, value, reporting)
                SELECT v.unit_id, v.period_id, v.element_id, v.{option}, v.value, 1
                FROM {value} v JOIN {unit} u ON u.id = v.unit_id WHERE u.depth = %s {only}{own_under}"""
            )
            arguments.append([depth, *params, *own_params])
            continue
        statements.append(
            f"""INSERT INTO {rollup} (unit_id, period_id, element_id, {option}, value, reporting)
            SELECT unit_id, period_id, element_id, {option}, SUM(value), SUM(reporting) FROM (
                SELECT v.unit_id, v.period_id, v.element_id, v.{option}, v.value, 1 AS reporting
                FROM {value} v JOIN {unit} u ON u.id = v.unit_id WHERE u.depth = %s {only}{own_under}
                UNION ALL
                SELECT c.parent_id, r.period_id, r.element_id, r.{option}, r.value, r.reporting
                FROM {rollup} r JOIN {unit} c ON c.id = r.unit_id
                WHERE c.depth = %s {only_rollup}{child_under}
            ) AS level GROUP BY unit_id, period_id, element_id, {option}"""
        )
        arguments.append([depth, *params, *own_params, depth + 1, *params, *child_params])
    return statements, arguments


def rollups_rebuild(*, period: Period | None = None, under: str | None = None) -> None:
    """Delete and write again the roll-up rows (of a period; of the units of a subtree)."""
    rollups = RollUp.objects.all() if period is None else RollUp.objects.filter(period=period)
    if under is not None:
        rollups = rollups.filter(unit__in=Unit.objects.filter(path__under=under).values("pk"))
    rollups._raw_delete(rollups.db)  # no signals, no cascade: one DELETE
    statements, arguments = _recompute_sql(period, under)
    with connection.cursor() as cursor:
        for statement, params in zip(statements, arguments, strict=True):
            cursor.execute(statement, params)
