"""The 2018 reference scenario: the Vietnam General Confederation of Labour as it stood in 2018.

The generator first builds a plan in memory (units, people, positions), counts the key officials
of the five categories of DESIGN.md on that plan, tops the plan up so that the conference of
6-12-2018 comes to exactly 24,814 invitees with 1,700 at the Hanoi host point, and only then
writes it with bulk inserts. Everything is drawn from `random.Random` streams with fixed seeds,
so two runs give the same tree, the same names and the same figures.

`scale` multiplies the small grassroots unions (and their people) only: the units that produce
key officials stay as they are, so the invitation list is the same at every scale while the tree
and the people table grow for benchmarks.

By part: `tree` (the units and the map), `people`, `plan` (both drawn and made exact), `writing`
(the bulk inserts), `logins` (the demo's staff users), `conference` (the conference of
6-12-2018), `resolution` (the resolution it studied, its targets, generated quarters) and
`programmes` (a few federations' action programmes for it). The
public names are re-exported here.
"""

from hoinghi.demo.scenario.conference import CONFERENCE_TITLE, conference_2018_create
from hoinghi.demo.scenario.logins import DEMO_LOGINS, DEMO_PASSWORD, demo_logins_ensure
from hoinghi.demo.scenario.people import PlannedPerson, person_categories
from hoinghi.demo.scenario.plan import TARGET_HOST_INVITEES, TARGET_INVITEES, Plan, build_plan
from hoinghi.demo.scenario.programmes import programmes_2018_create
from hoinghi.demo.scenario.resolution import resolution_2018_create, resolution_2018_values
from hoinghi.demo.scenario.tree import (
    COMMITTEE_ROLES,
    HANOI_CODE,
    LARGE_UNION_MEMBERS,
    ROOT_CODE,
    PlannedUnit,
    district_point_codes,
    point_unit,
)
from hoinghi.demo.scenario.writing import scenario_is_loaded, scenario_write

__all__ = [
    "COMMITTEE_ROLES",
    "CONFERENCE_TITLE",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "HANOI_CODE",
    "LARGE_UNION_MEMBERS",
    "ROOT_CODE",
    "TARGET_HOST_INVITEES",
    "TARGET_INVITEES",
    "Plan",
    "PlannedPerson",
    "PlannedUnit",
    "build_plan",
    "conference_2018_create",
    "demo_logins_ensure",
    "district_point_codes",
    "person_categories",
    "point_unit",
    "programmes_2018_create",
    "resolution_2018_create",
    "resolution_2018_values",
    "scenario_is_loaded",
    "scenario_write",
]
