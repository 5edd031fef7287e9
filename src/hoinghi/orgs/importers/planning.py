"""Planning an import: every row checked against the database, and what importing would do.

`units.plan_units` and `people.plan_people` take the rows of a whole file and return a plan: what
would be added, changed or left alone, what the clerk must decide, and every error with its
row, column and reason. Nothing here writes.
"""

from hoinghi.orgs.importers.people import plan_people
from hoinghi.orgs.importers.people_rows import Decision, PeoplePlan, PersonRow
from hoinghi.orgs.importers.reading import Progress, Table
from hoinghi.orgs.importers.units import UnitPlan, UnitRow, plan_units
from hoinghi.orgs.models import ImportKind

__all__ = ["Decision", "PeoplePlan", "PersonRow", "UnitPlan", "UnitRow", "plan", "plan_people", "plan_units"]


def plan(
    kind: str,
    table: Table,
    *,
    scope_path: str,
    progress: Progress | None = None,
    decisions: dict | None = None,
) -> UnitPlan | PeoplePlan:
    if kind == ImportKind.UNITS:
        return plan_units(table, scope_path=scope_path, progress=progress)
    return plan_people(table, scope_path=scope_path, progress=progress, decisions=decisions)
