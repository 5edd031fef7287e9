"""The sign-in sheet of a bridge point (A4 PDF)."""

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from hoinghi.conferences.documents.layout import (
    Invitee,
    SigninSheet,
    _centred_lines,
    _page_number,
    _wrap,
    draw_letterhead,
    when_line,
)
from hoinghi.core.printing import (
    BOLD,
    BOTTOM,
    CONTENT_WIDTH,
    ITALIC,
    LEFT,
    PAGE_HEIGHT,
    REGULAR,
    TOP,
    register_fonts,
)

# --- Sign-in sheet -------------------------------------------------------------------------------

SIGNIN_COLUMNS = (12 * mm, 52 * mm, CONTENT_WIDTH - 12 * mm - 52 * mm - 34 * mm, 34 * mm)
SIGNIN_SIZE = 10
SIGNIN_LEADING = 12.5
SIGNIN_MIN_ROW = 10 * mm  # room to sign
SIGNIN_PAD = 4


@dataclass
class _Row:
    number: str
    name: list[str]
    details: list[str]
    height: float


def _signin_rows(invitees: Sequence[Invitee]) -> list[_Row]:
    name_width = SIGNIN_COLUMNS[1] - 2 * SIGNIN_PAD
    details_width = SIGNIN_COLUMNS[2] - 2 * SIGNIN_PAD
    rows = []
    for number, invitee in enumerate(invitees, start=1):
        name = _wrap(invitee.full_name, BOLD, SIGNIN_SIZE, name_width)
        details = []
        for part in (invitee.positions, invitee.unit):
            if part:
                details += _wrap(part, REGULAR, SIGNIN_SIZE - 1, details_width)
        lines = max(len(name), len(details), 1)
        height = max(SIGNIN_MIN_ROW, lines * SIGNIN_LEADING + 2 * SIGNIN_PAD)
        rows.append(_Row(str(number), name, details, height))
    return rows


def _signin_table_header(canvas: Canvas, y: float) -> float:
    height = 8 * mm
    headers = (_("STT"), _("Họ và tên"), _("Chức vụ/Đơn vị"), _("Ký tên"))
    canvas.setFillGray(0.92)
    canvas.rect(LEFT, y - height, CONTENT_WIDTH, height, stroke=0, fill=1)
    canvas.setFillColor(black)
    canvas.setFont(BOLD, SIGNIN_SIZE)
    x = LEFT
    for width, header in zip(SIGNIN_COLUMNS, headers, strict=True):
        canvas.drawCentredString(x + width / 2, y - height / 2 - 3.5, header)
        x += width
    _grid(canvas, y, height)
    return y - height


def _grid(canvas: Canvas, y: float, height: float) -> None:
    canvas.setLineWidth(0.5)
    canvas.rect(LEFT, y - height, CONTENT_WIDTH, height, stroke=1, fill=0)
    x = LEFT
    for width in SIGNIN_COLUMNS[:-1]:
        x += width
        canvas.line(x, y, x, y - height)


def _signin_first_page_top(canvas: Canvas | None, sheet: SigninSheet) -> float:
    """Draw (or, with no canvas, only measure) the first page's heading; return where the table starts."""
    if canvas is None:
        canvas = Canvas(io.BytesIO())  # a scratch canvas: same measurements, thrown away
    y = draw_letterhead(canvas, sheet.letterhead, PAGE_HEIGHT - TOP)
    y -= 10
    y = _centred_lines(canvas, _("DANH SÁCH KÝ TÊN ĐẠI BIỂU DỰ HỘI NGHỊ"), BOLD, 14, y)
    y = _centred_lines(canvas, sheet.conference_title, BOLD, 12, y)
    place = sheet.point_name + (f" — {sheet.point_address}" if sheet.point_address else "")
    y = _centred_lines(canvas, _("Điểm cầu: %(point)s") % {"point": place}, ITALIC, 11, y)
    y = _centred_lines(canvas, when_line(sheet.starts_at), ITALIC, 11, y)
    return y - 8


def _paginate(rows: list[_Row], first_top: float, other_top: float) -> list[list[_Row]]:
    header = 8 * mm
    pages: list[list[_Row]] = [[]]
    room = first_top - header - BOTTOM
    for row in rows:
        if row.height > room and pages[-1]:
            pages.append([])
            room = other_top - header - BOTTOM
        pages[-1].append(row)
        room -= row.height
    return pages


def signin_pdf(sheet: SigninSheet) -> bytes:
    """The sign-in sheet of one point: a heading, then every invitee in a row to sign, the
    header row repeated on every page and 'Trang x/y' at the foot."""
    register_fonts()
    rows = _signin_rows(sheet.invitees)
    pages = _paginate(rows, _signin_first_page_top(None, sheet), PAGE_HEIGHT - TOP)
    output = io.BytesIO()
    canvas = Canvas(output, pagesize=A4, pageCompression=1, initialFontName=REGULAR)
    canvas.setTitle(_("Danh sách ký tên — %(point)s") % {"point": sheet.point_name})
    canvas.setAuthor(sheet.letterhead.issuer)
    for number, page in enumerate(pages, start=1):
        top = _signin_first_page_top(canvas, sheet) if number == 1 else PAGE_HEIGHT - TOP
        y = _signin_table_header(canvas, top)
        for row in page:
            _grid(canvas, y, row.height)
            baseline = y - SIGNIN_PAD - SIGNIN_SIZE
            canvas.setFont(REGULAR, SIGNIN_SIZE)
            canvas.drawCentredString(LEFT + SIGNIN_COLUMNS[0] / 2, baseline, row.number)
            x = LEFT + SIGNIN_COLUMNS[0] + SIGNIN_PAD
            canvas.setFont(BOLD, SIGNIN_SIZE)
            for index, line in enumerate(row.name):
                canvas.drawString(x, baseline - index * SIGNIN_LEADING, line)
            x = LEFT + SIGNIN_COLUMNS[0] + SIGNIN_COLUMNS[1] + SIGNIN_PAD
            canvas.setFont(REGULAR, SIGNIN_SIZE - 1)
            for index, line in enumerate(row.details):
                canvas.drawString(x, baseline - index * SIGNIN_LEADING, line)
            y -= row.height
        if not page:
            canvas.setFont(ITALIC, 11)
            canvas.drawString(LEFT, y - 16, _("Điểm cầu chưa có người được mời."))
        _page_number(canvas, number, len(pages))
        canvas.showPage()
    canvas.save()
    return output.getvalue()
