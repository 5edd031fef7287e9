"""Importing units and people from a file: the plan an import would carry out, and its writes.

An import runs in two steps. The file is read (`reading`: .xlsx or CSV, its header row mapped
onto the columns of `mapping`), every row is checked against the database (`checking` the
cells, `planning` the whole) and the plan is shown as the preview: what would be added, changed
or left alone, and every error with its row, column and reason. Applying an import makes a
fresh plan (the data may have moved on since the preview) and hands it to the writers, which
the services of `orgs.services` run in one transaction: all of it or nothing.

The public names are re-exported here; the modules import one another directly.
"""

from hoinghi.orgs.importers.applying import unit_paths_rebuild, write_people, write_units
from hoinghi.orgs.importers.checking import RowErrors
from hoinghi.orgs.importers.files import ACCEPTED_EXTENSIONS, check_upload
from hoinghi.orgs.importers.mapping import (
    COLUMNS,
    PEOPLE_COLUMNS,
    POSITION_END_VALUES,
    ROLE_SEPARATOR,
    ROLE_UNIT_SEPARATOR,
    UNIT_COLUMNS,
    Column,
    all_columns_for,
    columns_for,
    heading_key,
)
from hoinghi.orgs.importers.planning import (
    Decision,
    PeoplePlan,
    PersonRow,
    UnitPlan,
    UnitRow,
    plan,
    plan_people,
    plan_units,
)
from hoinghi.orgs.importers.reading import (
    Progress,
    ReadOptions,
    Table,
    cache_table,
    cached_table,
    forget_table,
    progress_key,
    read_table,
)

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "COLUMNS",
    "Decision",
    "POSITION_END_VALUES",
    "ReadOptions",
    "all_columns_for",
    "check_upload",
    "forget_table",
    "heading_key",
    "PEOPLE_COLUMNS",
    "ROLE_SEPARATOR",
    "ROLE_UNIT_SEPARATOR",
    "UNIT_COLUMNS",
    "Column",
    "PeoplePlan",
    "PersonRow",
    "Progress",
    "RowErrors",
    "Table",
    "UnitPlan",
    "UnitRow",
    "cache_table",
    "cached_table",
    "columns_for",
    "plan",
    "plan_people",
    "plan_units",
    "progress_key",
    "read_table",
    "unit_paths_rebuild",
    "write_people",
    "write_units",
]
