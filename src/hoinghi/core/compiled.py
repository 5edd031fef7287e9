"""Queries the ORM builds once per process: the hot paths' SQL kept and run with new values.

A check-in request runs a handful of small queries whose shape never changes (the point by its
id, what the actor holds, the invitation of a QR code...). Building each through the ORM (the
queryset's clones, its filters resolved, the SQL compiled) cost more CPU than PostgreSQL spent
running it: together most of a check-in's server time (docs/benchmarks.md). A `Compiled` query is
written as an ordinary queryset, built once per database and shape with placeholder values, and
each run puts its own values where the placeholders were and converts the rows as the ORM would.

    points = Compiled(BridgePoint, lambda pk: BridgePoint.objects.filter(pk=pk).values_list("name"))
    points.rows(7)  # [("Hà Nội",)]

The arguments are ints, strings or UUIDs, or lists of them (an `__in`): a list's length, padded
to a power of two, is part of the shape, so each is compiled once (a batch of scans has at most a
few hundred: ten shapes).
They are compared for equality (`pk=`, `__in`): an int no column can hold matches nothing.
Only values_list querysets: the caller builds what it needs from the rows (`Model.from_db`).
"""

import functools
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence

from django.db import connections, router
from django.db.models import QuerySet

Value = int | str | uuid.UUID
Argument = Value | Sequence[Value]

# Placeholders no real value is: ints below any id, strings no token or name holds.
_INT_BASE = -7_340_219_023_000
_STR_MARK = "\x1fcompiled-placeholder-"


def _placeholder(kind: type, number: int) -> Value:
    if kind is int:
        return _INT_BASE - number
    if kind is str:
        return f"{_STR_MARK}{number}"
    if kind is uuid.UUID:
        return uuid.UUID(int=(1 << 127) | number)
    raise TypeError(f"Compiled queries take ints, strings and UUIDs, not {kind.__name__}")


def _kind(value: Value) -> type:
    for kind in (int, str, uuid.UUID):
        if isinstance(value, kind) and not isinstance(value, bool):
            return kind
    raise TypeError(f"Compiled queries take ints, strings and UUIDs, not {type(value).__name__}")


class _Plan:
    """The SQL of one shape, where each value goes among its parameters, and its compiler (which
    converts the rows as the ORM does)."""

    def __init__(self, queryset: QuerySet, using: str, placeholders: dict[object, int]):
        self.compiler = queryset.query.get_compiler(using=using)
        sql, params = self.compiler.as_sql()
        self.sql, self.params = sql, tuple(params)
        self.uuid_as_hex = not connections[using].features.has_native_uuid_field
        # (parameter, value): a UUID is a parameter as itself or as its hex, by database.
        self.places = [
            (place, placeholders[_key(param)])
            for place, param in enumerate(params)
            if _key(param) in placeholders
        ]
        if {number for _place, number in self.places} != set(placeholders.values()):
            raise ValueError("A compiled query must use every value it is given.")

    def bind(self, values: list[Value]) -> list:
        bound = list(self.params)
        for place, number in self.places:
            value = values[number]
            bound[place] = value.hex if self.uuid_as_hex and isinstance(value, uuid.UUID) else value
        return bound

    def convert(self, rows: list[tuple]) -> list[tuple]:
        """The rows as a values_list gives them: the converters of the compiled query applied
        (UUIDs and booleans on SQLite, aware datetimes...). `results_iter` takes the fetched rows,
        the way the ORM's own iterables hand them over."""
        return list(self.compiler.results_iter(results=[rows], tuple_expected=True))


def prepared_cursor(connection):
    """A cursor whose statements PostgreSQL keeps prepared: the values go apart from the SQL
    (server-side binding) and each connection parses and plans a statement's SQL once. For SQL
    whose text does not change with its values: the compiled queries, check-in's INSERT of
    arrays. (psycopg keeps the last 100 statements of a connection prepared.)
    Django's own cursors put the values into the SQL's text (`server_side_binding` is off), so
    PostgreSQL parsed and planned each small query anew: at a check-in's pace, half of its CPU
    for a scan (docs/benchmarks.md). Wrapped as Django wraps its cursors, so execute wrappers and
    query logging see these statements too. Other databases: Django's cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = _preparing_cursor_class()(connection.connection)
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


@functools.cache
def _preparing_cursor_class():
    """Django's server-binding cursor that asks psycopg to prepare every statement it runs; made
    on first use (psycopg is there only with PostgreSQL)."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

    return PreparingCursor


def _key(param) -> object:
    return param.hex if isinstance(param, uuid.UUID) else param


def _storable(value: Value) -> bool:
    """Whether a column can hold `value`: an int beyond 64 bits (an id typed into a URL) cannot."""
    return not isinstance(value, int) or -(2**63) <= value < 2**63


def _padded(items: list) -> list:
    """`items` with its last one repeated up to the next power of two: an `IN` of 1 to 500 values
    then has 10 shapes, not 500. Each shape is a statement that every pooled connection prepares
    (psycopg keeps a connection's last 100) and that PostgreSQL plans anew for its first five runs:
    with a shape per batch size, a morning's batches of 1 to 60 scans kept every connection
    preparing and planning (a tenth of the database's CPU for a check-in, docs/benchmarks.md).
    A value twice in an `IN` finds its rows once."""
    if len(items) < 2:
        return items
    return items + [items[-1]] * ((1 << (len(items) - 1).bit_length()) - len(items))


def _is_list(argument) -> bool:
    return isinstance(argument, (list, tuple, set, frozenset))


class Compiled:
    """A values_list queryset of `model` built by `build(*arguments)`, compiled once per
    database and shape, then run with each call's arguments."""

    def __init__(self, model, build: Callable[..., QuerySet]):
        self.model = model
        self.build = build
        self._plans: dict[tuple, _Plan] = {}
        self._lock = threading.Lock()

    def rows(self, *arguments: Argument) -> list[tuple]:
        if any(not _is_list(argument) and not _storable(argument) for argument in arguments):
            return []  # no row holds it (the ORM says the same of `pk=2**70`)
        arguments = tuple(
            _padded([item for item in argument if _storable(item)]) if _is_list(argument) else argument
            for argument in arguments
        )
        values: list[Value] = []
        shape = []
        for argument in arguments:
            items = argument if _is_list(argument) else [argument]
            shape.append((len(items) if _is_list(argument) else None, tuple(_kind(item) for item in items)))
            values.extend(items)
        using = router.db_for_read(self.model)
        key = (using, tuple(shape))
        plan = self._plans.get(key) or self._compile(key, arguments, using)
        with prepared_cursor(connections[using]) as cursor:
            cursor.execute(plan.sql, plan.bind(values))
            return plan.convert(cursor.fetchall())

    def _compile(self, key: tuple, arguments: tuple, using: str) -> _Plan:
        placeholders: dict[object, int] = {}
        built = []
        for argument in arguments:
            items = []
            for item in list(argument) if _is_list(argument) else [argument]:
                placeholder = _placeholder(_kind(item), len(placeholders))
                placeholders[_key(placeholder)] = len(placeholders)
                items.append(placeholder)
            built.append(items if _is_list(argument) else items[0])
        plan = _Plan(self.build(*built), using, placeholders)
        with self._lock:
            return self._plans.setdefault(key, plan)


class CompiledModels:
    """Instances of `model` from a compiled query, with the foreign keys named in `related`
    ("person", "person__unit": a part after its parent) loaded as `select_related` loads them:
    every concrete field of each, built by `Model.from_db` (the ORM's own way of making an
    instance from a row). The `annotations` the queryset defines become attributes of each
    instance, as with `annotate`. `only` names the fields to load of a part ("" is the model's
    own; its primary key always comes), the others deferred, as with `QuerySet.only`.

        points = CompiledModels(BridgePoint, lambda pk: BridgePoint.objects.filter(pk=pk),
                                related=("conference", "unit"))
        points.list(7)  # [<BridgePoint 7>], its conference and unit without a query
    """

    def __init__(
        self,
        model,
        select: Callable[..., QuerySet],
        *,
        related: Sequence[str] = (),
        annotations: Sequence[str] = (),
        only: Mapping[str, Sequence[str]] | None = None,
    ):
        self.model = model
        self.related = tuple(related)
        self.annotations = tuple(annotations)
        # (path, model) of each part, a part's parent before it: "person__unit" after "person".
        self.parts = [("", model)]
        for path in self.related:
            parent_model = dict(self.parts)[path.rpartition("__")[0]]
            self.parts.append((path, parent_model._meta.get_field(path.rpartition("__")[2]).related_model))
        only = only or {}
        self.names = [
            [
                field.attname
                for field in part._meta.concrete_fields
                if path not in only or field.primary_key or field.attname in only[path]
            ]
            for path, part in self.parts
        ]
        paths = [
            f"{path}__{name}" if path else name
            for (path, _part), names in zip(self.parts, self.names, strict=True)
            for name in names
        ]
        paths += self.annotations
        self.query = Compiled(model, lambda *arguments: select(*arguments).values_list(*paths))

    def list(self, *arguments: Argument) -> list:
        using = router.db_for_read(self.model)
        found = []
        for row in self.query.rows(*arguments):
            start, made = 0, {}
            for (path, part), names in zip(self.parts, self.names, strict=True):
                values = row[start : start + len(names)]
                start += len(names)
                made[path] = part.from_db(using, names, values) if values[0] is not None else None
                if path:
                    parent, _, name = path.rpartition("__")
                    if made[parent] is not None:
                        setattr(made[parent], name, made[path])
            instance = made[""]
            for name, value in zip(self.annotations, row[start:], strict=True):
                setattr(instance, name, value)
            found.append(instance)
        return found
