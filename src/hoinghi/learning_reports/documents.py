"""Print-outs of learning reports: the statistics of a unit as an A4 PDF with the official header
(core.printing).

Pure functions from data to bytes: the views gather the rows through the selectors (already
scoped to the actor) and pass them in.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from hoinghi.core.printing import (
    BOLD,
    CONTENT_WIDTH,
    ITALIC,
    LEFT,
    PAGE_HEIGHT,
    REGULAR,
    TOP,
    Letterhead,
    centred,
    draw_letterhead,
    table_columns,
    table_row,
    tables_pdf,
)
from hoinghi.learning_reports.statistics import (
    Statistics,
    figure_headers,
    missing_cells,
    missing_headers,
    table_rows,
)


def statistics_title() -> str:
    return _("THỐNG KÊ BÀI THU HOẠCH")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _heading(canvas: Canvas, statistics: Statistics, letterhead: Letterhead) -> float:
    y = draw_letterhead(canvas, letterhead, PAGE_HEIGHT - TOP) - 12
    y = centred(canvas, statistics_title(), BOLD, 14, y)
    y = centred(canvas, statistics.assignment.title, BOLD, 12, y)
    due = timezone.localtime(statistics.assignment.due_at).strftime("%d/%m/%Y %H:%M")
    y = centred(canvas, _("Hạn nộp: %(due)s") % {"due": due}, ITALIC, 11, y)
    if statistics.unit is not None:
        y = centred(canvas, _("Phạm vi: %(unit)s") % {"unit": statistics.unit.name}, ITALIC, 11, y)
    y -= 6
    total = statistics.total
    summary = _(
        "Phải viết: %(required)s; đã nộp: %(submitted)s, trong đó đúng hạn: %(on_time)s; "
        "đã chấm: %(marked)s; đã công bố kết quả: %(released)s; chưa nộp: %(missing)s."
    ) % {
        "required": _number(total.required),
        "submitted": _number(total.submitted),
        "on_time": _number(total.on_time),
        "marked": _number(total.marked),
        "released": _number(total.released),
        "missing": _number(statistics.missing_count),
    }
    canvas.setFont(REGULAR, 11)
    for line in simpleSplit(summary, REGULAR, 11, CONTENT_WIDTH):
        canvas.drawString(LEFT, y, line)
        y -= 14.5
    return y - 4


def statistics_pdf(statistics: Statistics, *, letterhead: Letterhead) -> bytes:
    """The statistics on A4: the official header, the title, the totals, the table of units, then
    who has not submitted, with header rows repeated on every page."""
    figure_columns = table_columns(
        (40, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13), figure_headers(), "lrrrrrrrrrr"
    )
    figures = [
        table_row(figure_columns, [cells[0], *map(_number, cells[1:])], is_total=is_total)
        for cells, is_total in table_rows(statistics)
    ]
    person_columns = table_columns((10, 40, 50, 22, 30, 18), missing_headers(), "clllll")
    missing = [
        table_row(person_columns, missing_cells(number, invitation))
        for number, invitation in enumerate(statistics.missing.iterator(chunk_size=2000), start=1)
    ]
    return tables_pdf(
        heading=lambda canvas: _heading(canvas, statistics, letterhead),
        tables=[
            (_("I. Theo đơn vị"), figure_columns, figures),
            (_("II. Danh sách chưa nộp bài (theo thứ tự tên)"), person_columns, missing),
        ],
        title=f"{statistics_title()} — {statistics.assignment.title}",
        author=letterhead.issuer,
    )
