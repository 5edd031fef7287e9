"""Statistics of an assignment per unit, drillable down the tree: required, submitted, on time,
marked, and the grade distribution, over what the actor may read (`learning_reports.view_reports`).

Two grouped queries (who must write by unit path; reports by unit path, state, lateness and band),
then each row sums the groups under its path: the figures add up the tree (DESIGN.md: ratios
roll up as sums), whatever its depth.
"""

from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO

from django.db.models import Count
from django.utils.translation import gettext as _
from openpyxl import Workbook

from hoinghi.core.permissions import scope
from hoinghi.core.spreadsheets import xlsx_cell
from hoinghi.learning_reports.models import Assignment, GradeBand, Report, ReportState
from hoinghi.learning_reports.selectors import ACTION, required_invitations
from hoinghi.orgs import selectors as orgs

MARKED_STATES = (ReportState.MARKED, ReportState.RELEASED)


@dataclass
class UnitFigures:
    unit: object
    required: int = 0
    submitted: int = 0
    on_time: int = 0
    marked: int = 0
    released: int = 0
    bands: Counter = field(default_factory=Counter)

    @property
    def band_cells(self) -> list[int]:
        return [self.bands.get(band, 0) for band in GradeBand.values]


def _groups(actor, assignment: Assignment):
    required = (
        scope(actor, ACTION, required_invitations(assignment=assignment))
        .order_by()
        .values_list("person__unit__path")
        .annotate(n=Count("pk"))
    )
    reports = (
        scope(actor, ACTION, Report.objects.filter(assignment=assignment))
        .exclude(state=ReportState.DRAFT)
        .order_by()
        .values_list("invitation__person__unit__path", "state", "is_late", "band")
        .annotate(n=Count("pk"))
    )
    return list(required), list(reports)


def _figures(unit, required, reports) -> UnitFigures:
    figures = UnitFigures(unit=unit)
    figures.required = sum(n for path, n in required if path.startswith(unit.path))
    for path, state, is_late, band, n in reports:
        if not path.startswith(unit.path):
            continue
        figures.submitted += n
        figures.on_time += 0 if is_late else n
        if state in MARKED_STATES:
            figures.marked += n
            figures.bands[band] += n
        if state == ReportState.RELEASED:
            figures.released += n
    return figures


def unit_statistics(
    *, actor, assignment: Assignment, unit=None
) -> tuple[UnitFigures | None, list[UnitFigures]]:
    """(the unit's own figures, one row per child) — or, without a unit, (None, one row per top
    of the actor's subtrees)."""
    if unit is None:
        units = list(orgs.unit_grant_tops(actor=actor, action=ACTION))
    else:
        units = list(orgs.unit_children(actor=actor, unit=unit))
    required, reports = _groups(actor, assignment)
    own = _figures(unit, required, reports) if unit is not None else None
    return own, [_figures(row, required, reports) for row in units]


def statistics_xlsx(*, actor, assignment: Assignment, unit=None) -> bytes:
    """The same table as an .xlsx (cells through core.spreadsheets: a unit name stays text)."""
    own, rows = unit_statistics(actor=actor, assignment=assignment, unit=unit)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Thống kê"))
    sheet.append([xlsx_cell(sheet, assignment.title)])
    header = [_("Đơn vị"), _("Phải viết"), _("Đã nộp"), _("Đúng hạn"), _("Đã chấm"), _("Đã công bố")]
    header += [str(label) for label in GradeBand.labels]
    sheet.append([xlsx_cell(sheet, text) for text in header])
    for figures in ([own] if own else []) + rows:
        values = [figures.unit.name, figures.required, figures.submitted, figures.on_time, figures.marked]
        values += [figures.released, *figures.band_cells]
        sheet.append([xlsx_cell(sheet, value) for value in values])
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
