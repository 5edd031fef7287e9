"""Statistics of an assignment per unit, drillable down the tree: required, submitted, on time,
marked, and the grade distribution, over what the actor may read (`learning_reports.view_reports`);
and who has not submitted. `unit_statistics` is the one selector the page, the .xlsx and the PDF
(documents.py) print from, so the three show the same figures.

One query grouped by row in the database (the invitations with their reports: who must write,
who of them has not submitted, the submitted reports, each figure a filtered count), whatever the
tree's depth: a person's unit path is cut at the row it falls in (`_row_key`), so a row's figures
are the sums over its subtree (DESIGN.md: ratios roll up as sums) and the unit's own are the sums
of every group.
"""

from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    Expression,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import StrIndex, Substr
from django.utils.translation import gettext as _
from openpyxl import Workbook

from hoinghi.conferences.models import Invitation
from hoinghi.core.permissions import SYSTEM_REACH, Reach, reach
from hoinghi.core.spreadsheets import xlsx_cell
from hoinghi.core.tree import PATH_SEPARATOR, path_child
from hoinghi.learning_reports.models import Assignment, GradeBand, Report, ReportState
from hoinghi.learning_reports.selectors import ACTION, required_condition, required_invitations
from hoinghi.orgs import selectors as orgs

MARKED_STATES = (ReportState.MARKED, ReportState.RELEASED)
SUBMITTED_STATES = tuple(state for state in ReportState.values if state != ReportState.DRAFT)


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


def _row_key(path: str, unit, units) -> Expression:
    """The path of the row a unit path falls in, computed by the database so that it groups by
    row: at most one group per row (and one for the unit's own people), not one per unit and
    state. The rows of a unit are its children, so a path is cut after the id that follows the
    unit's path ("/1/23/456/" under "/1/" is "/1/23/"; the unit's own path stays itself). The tops
    of an actor's subtrees (no unit) lie at any depth: each is matched by prefix; they are few,
    one per grant."""
    if unit is not None and all(row.path == path_child(unit.path, row.pk) for row in units):
        cut = len(unit.path)
        rest = Substr(path, cut + 1)
        return Substr(path, 1, Value(cut) + StrIndex(rest, Value(PATH_SEPARATOR)), output_field=CharField())
    return Case(
        *(When(**{f"{path}__under": row.path}, then=Value(row.path)) for row in units),
        default=Value(""),
        output_field=CharField(),
    )


def _groups(where: Reach, assignment: Assignment, unit, units) -> list[dict]:
    """The figures grouped by row (`_row_key`), over what `where` reaches (`reach(actor, ACTION)`:
    exactly `scope`'s rows, as neither model shares down its subtree; both belong to the
    invitee's unit) within `unit`'s subtree. One query: the conference's invitations, each with
    its report of the assignment if any (a report is its invitation's, one per invitation), every
    figure a filtered count; `missing` is who must write and has not submitted (`not_submitted`'s
    condition)."""
    invitations = Invitation.objects.filter(conference_id=assignment.conference_id)
    invitations = invitations.filter(where.q(Invitation))
    if unit is not None:
        invitations = invitations.filter(person__unit__path__under=unit.path)
    required = required_condition(assignment=assignment)
    submitted = Q(report__state__in=SUBMITTED_STATES)
    marked = Q(report__state__in=MARKED_STATES)
    bands = {f"band_{band}": Count("pk", filter=marked & Q(report__band=band)) for band in GradeBand.values}
    return list(
        invitations.annotate(
            report=FilteredRelation("learning_report", condition=Q(learning_report__assignment=assignment)),
            key=_row_key("person__unit__path", unit, units),
        )
        .order_by()
        .values("key")
        .annotate(
            required=Count("pk", filter=required),
            missing=Count("pk", filter=required & ~submitted),
            submitted=Count("pk", filter=submitted),
            on_time=Count("pk", filter=submitted & Q(report__is_late=False)),
            marked=Count("pk", filter=marked),
            released=Count("pk", filter=Q(report__state=ReportState.RELEASED)),
            **bands,
        )
    )


def _add(figures: UnitFigures, group: dict) -> None:
    for name in ("required", "submitted", "on_time", "marked", "released"):
        setattr(figures, name, getattr(figures, name) + group.get(name, 0))
    for band in GradeBand.values:
        figures.bands[band] += group.get(f"band_{band}", 0)


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
    # How many must write and have not submitted, counted with the figures (someone who wrote
    # without having to is counted as submitted, so this is not always required less submitted).
    missing_count: int

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


def not_submitted(
    *, actor, assignment: Assignment, unit=None, action: str = ACTION, where: Reach | None = None
) -> QuerySet[Invitation]:
    """The invitations whose invitee must write (`required_invitations`) and has not submitted
    (no report, or a draft only), within what the actor may `action` (actor None: everyone, for
    the automatic reminder; or `where`, a live audience's reach) and `unit`'s subtree; in
    Vietnamese name order, each with `has_draft`."""
    # NOT EXISTS, not NOT IN: an anti-join the planner estimates, so that the page's first
    # names come from the name index when few have not submitted, not from sorting everyone.
    submitted = Report.objects.filter(
        assignment=assignment, invitation_id=OuterRef("pk"), state__in=SUBMITTED_STATES
    )
    invitations = required_invitations(assignment=assignment).exclude(Exists(submitted))
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
    reaches. The page's selector below, and the live view's snapshot (live.py). One query (two
    when who must write counts who watched the recording later)."""
    groups = _groups(where, assignment, unit, units)
    rows = [UnitFigures(unit=row) for row in units]
    by_key = {row.unit.path: row for row in rows}
    own = UnitFigures(unit=unit) if unit is not None else None
    missing_count = 0
    for group in groups:
        row = by_key.get(group["key"])
        if row is not None:
            _add(row, group)
        if own is not None:
            _add(own, group)
        missing_count += group.get("missing", 0)
    return Statistics(
        assignment=assignment,
        unit=unit,
        own=own,
        rows=rows,
        missing=not_submitted(actor=None, assignment=assignment, unit=unit, where=where),
        missing_count=missing_count,
    )


def statistics_units(*, actor, unit=None) -> list:
    """The rows of a unit's statistics: its children the actor sees, or without a unit the tops
    of the actor's subtrees."""
    if unit is None:
        return list(orgs.unit_grant_tops(actor=actor, action=ACTION))
    return list(orgs.unit_children(actor=actor, unit=unit))


def unit_statistics(*, actor, assignment: Assignment, unit=None) -> Statistics:
    """The statistics of `unit` (None: the tops of the actor's subtrees) and its children, with
    who has not submitted (their number counted with the figures, the list a QuerySet)."""
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
