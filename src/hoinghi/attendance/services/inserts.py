"""INSERT ... ON CONFLICT DO NOTHING RETURNING: how check-in writes a batch and learns which rows
went in (who won a race). The one raw SQL of check-in, per database.

A batch's rows are plain rows (`row_class`), not model instances: at the morning's peak a scan
writes two rows, and making each a model instance and preparing each value through its field cost
more CPU than the rest of the scan's decision."""

import dataclasses
import functools
from operator import attrgetter

from django.db import NotSupportedError, connections, models, router
from django.db.models import AutoField

from hoinghi.core.compiled import prepared_cursor

# Rows per INSERT on SQLite: 500 check-ins of 15 columns are 7,500 parameters, below its limit
# (32,766). A batch holds at most MAX_BATCH scans anyway.
INSERT_ROWS = 500


@functools.cache
def row_class(model: type[models.Model]) -> type:
    """The plain row of `model` that the INSERTs here write: a dataclass with a field for each
    column an INSERT gives a value (the model's concrete fields by attname, in its order, without
    an auto-incremented primary key or a generated column), all required. Made from the model, so
    a field added to the model is a field the row must be given. The values are what the field
    holds in Python, ready as they are: an aware datetime (an `auto_now_add` is given too), a
    UUID, the id of a foreign key."""
    fields = _written_fields(model)
    return dataclasses.make_dataclass(f"{model.__name__}Row", [field.attname for field in fields], slots=True)


def _written_fields(model) -> list:
    return [
        field
        for field in model._meta.concrete_fields
        if not field.generated and not isinstance(field, AutoField)
    ]


def insert_skipping_conflicts(model: type[models.Model], rows: list, *, returning: str) -> set:
    """INSERT `rows` (of `row_class(model)`), skipping any that conflicts with a stored row, and
    return the `returning` field of the rows that went in.

    The one raw SQL of check-in: INSERT ... ON CONFLICT DO NOTHING RETURNING, on PostgreSQL (9.5
    and later) and SQLite (3.35 and later), the two databases hoinghi runs on.
    `bulk_create(ignore_conflicts=True)` runs the same INSERT but does not say which rows went
    in (it returns every object it was given), and which rows went in is who won a race: with
    the public API each scan would cost a read-back query more (ten queries instead of nine).
    On PostgreSQL each column's values go as one array (`SELECT * FROM unnest(...)`), so the
    statement's text is the same for a batch of any size: psycopg keeps it parsed, where a VALUES
    list of 20 rows was parsed again for every request. SQLite has no arrays: VALUES rows, each
    value prepared by its field (`get_db_prep_save`, as bulk_create does).
    """
    if not rows:
        return set()
    connection = connections[router.db_for_write(model)]
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotSupportedError(f"INSERT ... ON CONFLICT DO NOTHING RETURNING on {connection.vendor}")
    fields, head, tail, arrays = _insert_parts(model, connection.alias, returning)
    returned = model._meta.get_field(returning)
    inserted = set()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{head}SELECT * FROM unnest({arrays}){tail}", _columns(fields, rows))
            inserted.update(returned.to_python(value) for (value,) in cursor.fetchall())
            return inserted
        placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
        for start in range(0, len(rows), INSERT_ROWS):
            batch = rows[start : start + INSERT_ROWS]
            params = [
                field.get_db_prep_save(getattr(row, field.attname), connection=connection)
                for row in batch
                for field in fields
            ]
            cursor.execute(f"{head}VALUES {', '.join([placeholders] * len(batch))}{tail}", params)
            inserted.update(returned.to_python(value) for (value,) in cursor.fetchall())
    return inserted


def _columns(fields: list, rows: list) -> list[list]:
    """The values of each column, as PostgreSQL's arrays: psycopg adapts the rows' Python values
    (aware datetimes, UUIDs, ids, strings, booleans) as the fields would have prepared them."""
    return [list(map(attrgetter(field.attname), rows)) for field in fields]


@functools.cache
def _insert_parts(model, alias: str, returning: str) -> tuple[list, str, str, str]:
    """The fields an INSERT of `model` writes (`row_class`'s) and its statement's parts, built
    once per model and database: the head with the columns, the tail that skips conflicts and
    returns `returning`, and PostgreSQL's arrays (each column's type without its length: a cast to
    varchar(n) would cut a value short where the column itself refuses it). Table and column
    names come from the model; every value is a parameter."""
    connection = connections[alias]
    fields = _written_fields(model)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
    tail = f" ON CONFLICT DO NOTHING RETURNING {quote(model._meta.get_field(returning).column)}"
    arrays = ", ".join(f"%s::{field.db_type(connection).split('(')[0]}[]" for field in fields)
    return fields, head, tail, arrays


def insert_present_and_logged(
    present_model: type[models.Model],
    present: list,
    log_model: type[models.Model],
    log: list,
    *,
    makes_present: frozenset[str],
    already: str,
    before: tuple[str, list],
) -> tuple[set, set, int] | None:
    """On PostgreSQL, one statement: INSERT the attendance rows `present` skipping conflicts, then
    the log rows `log` (each of its model's `row_class`), each whose outcome is in
    `makes_present` but whose attendance did not go in (another request made the person present
    first) with the outcome `already` instead. Returns (person ids of the attendance rows that
    went in, ids of the log rows that went in, the number `before` counts as the statement
    starts: its SQL and parameters, a count in the snapshot the INSERTs start from, without their
    rows), or None on a database without data-modifying WITH (SQLite): the caller then writes the
    two INSERTs of `insert_skipping_conflicts` in a transaction.

    One statement is one transaction by itself: no BEGIN and COMMIT around two INSERTs (four
    round trips and two autocommit switches become one), which at the morning's peak was a third
    of the database's work for a scan. Both INSERTs see the same snapshot, and the foreign keys
    between the rows are checked at the statement's end. Which log rows went in and which
    attendance rows did is what the statement returns, as two INSERTs would say.

    The statement is prepared once per connection and keeps the generic plan it got first: the
    count's plan depends on how big the tables are, which a morning changes from nothing to
    25,000 rows in minutes. A pooled connection lives 30 s (settings), so that plan is never
    older than that: one made on the morning's first scans scanned the whole tables as they
    grew (docs/benchmarks.md)."""
    connection = connections[router.db_for_write(log_model)]
    if connection.vendor != "postgresql":
        return None
    statement = _present_and_logged_sql(present_model, log_model, connection.alias)
    log_fields = _insert_parts(log_model, connection.alias, log_model._meta.pk.name)[0]
    present_fields = _insert_parts(present_model, connection.alias, "person_id")[0]
    params = _columns(present_fields, present)
    params += [sorted(str(value) for value in makes_present), str(already)]  # values, not enum members
    params += _columns(log_fields, log)
    count, count_params = before
    made, logged, counted = set(), set(), 0
    with prepared_cursor(connection) as cursor:
        cursor.execute(f"{statement} UNION ALL SELECT NULL, ({count}), NULL", [*params, *count_params])
        for is_log, number, pk in cursor.fetchall():
            if is_log is None:
                counted = number
            elif is_log:
                logged.add(pk)
            else:
                made.add(number)
    return made, logged, counted


@functools.cache
def _present_and_logged_sql(present_model, log_model, alias: str) -> str:
    """The statement of `insert_present_and_logged`, built once per models and database: the
    log's rows come from its arrays as columns c0, c1, ..., its outcome through a CASE. Each
    returned row says which INSERT it comes from, with the attendance's person id as a number
    and the log's primary key as itself (a UUID comes back as one, with nothing to parse)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    person = quote(log_model._meta.get_field("person").column)
    _fields, insert, tail, arrays = _insert_parts(present_model, alias, "person_id")
    made = f"{insert}SELECT * FROM unnest({arrays}){tail}"
    pk = log_model._meta.pk
    fields, insert, tail, arrays = _insert_parts(log_model, alias, pk.name)
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
        f"SELECT false, {person}::bigint, NULL::{pk.db_type(connection)} FROM made "
        f"UNION ALL SELECT true, NULL, {quote(pk.column)} FROM logged"
    )
