"""What every print-out of hoinghi shares, whichever app prints it: the embedded fonts (Vietnamese
needs them), the A4 page, and the official letterhead of Decree 30/2020/NĐ-CP (the issuing body on
the left, the national motto on the right, then the place and date in italics).

Conferences, attendance and resolutions print with it, so it lives in core: an app below
conferences (resolutions needs only orgs and accounts) can print without importing conferences.
Fonts: Noto Serif in core/fonts (see fonts/VERSIONS.md).
"""

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from reportlab import rl_config
from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD, ITALIC = "NotoSerif", "NotoSerif-Bold", "NotoSerif-Italic"
PAGE_WIDTH, PAGE_HEIGHT = A4
# Decree 30/2020: left margin 30-35 mm, right 15-20 mm, top and bottom 20-25 mm.
LEFT, RIGHT, TOP, BOTTOM = 25 * mm, 15 * mm, 18 * mm, 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - LEFT - RIGHT

WEEKDAYS = tuple(
    gettext_noop(day) for day in ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
)


@cache
def register_fonts() -> None:
    """Register Noto Serif once per process (reportlab keeps a global registry).

    Also turns off reportlab's ASCII85 wrapping of compressed streams (a 7-bit transport habit
    of the 1990s): it made files a quarter larger and cost a fifth of the time of a large print.
    """
    rl_config.useA85 = 0
    for name, file_name in (
        (REGULAR, "NotoSerif-Regular.ttf"),
        (BOLD, "NotoSerif-Bold.ttf"),
        (ITALIC, "NotoSerif-Italic.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file_name)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)


@dataclass(frozen=True)
class Letterhead:
    """The header of an official document: who issues it, where and when."""

    issuer: str  # the organising unit's name ("Tổng Liên đoàn Lao động Việt Nam")
    department: str  # under it, underlined: "Ban Tổ chức" or a point's name
    place: str  # "Hà Nội"; empty: the date line starts with "Ngày"
    day: date


def date_line(place: str, day: date) -> str:
    """'Hà Nội, ngày 06 tháng 12 năm 2018': days below 10 and months 1 and 2 take a leading zero
    (Decree 30/2020, appendix I)."""
    params = {
        "place": place,
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}" if day.month <= 2 else str(day.month),
        "year": day.year,
    }
    if place:
        return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % params
    return _("Ngày %(day)s tháng %(month)s năm %(year)s") % params


def fit(text: str, font: str, size: float, width: float, smallest: float = 8) -> float:
    """The largest font size up to `size` at which `text` fits `width` on one line."""
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    return simpleSplit(text, font, size, width) or [""]


# --- Letterhead ----------------------------------------------------------------------------------

LEFT_COLUMN = 75 * mm
RIGHT_COLUMN = CONTENT_WIDTH - LEFT_COLUMN


def underline(canvas: Canvas, centre: float, y: float, width: float) -> None:
    canvas.setLineWidth(0.6)
    canvas.line(centre - width / 2, y, centre + width / 2, y)


def draw_letterhead(canvas: Canvas, letterhead: Letterhead, top: float) -> float:
    """Draw the two-column header from `top` down; return the y below the date line."""
    left_centre = LEFT + LEFT_COLUMN / 2
    right_centre = LEFT + LEFT_COLUMN + RIGHT_COLUMN / 2

    y = top - 12
    issuer = letterhead.issuer.upper()
    size = fit(issuer, REGULAR, 11, LEFT_COLUMN - 4, smallest=9.5)
    lines = wrap(issuer, REGULAR, size, LEFT_COLUMN - 4)
    canvas.setFont(REGULAR, size)
    for line in lines:
        canvas.drawCentredString(left_centre, y, line)
        y -= size * 1.3
    department = letterhead.department.upper()
    size = fit(department, BOLD, 11, LEFT_COLUMN - 4, smallest=9.5)
    lines = wrap(department, BOLD, size, LEFT_COLUMN - 4)
    canvas.setFont(BOLD, size)
    for line in lines:
        canvas.drawCentredString(left_centre, y, line)
        y -= size * 1.3
    widest = max(pdfmetrics.stringWidth(line, BOLD, size) for line in lines)
    underline(canvas, left_centre, y + size * 0.9, min(widest, 40 * mm))
    left_bottom = y

    y = top - 12
    motto = _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    size = fit(motto, BOLD, 12, RIGHT_COLUMN - 2)
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(right_centre, y, motto)
    y -= size * 1.35
    slogan = _("Độc lập - Tự do - Hạnh phúc")
    canvas.setFont(BOLD, 12.5)
    canvas.drawCentredString(right_centre, y, slogan)
    underline(canvas, right_centre, y - 3, pdfmetrics.stringWidth(slogan, BOLD, 12.5))
    y -= 12.5 * 1.3 + 10
    canvas.setFont(ITALIC, 12)
    canvas.drawCentredString(right_centre, y, date_line(letterhead.place, letterhead.day))
    y -= 12 * 1.3
    return min(y, left_bottom) - 8


# --- Tables that run over pages -------------------------------------------------------------------
# Lists of thousands of rows (absentees, those who have not written their report) are measured
# once and drawn on the canvas directly: platypus' `Table` splits them in quadratic time.

TABLE_SIZE = 8.5  # table text
TABLE_LEADING = 10.5
TABLE_PAD = 3
TITLE_HEIGHT = 22


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    align: str = "left"  # left | right | centre


@dataclass
class Line:
    """One thing on a page, measured: a section title, a note, a table's header row, a row, a gap."""

    kind: str  # "title" | "note" | "header" | "row" | "gap"
    height: float
    cells: Sequence[Sequence[str]] = ()
    columns: Sequence[Column] = ()
    is_total: bool = False


@lru_cache(maxsize=8192)  # units and points repeat down a list of thousands of people
def _split(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    register_fonts()  # rows are measured before the document is drawn
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return (text,)
    lines = []
    for line in simpleSplit(text, font, size, width) or [""]:
        # A word wider than the column (an e-mail address) is cut where it reaches the edge.
        while pdfmetrics.stringWidth(line, font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and pdfmetrics.stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return tuple(lines)


def table_columns(widths_mm: Sequence[float], titles: Sequence[str], aligns: str) -> list[Column]:
    """`aligns`: one letter a column, l / r / c. The last column takes what is left of the width."""
    widths = [w * mm for w in widths_mm]
    widths[-1] = CONTENT_WIDTH - sum(widths[:-1])
    names = {"l": "left", "r": "right", "c": "centre"}
    return [Column(t, w, names[a]) for t, w, a in zip(titles, widths, aligns, strict=True)]


def table_row(columns: Sequence[Column], values: Sequence, *, is_total: bool = False, font=REGULAR) -> Line:
    cells = [
        _split(
            str(value) if value is not None else "",
            BOLD if is_total else font,
            TABLE_SIZE,
            column.width - 2 * TABLE_PAD,
        )
        for column, value in zip(columns, values, strict=True)
    ]
    height = max(len(lines) for lines in cells) * TABLE_LEADING + 2 * TABLE_PAD
    return Line("row", height, cells, columns, is_total)


def table_header(columns: Sequence[Column]) -> Line:
    cells = [_split(column.title, BOLD, TABLE_SIZE, column.width - 2 * TABLE_PAD) for column in columns]
    height = max(len(lines) for lines in cells) * TABLE_LEADING + 2 * TABLE_PAD
    return Line("header", height, cells, columns)


def paginate(
    tables: Iterable[tuple[str, Sequence[Column], Sequence[Line]]], first_top: float
) -> list[list[Line]]:
    """Pages of lines from (title, columns, rows) tables, the first page starting at `first_top`:
    a table's header is repeated at the top of every page it continues on, and a section title is
    never left alone at the foot of a page."""
    pages: list[list[Line]] = [[]]
    room = first_top - BOTTOM
    for title, columns, rows in tables:
        header = table_header(columns)
        first = rows[0].height if rows else 0
        if room < TITLE_HEIGHT + header.height + first and pages[-1]:
            pages.append([])
            room = PAGE_HEIGHT - TOP - BOTTOM
        pages[-1] += [Line("title", TITLE_HEIGHT, [[title]]), header]
        room -= TITLE_HEIGHT + header.height
        if not rows:
            pages[-1].append(Line("note", 16, [[_("Không có.")]]))
            room -= 16
        for row in rows:
            if row.height > room:
                pages.append([header])
                room = PAGE_HEIGHT - TOP - BOTTOM - header.height
            pages[-1].append(row)
            room -= row.height
        room -= 6
        pages[-1].append(Line("gap", 6))
    return pages


def draw_line(canvas: Canvas, line: Line, y: float) -> None:
    """Draw one measured line with its top at `y`."""
    if line.kind == "title":
        canvas.setFont(BOLD, 11.5)
        canvas.drawString(LEFT, y - 15, line.cells[0][0])
        return
    if line.kind == "note":
        canvas.setFont(ITALIC, 10)
        canvas.drawString(LEFT + TABLE_PAD, y - 12, line.cells[0][0])
        return
    if line.kind == "gap":
        return
    is_header = line.kind == "header"
    if is_header or line.is_total:
        canvas.setFillGray(0.92 if is_header else 0.96)
        canvas.rect(LEFT, y - line.height, CONTENT_WIDTH, line.height, stroke=0, fill=1)
        canvas.setFillColor(black)
    canvas.setLineWidth(0.5)
    canvas.rect(LEFT, y - line.height, CONTENT_WIDTH, line.height, stroke=1, fill=0)
    canvas.setFont(BOLD if is_header or line.is_total else REGULAR, TABLE_SIZE)
    x = LEFT
    for index, (column, lines) in enumerate(zip(line.columns, line.cells, strict=True)):
        if index:
            canvas.line(x, y, x, y - line.height)
        baseline = y - TABLE_PAD - TABLE_SIZE + 0.5
        for text in lines:
            if is_header or column.align == "centre":
                canvas.drawCentredString(x + column.width / 2, baseline, text)
            elif column.align == "right":
                canvas.drawRightString(x + column.width - TABLE_PAD, baseline, text)
            else:
                canvas.drawString(x + TABLE_PAD, baseline, text)
            baseline -= TABLE_LEADING
        x += column.width


def centred(canvas: Canvas, text: str, font: str, size: float, y: float) -> float:
    """Draw `text` centred on the page, wrapped, from `y` down; return the y below it."""
    canvas.setFont(font, size)
    for line in simpleSplit(text, font, size, CONTENT_WIDTH) or [""]:
        canvas.drawCentredString(PAGE_WIDTH / 2, y, line)
        y -= size * 1.3
    return y


def tables_pdf(
    *,
    heading: Callable[[Canvas], float],
    tables: Sequence[tuple[str, Sequence[Column], Sequence[Line]]],
    title: str,
    author: str,
) -> bytes:
    """An A4 document: `heading` drawn on the first page (it returns the y below it; the
    letterhead, titles and totals), then the tables over as many pages as they take, with
    'Trang x/y' at the foot of each."""
    register_fonts()
    scratch = Canvas(io.BytesIO())  # measure the heading once, to know where the tables start
    pages = paginate(tables, heading(scratch))
    output = io.BytesIO()
    canvas = Canvas(output, pagesize=A4, pageCompression=1, initialFontName=REGULAR)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    for number, page in enumerate(pages, start=1):
        y = heading(canvas) if number == 1 else PAGE_HEIGHT - TOP
        for line in page:
            draw_line(canvas, line, y)
            y -= line.height
        canvas.setFont(REGULAR, 9)
        canvas.drawCentredString(
            PAGE_WIDTH / 2,
            BOTTOM - 8 * mm,
            _("Trang %(page)s/%(pages)s") % {"page": number, "pages": len(pages)},
        )
        canvas.showPage()
    canvas.save()
    return output.getvalue()
