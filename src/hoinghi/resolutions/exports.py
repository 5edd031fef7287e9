"""A unit's dashboard as files: an .xlsx of its figures and an A4 PDF report with the official
header. Pure functions from a `charts.Board` to bytes; the views gather the board through the
selectors (already scoped to the actor).

The PDF draws the letterhead, fonts and page every print-out of hoinghi shares (`core.printing`:
Decree 30/2020's two-column header, embedded Noto Serif), so every print-out looks the same.
"""

import io
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hoinghi.core.printing import (
    BOLD,
    BOTTOM,
    CONTENT_WIDTH,
    ITALIC,
    LEFT,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    REGULAR,
    RIGHT,
    TOP,
    Letterhead,
    draw_letterhead,
    register_fonts,
)
from hoinghi.core.spreadsheets import xlsx_cell
from hoinghi.resolutions.charts import Board
from hoinghi.resolutions.models import Direction

LETTERHEAD_HEIGHT = 36 * mm  # room left on the first page for `draw_letterhead`


def _number(value: Decimal | None, *, percent: bool = False) -> str:
    """'1.234,5' (Vietnamese separators), '—' for no value."""
    if value is None:
        return "—"
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text + ("%" if percent else "")


def _target(indicator) -> str:
    sign = "≤ " if indicator.direction == Direction.AT_MOST else "≥ "
    text = sign + _number(indicator.target_value, percent=indicator.is_ratio)
    if indicator.is_yearly:
        return text + " " + _("(hằng năm)")
    return text + " " + _("(đến %(day)s)") % {"day": indicator.deadline.strftime("%d/%m/%Y")}


def _met(value) -> str:
    if value.is_met is None:
        return _("chưa có số liệu")
    return _("đạt") if value.is_met else _("chưa đạt")


def title_of(board: Board) -> str:
    dashboard = board.dashboard
    return _("Tiến độ thực hiện chỉ tiêu nghị quyết – %(unit)s – %(period)s") % {
        "unit": dashboard.unit.name,
        "period": str(dashboard.period),
    }


# --- .xlsx ---------------------------------------------------------------------------------------


def dashboard_xlsx(board: Board) -> bytes:
    """Two sheets: the indicators (value, numerator, denominator, target, evaluation, projection)
    and the children by the ranked indicator. Every text through `xlsx_cell` (a unit or an
    indicator named "=…" stays text); numbers stay numbers."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Chỉ tiêu"))
    for column, width in zip("ABCDEFGHI", (14, 60, 14, 14, 14, 24, 16, 18, 16), strict=True):
        sheet.column_dimensions[column].width = width
    heading = xlsx_cell(sheet, title_of(board))
    heading.font = Font(bold=True, size=13)
    sheet.append([heading])
    sheet.append([xlsx_cell(sheet, board.dashboard.resolution.title)])
    header = [
        _("Mã"),
        _("Chỉ tiêu"),
        _("Kết quả"),
        _("Tử số"),
        _("Mẫu số"),
        _("Mục tiêu"),
        _("Đánh giá"),
        _("Dự báo đến hạn"),
        _("Giá trị dự báo"),
    ]
    sheet.append([_bold(sheet, text) for text in header])
    for trend in board.trends:
        indicator, value = trend.row.indicator, trend.row.value
        sheet.append(
            [
                xlsx_cell(sheet, indicator.code),
                xlsx_cell(sheet, indicator.name),
                value.value,
                value.numerator,
                value.denominator,
                xlsx_cell(sheet, _target(indicator)),
                xlsx_cell(sheet, _met(value)),
                xlsx_cell(sheet, trend.projection.label),
                trend.projection.value,
            ]
        )
    if board.ranked is not None:
        ranked = workbook.create_sheet(_("Xếp hạng"))
        ranked.column_dimensions["B"].width = 16
        ranked.column_dimensions["C"].width = 50
        ranked.append([_bold(ranked, board.ranked.indicator.name)])
        ranked.append([_bold(ranked, text) for text in ("#", _("Mã đơn vị"), _("Đơn vị"), _("Kết quả"))])
        for number, (child, value) in enumerate(board.ranked.children, start=board.ranked.offset + 1):
            ranked.append([number, xlsx_cell(ranked, child.code), xlsx_cell(ranked, child.name), value.value])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _bold(sheet, text: str):
    cell = xlsx_cell(sheet, text)
    cell.font = Font(bold=True)
    return cell


# --- PDF -----------------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=13, leading=17, alignment=1),
        "subtitle": ParagraphStyle("subtitle", fontName=ITALIC, fontSize=11, leading=14, alignment=1),
        "heading": ParagraphStyle("heading", fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8),
        "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=9.5, leading=12),
        "head": ParagraphStyle("head", fontName=BOLD, fontSize=9.5, leading=12),
    }


def _table(rows: list[list], widths: list[float], styles) -> Table:
    body = [[Paragraph(_escape(str(cell)), styles["cell"]) for cell in row] for row in rows[1:]]
    head = [[Paragraph(_escape(str(cell)), styles["head"]) for cell in rows[0]]]
    table = Table(head + body, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def dashboard_pdf(board: Board, *, issuer: str, place: str, day: date) -> bytes:
    """The A4 report: the official header (`issuer` above the unit), the title, a row per
    indicator (result, target, evaluation, projection) and the children ranked."""
    register_fonts()
    dashboard = board.dashboard
    styles = _styles()
    letterhead = Letterhead(issuer=issuer, department=dashboard.unit.name, place=place, day=day)
    story: list = [
        Spacer(1, LETTERHEAD_HEIGHT),
        Paragraph(_escape(_("BÁO CÁO TIẾN ĐỘ THỰC HIỆN CHỈ TIÊU NGHỊ QUYẾT")), styles["title"]),
        Paragraph(_escape(dashboard.resolution.title), styles["subtitle"]),
        Paragraph(
            _escape(_("Kỳ báo cáo: %(period)s") % {"period": str(dashboard.period)}), styles["subtitle"]
        ),
        Spacer(1, 6 * mm),
    ]
    rows = [[_("TT"), _("Chỉ tiêu"), _("Kết quả"), _("Mục tiêu"), _("Đánh giá"), _("Dự báo đến hạn")]]
    for number, trend in enumerate(board.trends, start=1):
        indicator, value = trend.row.indicator, trend.row.value
        projection = trend.projection.label
        if trend.projection.value is not None:
            projection += " (" + _number(trend.projection.value, percent=indicator.is_ratio) + ")"
        rows.append(
            [
                number,
                indicator.name,
                _number(value.value, percent=indicator.is_ratio),
                _target(indicator),
                _met(value),
                projection,
            ]
        )
    widths = [10 * mm, 62 * mm, 22 * mm, 30 * mm, 18 * mm]
    widths.append(CONTENT_WIDTH - sum(widths))
    story.append(_table(rows, widths, styles))
    if board.ranked is not None:
        indicator = board.ranked.indicator
        story.append(
            Paragraph(
                _escape(_("Xếp hạng đơn vị trực thuộc: %(name)s") % {"name": indicator.name}),
                styles["heading"],
            )
        )
        ranked = [[_("TT"), _("Đơn vị"), _("Kết quả"), _("Đánh giá")]]
        for number, (child, value) in enumerate(board.ranked.children, start=board.ranked.offset + 1):
            ranked.append([number, child.name, _number(value.value, percent=indicator.is_ratio), _met(value)])
        widths = [10 * mm, 100 * mm, 30 * mm]
        widths.append(CONTENT_WIDTH - sum(widths))
        story.append(_table(ranked, widths, styles))

    def first_page(canvas, _document):
        draw_letterhead(canvas, letterhead, PAGE_HEIGHT - TOP)
        _footer(canvas)

    def later_page(canvas, _document):
        _footer(canvas)

    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=title_of(board),
        author=issuer,
    )
    document.build(story, onFirstPage=first_page, onLaterPages=later_page)
    return output.getvalue()


def _footer(canvas) -> None:
    canvas.setFont(REGULAR, 9)
    canvas.drawCentredString(
        PAGE_WIDTH / 2, BOTTOM - 8 * mm, _("Trang %(page)s") % {"page": canvas.getPageNumber()}
    )
