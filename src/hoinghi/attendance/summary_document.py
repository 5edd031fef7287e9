"""The summary of the morning (`summary.MorningSummary`) as one A4 page with the official header.

Always one page: the rows shrink (down to a small but legible size) to fit what is left below the
headline figures; the provinces run in two columns side by side, as on the printed web page.
"""

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from hoinghi.attendance.documents import ZONE
from hoinghi.attendance.reports import GroupRow
from hoinghi.attendance.summary import MorningSummary
from hoinghi.conferences.documents import (
    BOLD,
    BOTTOM,
    CONTENT_WIDTH,
    ITALIC,
    LEFT,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    REGULAR,
    TOP,
    Letterhead,
    draw_letterhead,
    register_fonts,
    when_line,
)

GUTTER = 6 * mm
PAD = 2.5


def summary_title() -> str:
    return _("TÓM TẮT KẾT QUẢ HỘI NGHỊ")


def _fitted(text: str, font: str, size: float, width: float) -> str:
    """The text cut with "…" to fit `width` (a province's or a category's name, on one line)."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _table(
    canvas: Canvas,
    x: float,
    y: float,
    widths: Sequence[float],
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    size: float,
    total: Sequence[str] | None = None,
) -> float:
    """Draw a table of one-line rows from (x, y) down: text left in the first column, numbers
    right in the others; return the y below it."""
    height = size * 1.25 + 2 * PAD
    lines = [(header, "header"), *((row, "row") for row in rows)]
    if total is not None:
        lines.append((total, "total"))
    width = sum(widths)
    canvas.setLineWidth(0.4)
    for cells, kind in lines:
        if kind != "row":
            canvas.setFillGray(0.92 if kind == "header" else 0.96)
            canvas.rect(x, y - height, width, height, stroke=0, fill=1)
            canvas.setFillGray(0)
        canvas.rect(x, y - height, width, height, stroke=1, fill=0)
        font = REGULAR if kind == "row" else BOLD
        canvas.setFont(font, size)
        left = x
        for index, (column, text) in enumerate(zip(widths, cells, strict=True)):
            if index:
                canvas.line(left, y, left, y - height)
            text = _fitted(str(text), font, size, column - 2 * PAD)
            baseline = y - PAD - size + 0.5
            if index == 0:
                canvas.drawString(left + PAD, baseline, text)
            elif kind == "header":
                canvas.drawCentredString(left + column / 2, baseline, text)
            else:
                canvas.drawRightString(left + column - PAD, baseline, text)
            left += column
        y -= height
    return y


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _percent(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.1f}".replace(".", ",")


def _group(row: GroupRow) -> list[str]:
    return [row.name, _number(row.invited), _number(row.present), _percent(row.rate)]


def _draw(canvas: Canvas, summary: MorningSummary, letterhead: Letterhead, size: float) -> float:
    """Draw the page at table text `size`; return the y where it ends (below BOTTOM: too big)."""
    report = summary.report
    y = draw_letterhead(canvas, letterhead, PAGE_HEIGHT - TOP) - 8
    for text, font, font_size in (
        (summary_title(), BOLD, 13.5),
        (report.conference.title, BOLD, 11.5),
        (when_line(report.conference.starts_at.astimezone(ZONE)), ITALIC, 10.5),
    ):
        canvas.setFont(font, font_size)
        canvas.drawCentredString(PAGE_WIDTH / 2, y, _fitted(text, font, font_size, CONTENT_WIDTH))
        y -= font_size * 1.35
    if report.scope:
        scope = _("Phạm vi: %(units)s") % {"units": "; ".join(report.scope)}
        canvas.setFont(ITALIC, 10)
        canvas.drawCentredString(PAGE_WIDTH / 2, y, _fitted(scope, ITALIC, 10, CONTENT_WIDTH))
        y -= 13
    y -= 2

    def heading(text: str, y: float) -> float:
        canvas.setFont(BOLD, 10.5)
        canvas.drawString(LEFT, y - 11, text)
        return y - 15

    y = heading(_("I. Các số liệu chính"), y)
    figures = summary.figures
    half = (len(figures) + 1) // 2
    pairs = [
        [
            figures[index].label,
            figures[index].value,
            *(
                (figures[index + half].label, figures[index + half].value)
                if index + half < len(figures)
                else ("", "")
            ),
        ]
        for index in range(half)
    ]
    quarter = CONTENT_WIDTH / 2
    widths = (quarter - 24 * mm, 24 * mm, quarter - 24 * mm, 24 * mm)
    y = _table(canvas, LEFT, y, widths, [_("Số liệu"), "", _("Số liệu"), ""], pairs, size=size)
    if summary.levels:
        levels = "; ".join(f"{level.name} {level.connected}/{level.points}" for level in summary.levels)
        canvas.setFont(ITALIC, size)
        text = _("Điểm cầu đang kết nối theo cấp: %(levels)s") % {"levels": levels}
        canvas.drawString(LEFT, y - size - 2, _fitted(text, ITALIC, size, CONTENT_WIDTH))
        y -= size + 6

    header = [_("Tỉnh, thành phố"), _("Được mời"), _("Có mặt"), _("Tỷ lệ (%)")]
    y = heading(_("II. Theo tỉnh, thành phố"), y - 2)
    columns = summary.province_columns
    column_width = (CONTENT_WIDTH - GUTTER * (len(columns) - 1)) / len(columns)
    numbers = 17 * mm
    widths = (column_width - 3 * numbers, numbers, numbers, numbers)
    bottoms = []
    for index, rows in enumerate(columns):
        total = _group(report.totals) if index == len(columns) - 1 else None
        x = LEFT + index * (column_width + GUTTER)
        bottoms.append(
            _table(canvas, x, y, widths, header, [_group(r) for r in rows], size=size, total=total)
        )
    y = min(bottoms)

    y = heading(_("III. Theo nhóm đối tượng"), y - 2)
    numbers = 24 * mm
    widths = (CONTENT_WIDTH - 3 * numbers, numbers, numbers, numbers)
    header = [_("Nhóm đối tượng"), _("Được mời"), _("Có mặt"), _("Tỷ lệ (%)")]
    y = _table(canvas, LEFT, y, widths, header, [_group(r) for r in report.categories], size=size)
    canvas.setFont(ITALIC, size)
    note = _("Số liệu lúc %(at)s. Một người thuộc hai nhóm đối tượng được đếm ở cả hai nhóm.") % {
        "at": f"{report.generated_at.astimezone(ZONE):%H:%M %d/%m/%Y}"
    }
    canvas.drawString(LEFT, y - size - 2, _fitted(note, ITALIC, size, CONTENT_WIDTH))
    return y - size - 4


def summary_pdf(summary: MorningSummary, *, letterhead: Letterhead) -> bytes:
    """One A4 page: the official header, the title, the headline figures, the provinces in two
    columns and the categories, at the largest text size (9 pt down to 5.5 pt) that fits."""
    register_fonts()
    size = 9.0
    while size > 5.5 and _draw(Canvas(io.BytesIO()), summary, letterhead, size) < BOTTOM:
        size -= 0.25
    output = io.BytesIO()
    canvas = Canvas(output, pagesize=A4, pageCompression=1, initialFontName=REGULAR)
    canvas.setTitle(f"{summary_title()} — {summary.report.conference.title}")
    canvas.setAuthor(letterhead.issuer)
    _draw(canvas, summary, letterhead, size)
    canvas.showPage()
    canvas.save()
    return output.getvalue()
