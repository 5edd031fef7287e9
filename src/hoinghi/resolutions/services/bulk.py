"""Writing many rows at once without the ORM's per-object work: COPY on PostgreSQL, one prepared
statement run over all the rows on SQLite. For the loads and uploads of thousands of values,
where bulk_create spent most of its time building SQL, not in the database."""

from datetime import datetime
from decimal import Decimal

from django.db import connection


def rows_insert(model, fields: list[str], rows) -> int:
    """Insert `rows` (tuples in the order of `fields`, column names) into `model`'s table as they
    are: no defaults, no signals, no conversion but the database driver's (a datetime must be
    aware). Returns the number of rows."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field) for field in fields)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        rows = [tuple(_sqlite_value(value) for value in row) for row in rows]
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        return len(rows)


def _sqlite_value(value):
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, Decimal):
        return str(value)
    return value
