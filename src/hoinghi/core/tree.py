"""Materialized paths: a unit's path is the ids from the root down, e.g. "/1/23/456/".

A subtree is every path that starts with the root's path. `path__under=prefix` says so in a way
that both databases answer from an index:

- PostgreSQL: `LIKE 'prefix%'` on the column itself, which Django's `varchar_pattern_ops`
  index (made for every indexed CharField) serves whatever the database's collation.
  (Django's own `startswith` casts the column to text, and LIKE on SQLite ignores indexes.)
- SQLite: a half-open range `prefix <= path < prefix + "~"`, exact under SQLite's byte-order
  collation because paths hold only digits and "/", which sort below "~".
"""

from django.db import models
from django.db.models import Lookup

PATH_SEPARATOR = "/"
_UPPER_BOUND = "~"


def path_child(parent_path: str, pk: int) -> str:
    return f"{parent_path or PATH_SEPARATOR}{pk}{PATH_SEPARATOR}"


def path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]


def path_depth(path: str) -> int:
    return len(path_ids(path)) - 1


def path_is_under(path: str, ancestor_path: str) -> bool:
    return path.startswith(ancestor_path)


class PathField(models.CharField):
    description = "Materialized path of a tree node"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 400)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "hoinghi.core.tree.PathField", args, kwargs


@PathField.register_lookup
@models.CharField.register_lookup
class Under(Lookup):
    """`path__under="/1/23/"`: the node with that path and every node below it."""

    lookup_name = "under"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prefix = str(self.rhs)
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, prefix, prefix + _UPPER_BOUND]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        pattern = str(self.rhs).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return f"{lhs} LIKE %s", [*lhs_params, pattern]
