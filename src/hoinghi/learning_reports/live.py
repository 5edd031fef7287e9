"""The live view of a unit's statistics and marking progress: "learning_reports.statistics".

The subject is the conference, whose topic (`events.topic`) the services publish on every
submission, allocation, marking, return and release. The audience is one statistics page: its
unit (0 at the top), the units of its rows, and the watcher's reach of
``learning_reports.view_reports`` — the figures are exactly those the page drew
(`statistics.statistics_for`, the same function). Watchers of the same page with the same reach
share a channel group and one snapshot.

A snapshot: `points`, one per row unit with its cells (required, submitted, on time, marked,
released, then the grade bands), `own` (the unit's row) or `total` (the sum of the tops), and
`missing` (who has not submitted). The page (static/learning_reports/statistics.js) redraws the
cells from it; while its socket is down it polls `views.results.statistics_live`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from hoinghi.conferences.models import Conference
from hoinghi.core import live
from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import Reach, reach
from hoinghi.learning_reports import events, selectors
from hoinghi.learning_reports.statistics import ACTION, figure_cells, statistics_for, statistics_units
from hoinghi.orgs import selectors as orgs
from hoinghi.orgs.models import Unit


@dataclass(frozen=True)
class StatisticsAudience:
    """One statistics page (its unit and rows) seen through `reach`."""

    reach: Reach  # core.permissions.reach(actor, "learning_reports.view_reports")
    unit_id: int  # 0: the top of the actor's subtrees
    row_ids: tuple[int, ...]

    @property
    def key(self) -> str:
        where = "*" if self.reach.everything else ",".join(self.reach.paths)
        return f"{self.unit_id}|{','.join(map(str, self.row_ids))}|{where}"

    def covers(self, conference: Conference) -> bool:
        return self.reach.covers_path(conference.organising_unit.path)


def _cells(figures) -> list[int]:
    return figure_cells(figures, "-")[1:]


def statistics_snapshot(conference: Conference, audience: StatisticsAudience) -> dict:
    assignment = selectors.assignment_of(conference=conference)
    if assignment is None:  # gone since the page subscribed
        return {"type": "snapshot", "points": []}
    units = {unit.pk: unit for unit in Unit.objects.filter(pk__in=[audience.unit_id, *audience.row_ids])}
    table = statistics_for(
        where=audience.reach,
        assignment=assignment,
        unit=units.get(audience.unit_id),
        units=[units[pk] for pk in audience.row_ids if pk in units],
    )
    return {
        "type": "snapshot",
        "points": [{"id": row.unit.pk, "cells": _cells(row)} for row in table.rows],
        "own": _cells(table.own) if table.own is not None else None,
        "total": _cells(table.total),
        "missing": table.missing_count,
    }


LIVE_VIEW = live.LiveView(
    name="learning_reports.statistics",
    topic=events.topic,
    load=lambda pk: Conference.objects.select_related("organising_unit").filter(pk=pk).first(),
    snapshot=statistics_snapshot,
)


def subscription(*, actor, conference_id: int, unit_id: int = 0) -> tuple[Conference, StatisticsAudience]:
    """(conference, audience) for an actor who reads the conference's reports and sees the unit;
    `NotFoundError` otherwise (a unit outside their subtree is as absent as a missing one)."""
    conference = selectors.reports_conference(actor=actor, pk=conference_id)
    if selectors.assignment_of(conference=conference) is None:
        raise NotFoundError(_("Không tìm thấy."), code="not_found")
    unit = orgs.unit_get(actor=actor, pk=unit_id) if unit_id else None
    rows = statistics_units(actor=actor, unit=unit)
    audience = StatisticsAudience(reach(actor, ACTION), unit.pk if unit else 0, tuple(row.pk for row in rows))
    return conference, audience
