"""The morning on one page (issue 17): the headline figures, attendance per province and per
category of invitee, the points connected per level. Nothing is computed here: the figures are
those of the report (`reports.attendance_report`) and of the dashboard (`dashboard_snapshot`),
under the names of docs/figures.md, so the page, its print-out and its PDF agree with both.

Who reads it: whoever reads the report (`attendance.view_reports`, `reports.report_conference`).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from hoinghi.attendance import reports
from hoinghi.attendance.dashboard import dashboard_snapshot
from hoinghi.attendance.reports import AttendanceReport, GroupRow
from hoinghi.conferences.models import Conference


@dataclass(frozen=True)
class Figure:
    label: str  # the figure's name in docs/figures.md
    value: str
    key: str  # a stable name for pages and tests


@dataclass(frozen=True)
class LevelRow:
    name: str
    connected: int
    points: int


@dataclass
class MorningSummary:
    report: AttendanceReport
    figures: list[Figure]
    levels: list[LevelRow]
    points_connected: int
    points: int

    @property
    def province_columns(self) -> list[list[GroupRow]]:
        """The provinces in two columns (63 rows fit an A4 page side by side, not one below)."""
        rows = self.report.provinces
        half = (len(rows) + 1) // 2
        return [rows[:half], rows[half:]] if len(rows) > 12 else [rows]


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _percent(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.1f}".replace(".", ",") + " %"


def morning_summary(*, actor, conference: Conference) -> MorningSummary:
    """The summary of the actor's part of the conference (their subtree and the points they see)."""
    report = reports.attendance_report(actor=actor, conference=conference)
    snapshot = dashboard_snapshot(actor=actor, conference=conference)
    totals = snapshot["totals"]
    connected = totals["online"]
    figures = [
        Figure(_("Được mời"), _number(report.totals.invited), "invited"),
        Figure(_("Có mặt (đại biểu)"), _number(report.totals.present), "present"),
        Figure(_("Vắng"), _number(report.absent), "absent"),
        Figure(_("Tỷ lệ có mặt"), _percent(report.totals.rate), "rate"),
        Figure(_("Điểm danh tại điểm cầu"), _number(totals["checked_in"]), "checked_in"),
        Figure(_("Có mặt tại các điểm cầu"), _number(report.points_total.present), "points_present"),
        Figure(_("Nơi khác, khách"), _number(report.points_total.elsewhere), "elsewhere"),
        Figure(_("Có mặt ở 2 điểm cầu trở lên"), _number(totals["multi_point"]), "multi_point"),
        Figure(_("Khách ngoài danh sách"), _number(len(report.unlisted_guests)), "unlisted"),
        Figure(_("Báo cáo số lượng"), _number(totals["reported"]), "reported"),
        Figure(_("Điểm cầu đang kết nối"), f"{_number(connected)}/{_number(totals['points'])}", "connected"),
    ]
    levels = [LevelRow(level["name"], level["online"], level["total"]) for level in snapshot["levels"]]
    return MorningSummary(
        report=report, figures=figures, levels=levels, points_connected=connected, points=totals["points"]
    )
