"""The attendance report as .xlsx and as an A4 PDF: pure functions from the report's rows to bytes.

The letterhead, the fonts and the page layout are those of the conferences' print-outs
(`conferences.documents`), imported rather than copied. Like the sign-in sheet there, the tables
are measured once and drawn on the canvas directly: the absentees of a large conference run to
thousands of rows, which platypus' `Table` splits in quadratic time.
"""

import io
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from hoinghi.attendance.reports import Absentee, AttendanceReport, GroupRow, PointRow
from hoinghi.conferences.documents import (
    BOLD,
    CONTENT_WIDTH,
    ITALIC,
    LEFT,
    PAGE_HEIGHT,
    REGULAR,
    TOP,
    Letterhead,
    draw_letterhead,
    when_line,
)
from hoinghi.core.printing import Column, Line, centred, table_columns, table_row, tables_pdf
from hoinghi.core.spreadsheets import xlsx_cell

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TIME_FORMAT = "dd/mm/yyyy hh:mm"  # Excel's number format


def local(moment: datetime | None) -> datetime | None:
    """The moment in Vietnam's time, without zone (Excel cells have none)."""
    return moment.astimezone(ZONE).replace(tzinfo=None) if moment else None


def _time(moment: datetime | None) -> str:
    return f"{local(moment):%d/%m/%Y %H:%M}" if moment else ""


def _percent(rate: float | None) -> str:
    return f"{rate:.1f}".replace(".", ",") if rate is not None else ""


def _point_cells(row: PointRow) -> list:
    return [
        row.name,
        row.invited,
        row.present,
        row.elsewhere,
        row.headcount,
        row.rate,
        row.first_at,
        row.last_at,
    ]


def _group_cells(row: GroupRow) -> list:
    return [row.name, row.invited, row.present, row.absent, row.rate]


def point_headers() -> list[str]:
    return [
        _("Điểm cầu"),
        _("Được mời"),
        _("Có mặt"),
        _("Trong đó: nơi khác, khách"),
        _("Báo cáo số lượng"),
        _("Tỷ lệ (%)"),
        _("Đến sớm nhất"),
        _("Đến muộn nhất"),
    ]


def group_headers(name: str) -> list[str]:
    return [name, _("Được mời"), _("Có mặt"), _("Vắng"), _("Tỷ lệ (%)")]


def absentee_headers() -> list[str]:
    return [
        _("Họ và tên"),
        _("Mã cán bộ"),
        _("Đơn vị"),
        _("Điểm cầu"),
        _("Tỉnh, thành phố"),
        _("Xem lại (phút)"),
        _("Xem lại theo mục chương trình"),
    ]


def report_title() -> str:
    return _("BÁO CÁO KẾT QUẢ ĐIỂM DANH")


# --- Spreadsheet ---------------------------------------------------------------------------------


def report_xlsx(report: AttendanceReport, absentees: Iterable[Absentee]) -> bytes:
    """One sheet per table, a bold header under a title line, times as real dates
    (dd/mm/yyyy hh:mm, Vietnam's time). Write-only: the absentees stream through."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8EEF7")

    def sheet(name: str, title: str, headers: list[str], widths: list[int]):
        worksheet = workbook.create_sheet(title=name[:31])
        worksheet.column_dimensions["A"].width = 6
        for index, width in enumerate(widths, start=2):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.freeze_panes = "A3"
        heading = WriteOnlyCell(worksheet, value=title)
        heading.font = Font(bold=True, size=13)
        worksheet.append([heading])
        cells = []
        for header in [_("STT"), *headers]:
            cell = WriteOnlyCell(worksheet, value=header)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cells.append(cell)
        worksheet.append(cells)
        return worksheet

    def row(worksheet, values: list, *, number, is_total: bool = False) -> None:
        cells = []
        for value in [number, *values]:
            if isinstance(value, datetime):
                value = local(value)
            cell = xlsx_cell(worksheet, value)
            if isinstance(value, datetime):
                cell.number_format = TIME_FORMAT
            elif isinstance(value, float):
                cell.number_format = "0.0"
            if is_total:
                cell.font = bold
            cells.append(cell)
        worksheet.append(cells)

    conference = report.conference.title
    points = sheet(
        _("Theo điểm cầu"),
        _("Kết quả điểm danh theo điểm cầu — %(conference)s") % {"conference": conference},
        point_headers(),
        [44, 11, 11, 14, 14, 10, 18, 18],
    )
    for number, point in enumerate(report.points, start=1):
        row(points, _point_cells(point), number=number)
    row(points, _point_cells(report.points_total), number=None, is_total=True)

    for name, title, rows in (
        (_("Theo tỉnh, thành phố"), _("Tỉnh, thành phố"), report.provinces),
        (_("Theo nhóm đối tượng"), _("Nhóm đối tượng"), report.categories),
    ):
        worksheet = sheet(
            name,
            f"{_('Kết quả điểm danh')} — {name.lower()} — {conference}",
            group_headers(title),
            [44, 11, 11, 11, 10],
        )
        for number, group in enumerate(rows, start=1):
            row(worksheet, _group_cells(group), number=number)
        if rows is report.provinces:
            row(worksheet, _group_cells(report.totals), number=None, is_total=True)

    absent = sheet(
        _("Vắng mặt"),
        _("Danh sách người được mời vắng mặt — %(conference)s") % {"conference": conference},
        absentee_headers(),
        [30, 14, 46, 34, 16, 12, 50],
    )
    for number, person in enumerate(absentees, start=1):
        values = [
            number,
            person.full_name,
            person.code,
            person.unit,
            person.point,
            person.province,
            person.watched_minutes or None,
            person.watched_text,
        ]
        # Names and units are typed by people: written formula-safe, like every other cell.
        absent.append([xlsx_cell(absent, value) for value in values])

    if report.unlisted_guests:
        unlisted = sheet(
            _("Khách ngoài danh sách"),
            _("Khách ngoài danh sách, ghi theo tên tự khai — %(conference)s") % {"conference": conference},
            [_("Họ và tên (tự khai)"), _("Điểm cầu"), _("Lúc")],
            [34, 44, 18],
        )
        for number, guest in enumerate(report.unlisted_guests, start=1):
            row(unlisted, [guest.name, guest.point, guest.at], number=number)

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


def _tables(
    report: AttendanceReport, absentees: Iterable[Absentee]
) -> list[tuple[str, list[Column], list[Line]]]:
    point_columns = table_columns(
        (8, 45, 13, 12, 13, 13, 12, 27, 27),
        [_("STT"), *point_headers()],
        "clrrrrrcc",
    )
    points = [
        table_row(
            point_columns,
            [
                number,
                row.name,
                row.invited,
                row.present,
                row.elsewhere,
                "" if row.headcount is None else row.headcount,
                _percent(row.rate),
                _time(row.first_at),
                _time(row.last_at),
            ],
        )
        for number, row in enumerate(report.points, start=1)
    ]
    total = report.points_total
    points.append(
        table_row(
            point_columns,
            [
                "",
                total.name,
                total.invited,
                total.present,
                total.elsewhere,
                "" if total.headcount is None else total.headcount,
                _percent(total.rate),
                _time(total.first_at),
                _time(total.last_at),
            ],
            is_total=True,
        )
    )

    def groups(title: str, rows: list[GroupRow], with_total: bool):
        columns = table_columns((9, 79, 20, 20, 20, 20), [_("STT"), *group_headers(title)], "clrrrr")
        lines = [
            table_row(columns, [n, g.name, g.invited, g.present, g.absent, _percent(g.rate)])
            for n, g in enumerate(rows, start=1)
        ]
        if with_total:
            t = report.totals
            lines.append(
                table_row(
                    columns, ["", t.name, t.invited, t.present, t.absent, _percent(t.rate)], is_total=True
                )
            )
        return columns, lines

    absent_columns = table_columns(
        (11, 46, 56, 44, 18),
        [_("STT"), _("Họ và tên"), _("Đơn vị"), _("Điểm cầu"), _("Xem lại (phút)")],
        "clllr",
    )
    absent_lines = [
        table_row(
            absent_columns,
            [
                n,
                person.full_name,
                person.unit,
                person.point,
                f"{person.watched_minutes:.0f}" if person.watched else "",
            ],
        )
        for n, person in enumerate(absentees, start=1)
    ]
    province_columns, province_lines = groups(_("Tỉnh, thành phố"), report.provinces, True)
    category_columns, category_lines = groups(_("Nhóm đối tượng"), report.categories, False)
    return [
        (_("I. Theo điểm cầu"), point_columns, points),
        (_("II. Theo tỉnh, thành phố"), province_columns, province_lines),
        (_("III. Theo nhóm đối tượng"), category_columns, category_lines),
        (_("IV. Danh sách vắng mặt (theo thứ tự tên)"), absent_columns, absent_lines),
    ]


def _heading(canvas: Canvas, report: AttendanceReport, letterhead: Letterhead) -> float:
    y = draw_letterhead(canvas, letterhead, PAGE_HEIGHT - TOP) - 12
    y = centred(canvas, report_title(), BOLD, 14, y)
    y = centred(canvas, report.conference.title, BOLD, 12, y)
    y = centred(canvas, when_line(report.conference.starts_at.astimezone(ZONE)), ITALIC, 11, y)
    if report.scope:
        y = centred(canvas, _("Phạm vi: %(units)s") % {"units": "; ".join(report.scope)}, ITALIC, 11, y)
    y -= 6
    totals = report.totals
    summary = _(
        "Tổng số người được mời: %(invited)s; có mặt: %(present)s (%(rate)s%%); vắng mặt: %(absent)s; "
        "có mặt ngoài danh sách mời: %(guests)s."
    ) % {
        "invited": f"{totals.invited:,}".replace(",", "."),
        "present": f"{totals.present:,}".replace(",", "."),
        "rate": _percent(totals.rate) or "0",
        "absent": f"{totals.absent:,}".replace(",", "."),
        "guests": f"{report.uninvited_present:,}".replace(",", "."),
    }
    canvas.setFont(REGULAR, 11)
    for line in simpleSplit(summary, REGULAR, 11, CONTENT_WIDTH):
        canvas.drawString(LEFT, y, line)
        y -= 14.5
    return y - 4


def report_pdf(report: AttendanceReport, absentees: Iterable[Absentee], *, letterhead: Letterhead) -> bytes:
    """The report on A4: the official header, the title, the conference, the totals, then the four
    tables with their header rows repeated on every page, and 'Trang x/y' at the foot."""
    return tables_pdf(
        heading=lambda canvas: _heading(canvas, report, letterhead),
        tables=_tables(report, absentees),
        title=f"{report_title()} — {report.conference.title}",
        author=letterhead.issuer,
    )


# --- Not yet arrived, per point -------------------------------------------------------------------


def not_arrived_headers() -> list[str]:
    return [_("STT"), _("Họ và tên"), _("Đơn vị"), _("Điện thoại"), _("Thư điện tử"), _("Ghi chú")]


def not_arrived_xlsx(*, point, rows: Iterable[dict], at: datetime) -> bytes:
    """The point's invitees not arrived yet, to call: a title line with the point and the time,
    then one row each; every value through `xlsx_cell` (a name is never a formula)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Chưa đến")[:31])
    for letter, width in zip("ABCDEF", (6, 30, 44, 16, 30, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    title = _("Chưa đến — %(point)s — lúc %(at)s") % {"point": point.name, "at": _time(at)}
    heading = xlsx_cell(sheet, title)
    heading.font = Font(bold=True, size=13)
    sheet.append([heading])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF7")
    headers = []
    for text in not_arrived_headers():
        cell = xlsx_cell(sheet, text)
        cell.font, cell.fill = bold, fill
        headers.append(cell)
    sheet.append(headers)
    for number, row in enumerate(rows, start=1):
        values = [
            number,
            row["person__full_name"],
            row["person__unit__name"] or "",
            row["person__phone"] or "",
            row["person__email"] or "",
            "",
        ]
        sheet.append([xlsx_cell(sheet, value) for value in values])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
