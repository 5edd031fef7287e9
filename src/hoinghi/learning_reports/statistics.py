"""Statistics of an assignment per unit, drillable down the tree: required, submitted, on time,
marked, and the grade distribution, over what the actor may read (`learning_reports.view_reports`);
and who has not submitted. `unit_statistics` is the one selector the page, the .xlsx and the PDF
(documents.py) print from, so the three show the same figures.

Two grouped queries (who must write by unit path; reports by unit path, state, lateness and band),
then each row sums the groups under its path: the figures add up the tree (DESIGN.md: ratios
roll up as sums), whatever its depth.
"""

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from io import BytesIO

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from hoinghi.conferences.models import Invitation
from hoinghi.core.permissions import SYSTEM_REACH, Reach, reach
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


def _groups(where: Reach, assignment: Assignment):
    """The figures grouped by unit path, over what `where` reaches (`reach(actor, ACTION)`:
    exactly `scope`'s rows, as neither model shares down its subtree)."""
    required = (
        required_invitations(assignment=assignment)
        .filter(where.q(Invitation))
        .order_by()
        .values_list("person__unit__path")
        .annotate(n=Count("pk"))
    )
    reports = (
        Report.objects.filter(assignment=assignment)
        .filter(where.q(Report))
        .exclude(state=ReportState.DRAFT)
        .order_by()
        .values_list("invitation__person__unit__path", "state", "is_late", "band")
        .annotate(n=Count("pk"))
    )
    return list(required), list(reports)


def _roll_up(units, required, reports) -> list[UnitFigures]:
    """The figures of each of `units`: every group counted for each unit whose path prefixes its
    path. One pass over the groups: a group's path is cut at each depth the units have and looked
    up (`/1/23/456/` at depth 1 is `/1/23/`), so the national page's 85 rows cost as much as one."""
    figures = [UnitFigures(unit=unit) for unit in units]
    by_path: dict[str, list[UnitFigures]] = {}
    for row in figures:
        by_path.setdefault(row.unit.path, []).append(row)
    depths = sorted({row.unit.path.count("/") - 1 for row in figures})
    owners_of: dict[str, list[UnitFigures]] = {}

    def owners(path: str) -> list[UnitFigures]:
        found = owners_of.get(path)
        if found is None:
            parts = path.strip("/").split("/")
            found = [
                row
                for depth in depths
                if depth <= len(parts)
                for row in by_path.get("/" + "/".join(parts[:depth]) + "/", ())
            ]
            owners_of[path] = found
        return found

    for path, n in required:
        for row in owners(path):
            row.required += n
    for path, state, is_late, band, n in reports:
        for row in owners(path):
            row.submitted += n
            row.on_time += 0 if is_late else n
            if state in MARKED_STATES:
                row.marked += n
                row.bands[band] += n
            if state == ReportState.RELEASED:
                row.released += n
    return figures


@dataclass
class Statistics:
    """One statistics table: what the page, the .xlsx and the PDF all show, from one selector.

    `own` is the unit's own figures (None at the top, where the rows are the tops of the actor's
    subtrees), `rows` one per child; `total` the unit's figures or the sum of the tops (disjoint
    subtrees: a sum counts nobody twice). `missing` is who must write and has not submitted,
    in Vietnamese name order (a QuerySet: the page shows the first ones, the files all)."""

    assignment: Assignment
    unit: object | None
    own: UnitFigures | None
    rows: list[UnitFigures]
    missing: QuerySet

    @property
    def total(self) -> UnitFigures:
        if self.own is not None:
            return self.own
        total = UnitFigures(unit=None)
        for row in self.rows:
            for name in ("required", "submitted", "on_time", "marked", "released"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
            total.bands.update(row.bands)
        return total

    @cached_property
    def missing_count(self) -> int:
        """How many must write and have not submitted (someone who wrote without having to is
        counted as submitted, so this is not always required less submitted)."""
        return self.missing.count()


def not_submitted(
    *, actor, assignment: Assignment, unit=None, action: str = ACTION, where: Reach | None = None
) -> QuerySet[Invitation]:
    """The invitations whose invitee must write (`required_invitations`) and has not submitted
    (no report, or a draft only), within what the actor may `action` (actor None: everyone, for
    the automatic reminder; or `where`, a live audience's reach) and `unit`'s subtree; in
    Vietnamese name order, each with `has_draft`."""
    submitted = Report.objects.filter(assignment=assignment).exclude(state=ReportState.DRAFT)
    invitations = required_invitations(assignment=assignment).exclude(
        pk__in=submitted.values("invitation_id")
    )
    if where is None:
        where = reach(actor, action) if actor is not None else SYSTEM_REACH
    invitations = invitations.filter(where.q(Invitation))
    if unit is not None:
        invitations = invitations.filter(person__unit__path__under=unit.path)
    drafts = Report.objects.filter(
        assignment=assignment, invitation_id=OuterRef("pk"), state=ReportState.DRAFT
    )
    return (
        invitations.select_related("person__unit")
        .annotate(has_draft=Exists(drafts))
        .order_by("person__sort_key", "pk")
    )


def statistics_for(*, where: Reach, assignment: Assignment, unit, units) -> Statistics:
    """The statistics of `unit` (None at the top) and of `units` (its rows), over what `where`
    reaches. The page's selector below, and the live view's snapshot (live.py)."""
    required, reports = _groups(where, assignment)
    figures = _roll_up([unit, *units] if unit is not None else list(units), required, reports)
    return Statistics(
        assignment=assignment,
        unit=unit,
        own=figures[0] if unit is not None else None,
        rows=figures[1:] if unit is not None else figures,
        missing=not_submitted(actor=None, assignment=assignment, unit=unit, where=where),
    )


def statistics_units(*, actor, unit=None) -> list:
    """The rows of a unit's statistics: its children the actor sees, or without a unit the tops
    of the actor's subtrees."""
    if unit is None:
        return list(orgs.unit_grant_tops(actor=actor, action=ACTION))
    return list(orgs.unit_children(actor=actor, unit=unit))


def unit_statistics(*, actor, assignment: Assignment, unit=None) -> Statistics:
    """The statistics of `unit` (None: the tops of the actor's subtrees) and its children, with
    who has not submitted. Three queries for the figures, whatever the depth."""
    return statistics_for(
        where=reach(actor, ACTION),
        assignment=assignment,
        unit=unit,
        units=statistics_units(actor=actor, unit=unit),
    )


def figure_headers() -> list[str]:
    """The columns of the figures, in the page's, the .xlsx's and the PDF's order."""
    header = [_("Đơn vị"), _("Phải viết"), _("Đã nộp"), _("Đúng hạn"), _("Đã chấm"), _("Đã công bố")]
    return header + [str(label) for label in GradeBand.labels]


def figure_cells(figures: UnitFigures, name: str = "") -> list:
    return [
        name or figures.unit.name,
        figures.required,
        figures.submitted,
        figures.on_time,
        figures.marked,
        figures.released,
        *figures.band_cells,
    ]


def missing_headers() -> list[str]:
    return [_("STT"), _("Họ và tên"), _("Đơn vị"), _("Điện thoại"), _("Thư điện tử"), _("Tình trạng")]


def missing_cells(number: int, invitation) -> list:
    person = invitation.person
    state = _("Đang viết") if invitation.has_draft else _("Chưa viết")
    return [number, person.full_name, person.unit.name, person.phone, person.email, state]


def table_rows(statistics: Statistics) -> list[tuple[list, bool]]:
    """(cells, is_total) of the figures: the unit's own first (or the sum of the tops), then a row
    per child. The page, the .xlsx and the PDF all print these."""
    rows = [(figure_cells(row), False) for row in statistics.rows]
    if statistics.own is not None:
        return [(figure_cells(statistics.own), True), *rows]
    return [*rows, (figure_cells(statistics.total, _("Tổng cộng")), True)] if len(rows) > 1 else rows


def statistics_xlsx(statistics: Statistics) -> bytes:
    """The table as an .xlsx, and who has not submitted on a second sheet (cells through
    core.spreadsheets: a name or a unit stays text)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Thống kê"))
    sheet.append([xlsx_cell(sheet, statistics.assignment.title)])
    sheet.append([xlsx_cell(sheet, text) for text in figure_headers()])
    for cells, _is_total in table_rows(statistics):
        sheet.append([xlsx_cell(sheet, value) for value in cells])
    missing = workbook.create_sheet(_("Chưa nộp"))
    missing.append([xlsx_cell(missing, text) for text in missing_headers()])
    for number, invitation in enumerate(statistics.missing.iterator(chunk_size=2000), start=1):
        missing.append([xlsx_cell(missing, value) for value in missing_cells(number, invitation)])
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
