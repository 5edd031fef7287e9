"""INSERT ... ON CONFLICT DO NOTHING RETURNING: how check-in writes a batch and learns which rows
went in (who won a race). The one raw SQL of check-in, per database."""

import functools

from django.db import NotSupportedError, connections, models, router
from django.db.models import AutoField

from hoinghi.core.compiled import prepared_cursor

# Rows per INSERT on SQLite: 500 check-ins of 15 columns are 7,500 parameters, below its limit
# (32,766). A batch holds at most MAX_BATCH scans anyway.
INSERT_ROWS = 500


def insert_skipping_conflicts(rows: list[models.Model], *, returning: str) -> set:
    """INSERT `rows` (of one model), skipping any that conflicts with a stored row, and return
    the `returning` field of the rows that went in.

    The one raw SQL of check-in: INSERT ... ON CONFLICT DO NOTHING RETURNING, on PostgreSQL (9.5
    and later) and SQLite (3.35 and later), the two databases hoinghi runs on.
    `bulk_create(ignore_conflicts=True)` runs the same INSERT but does not say which rows went
    in (it returns every object it was given), and which rows went in is who won a race: with
    the public API each scan would cost a read-back query more (ten queries instead of nine).
    Values are prepared by their fields (`pre_save`, `get_db_prep_save`), as bulk_create does.
    On PostgreSQL each column's values go as one array (`SELECT * FROM unnest(...)`), so the
    statement's text is the same for a batch of any size: psycopg keeps it parsed, where a VALUES
    list of 20 rows was parsed again for every request. SQLite has no arrays: VALUES rows.
    """
    if not rows:
        return set()
    model = type(rows[0])
    connection = connections[router.db_for_write(model)]
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotSupportedError(f"INSERT ... ON CONFLICT DO NOTHING RETURNING on {connection.vendor}")
    fields, head, tail, arrays = _insert_parts(model, connection.alias, returning, rows[0].pk is None)
    returned = model._meta.get_field(returning)
    inserted = set()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = [[_prepared(field, row, connection) for row in rows] for field in fields]
            cursor.execute(f"{head}SELECT * FROM unnest({arrays}){tail}", values)
            inserted.update(returned.to_python(value) for (value,) in cursor.fetchall())
            return inserted
        placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
        for start in range(0, len(rows), INSERT_ROWS):
            batch = rows[start : start + INSERT_ROWS]
            params = [_prepared(field, row, connection) for row in batch for field in fields]
            cursor.execute(f"{head}VALUES {', '.join([placeholders] * len(batch))}{tail}", params)
            inserted.update(returned.to_python(value) for (value,) in cursor.fetchall())
    return inserted


@functools.cache
def _insert_parts(model, alias: str, returning: str, without_auto: bool) -> tuple[list, str, str, str]:
    """The fields an INSERT of `model` writes and its statement's parts, built once per model
    and database: the head with the columns, the tail that skips conflicts and returns
    `returning`, and PostgreSQL's arrays (each column's type without its length: a cast to
    varchar(n) would cut a value short where the column itself refuses it). Table and column
    names come from the model; every value is a parameter."""
    connection = connections[alias]
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.generated and not (isinstance(field, AutoField) and without_auto)
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
    tail = f" ON CONFLICT DO NOTHING RETURNING {quote(model._meta.get_field(returning).column)}"
    arrays = ", ".join(f"%s::{field.db_type(connection).split('(')[0]}[]" for field in fields)
    return fields, head, tail, arrays


def _prepared(field, row: models.Model, connection):
    return field.get_db_prep_save(field.pre_save(row, add=True), connection=connection)


def insert_present_and_logged(
    present: list[models.Model],
    log: list[models.Model],
    *,
    makes_present: frozenset[str],
    already: str,
    before: tuple[str, list],
) -> tuple[set, set, int] | None:
    """On PostgreSQL, one statement: INSERT the attendance rows `present` skipping conflicts, then
    the log rows `log`, each whose outcome is in `makes_present` but whose attendance did not go
    in (another request made the person present first) with the outcome `already` instead.
    Returns (person ids of the attendance rows that went in, ids of the log rows that went in,
    the number `before` counts as the statement starts: its SQL and parameters, a count in the
    snapshot the INSERTs start from, without their rows), or None on a database without
    data-modifying WITH (SQLite): the caller then writes the two INSERTs of
    `insert_skipping_conflicts` in a transaction.

    One statement is one transaction by itself: no BEGIN and COMMIT around two INSERTs (four
    round trips and two autocommit switches become one), which at the morning's peak was a third
    of the database's work for a scan. Both INSERTs see the same snapshot, and the foreign keys
    between the rows are checked at the statement's end. Which log rows went in and which
    attendance rows did is what the statement returns, as two INSERTs would say."""
    model = type(log[0])
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return None
    pk = model._meta.pk
    statement = _present_and_logged_sql(type(present[0]) if present else None, model, connection.alias)
    log_fields = _insert_parts(model, connection.alias, pk.name, False)[0]
    params = []
    if present:
        present_fields = _insert_parts(type(present[0]), connection.alias, "person_id", True)[0]
        params += [[_prepared(field, row, connection) for row in present] for field in present_fields]
    params += [sorted(str(value) for value in makes_present), str(already)]  # values, not enum members
    params += [[_prepared(field, row, connection) for row in log] for field in log_fields]
    count, count_params = before
    made, logged, counted = set(), set(), 0
    person = model._meta.get_field("person")
    with prepared_cursor(connection) as cursor:
        cursor.execute(f"{statement} UNION ALL SELECT NULL, ({count})::text", [*params, *count_params])
        for is_log, value in cursor.fetchall():
            if is_log is None:
                counted = int(value)
            elif is_log:
                logged.add(pk.to_python(value))
            else:
                made.add(person.to_python(value))
    return made, logged, counted


@functools.cache
def _present_and_logged_sql(present_model, log_model, alias: str) -> str:
    """The statement of `insert_present_and_logged`, built once per models and database: the
    log's rows come from its arrays as columns c0, c1, ..., its outcome through a CASE."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    person = quote(log_model._meta.get_field("person").column)
    if present_model is None:
        made = f"SELECT NULL::bigint AS {person} WHERE false"
    else:
        _fields, insert, tail, arrays = _insert_parts(present_model, alias, "person_id", True)
        made = f"{insert}SELECT * FROM unnest({arrays}){tail}"
    pk = log_model._meta.pk
    fields, insert, tail, arrays = _insert_parts(log_model, alias, pk.name, False)
    names = {field.column: f"c{number}" for number, field in enumerate(fields)}
    outcome = log_model._meta.get_field("outcome").column
    selected = [
        f"CASE WHEN {name} = ANY(%s::varchar[]) AND {names[log_model._meta.get_field('person').column]} "
        f"NOT IN (SELECT {person} FROM made) THEN %s ELSE {name} END"
        if column == outcome
        else name
        for column, name in names.items()
    ]
    return (
        f"WITH made AS ({made}), logged AS ({insert}SELECT {', '.join(selected)} "
        f"FROM unnest({arrays}) AS scans({', '.join(names.values())}){tail}) "
        f"SELECT false, {person}::text FROM made UNION ALL SELECT true, {quote(pk.column)}::text FROM logged"
    )
