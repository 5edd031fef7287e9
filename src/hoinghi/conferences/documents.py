"""Print-outs and spreadsheets of a conference: pure functions from data to bytes.

Nothing here reads the database: the views gather the rows through the selectors (already
scoped to the actor) and pass plain dataclasses in. That keeps the layout testable without
fixtures and lets the benchmarks time the drawing alone.

PDFs are A4 and embed Noto Serif (shipped in fonts/, see fonts/VERSIONS.md) so that Vietnamese
prints the same on any machine. The header follows the layout of an official document
(Decree 30/2020/NĐ-CP): the issuing body on the left, the national motto on the right, then the
place and date in italics.

The sign-in sheet and the invitations are drawn on the canvas directly rather than with
platypus: a `Table` of 1,700 rows splits page by page in quadratic time (seconds per hundred
rows), while measuring the rows once and drawing them costs a few milliseconds a page.
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path

import segno
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab import rl_config
from reportlab.lib.colors import black
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hoinghi.core.spreadsheets import xlsx_cell

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD, ITALIC = "NotoSerif", "NotoSerif-Bold", "NotoSerif-Italic"
PAGE_WIDTH, PAGE_HEIGHT = A4
# Decree 30/2020: left margin 30-35 mm, right 15-20 mm, top and bottom 20-25 mm.
LEFT, RIGHT, TOP, BOTTOM = 25 * mm, 15 * mm, 18 * mm, 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
# The invitations PDF is printed in parts: one click, one part.
INVITATIONS_PER_PART = 500

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


# --- Data ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    """The header of an official document: who issues it, where and when."""

    issuer: str  # the organising unit's name ("Tổng Liên đoàn Lao động Việt Nam")
    department: str  # under it, underlined: "Ban Tổ chức" or a point's name
    place: str  # "Hà Nội"; empty: the date line starts with "Ngày"
    day: date


@dataclass(frozen=True)
class ProgrammeEntry:
    order: int
    title: str
    kind: str
    starts: datetime | None
    ends: datetime | None
    presenters: Sequence[tuple[str, str]] = ()  # (name, title)


@dataclass(frozen=True)
class ProgrammeSheet:
    letterhead: Letterhead
    title: str
    subject: str
    starts_at: datetime
    place: str  # the host point: its name and address
    items: Sequence[ProgrammeEntry]


@dataclass(frozen=True)
class Invitee:
    """One row of a roster: what the print-outs and the spreadsheet show of an invitee."""

    code: str
    full_name: str
    positions: str
    unit: str
    phone: str = ""
    email: str = ""
    categories: str = ""
    link: str = ""  # the personal page (its QR code is what check-in scans)


@dataclass(frozen=True)
class SigninSheet:
    letterhead: Letterhead
    conference_title: str
    point_name: str
    point_address: str
    starts_at: datetime
    invitees: Sequence[Invitee]


@dataclass(frozen=True)
class InvitationLetter:
    letterhead: Letterhead
    conference_title: str
    subject: str
    starts_at: datetime
    point_name: str
    point_address: str
    invitees: Sequence[Invitee]
    signer: str = field(default="")  # e.g. "TM. BAN TỔ CHỨC"


# --- Formatting ----------------------------------------------------------------------------------


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


def when_line(moment: datetime) -> str:
    """'08 giờ 00, Thứ Năm, ngày 06/12/2018' (the moment in local time)."""
    return _("%(hour)s giờ %(minute)s, %(weekday)s, ngày %(date)s") % {
        "hour": f"{moment.hour:02d}",
        "minute": f"{moment.minute:02d}",
        "weekday": _(WEEKDAYS[moment.weekday()]),
        "date": moment.strftime("%d/%m/%Y"),
    }


def _fit(text: str, font: str, size: float, width: float, smallest: float = 8) -> float:
    """The largest font size up to `size` at which `text` fits `width` on one line."""
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    return simpleSplit(text, font, size, width) or [""]


# --- Letterhead ----------------------------------------------------------------------------------

LEFT_COLUMN = 75 * mm
RIGHT_COLUMN = CONTENT_WIDTH - LEFT_COLUMN


def _underline(canvas: Canvas, centre: float, y: float, width: float) -> None:
    canvas.setLineWidth(0.6)
    canvas.line(centre - width / 2, y, centre + width / 2, y)


def draw_letterhead(canvas: Canvas, letterhead: Letterhead, top: float) -> float:
    """Draw the two-column header from `top` down; return the y below the date line."""
    left_centre = LEFT + LEFT_COLUMN / 2
    right_centre = LEFT + LEFT_COLUMN + RIGHT_COLUMN / 2

    y = top - 12
    issuer = letterhead.issuer.upper()
    size = _fit(issuer, REGULAR, 11, LEFT_COLUMN - 4, smallest=9.5)
    lines = _wrap(issuer, REGULAR, size, LEFT_COLUMN - 4)
    canvas.setFont(REGULAR, size)
    for line in lines:
        canvas.drawCentredString(left_centre, y, line)
        y -= size * 1.3
    department = letterhead.department.upper()
    size = _fit(department, BOLD, 11, LEFT_COLUMN - 4, smallest=9.5)
    lines = _wrap(department, BOLD, size, LEFT_COLUMN - 4)
    canvas.setFont(BOLD, size)
    for line in lines:
        canvas.drawCentredString(left_centre, y, line)
        y -= size * 1.3
    widest = max(pdfmetrics.stringWidth(line, BOLD, size) for line in lines)
    _underline(canvas, left_centre, y + size * 0.9, min(widest, 40 * mm))
    left_bottom = y

    y = top - 12
    motto = _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    size = _fit(motto, BOLD, 12, RIGHT_COLUMN - 2)
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(right_centre, y, motto)
    y -= size * 1.35
    slogan = _("Độc lập - Tự do - Hạnh phúc")
    canvas.setFont(BOLD, 12.5)
    canvas.drawCentredString(right_centre, y, slogan)
    _underline(canvas, right_centre, y - 3, pdfmetrics.stringWidth(slogan, BOLD, 12.5))
    y -= 12.5 * 1.3 + 10
    canvas.setFont(ITALIC, 12)
    canvas.drawCentredString(right_centre, y, date_line(letterhead.place, letterhead.day))
    y -= 12 * 1.3
    return min(y, left_bottom) - 8


def _page_number(canvas: Canvas, number: int, total: int) -> None:
    canvas.setFont(REGULAR, 9)
    canvas.drawCentredString(
        PAGE_WIDTH / 2,
        BOTTOM - 8 * mm,
        _("Trang %(page)s/%(pages)s")
        % {
            "page": number,
            "pages": total,
        },
    )


def _centred_lines(
    canvas: Canvas, text: str, font: str, size: float, y: float, leading: float = 1.3
) -> float:
    canvas.setFont(font, size)
    for line in _wrap(text, font, size, CONTENT_WIDTH):
        canvas.drawCentredString(PAGE_WIDTH / 2, y, line)
        y -= size * leading
    return y


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


# --- Invitations ---------------------------------------------------------------------------------


def draw_qr(canvas: Canvas, content: str, x: float, y: float, size: float) -> None:
    """The QR code of `content` as vector squares, `size` points wide (quiet zone included),
    lower-left corner at (x, y).

    The modules are drawn in a coordinate system of one unit per module, each run of dark
    modules on a row as one rectangle, written as literal path operators: going through
    `path.rect` formats every float in Python and made this half the cost of a 500-page print.
    """
    qr = segno.make(content, error="m", micro=False)
    border = 4
    matrix = qr.matrix
    module = size / (len(matrix) + 2 * border)
    operators = []
    for row_index, row in enumerate(matrix):
        column, width = 0, len(row)
        while column < width:
            if row[column]:
                start = column
                while column < width and row[column]:
                    column += 1
                operators.append(f"{start + border} {row_index + border} {column - start} 1 re")
            else:
                column += 1
    canvas.saveState()
    canvas.setFillColor(black)
    # Origin at the top-left corner, y growing downwards, one unit per module.
    canvas.transform(module, 0, 0, -module, x, y + size)
    canvas.addLiteral("\n".join(operators) + "\nf")
    canvas.restoreState()


def _labelled(canvas: Canvas, label: str, value: str, y: float, *, bold_value: bool = False) -> float:
    size = 12.5
    canvas.setFont(REGULAR, size)
    canvas.drawString(LEFT, y, label)
    indent = LEFT + 30 * mm
    font = BOLD if bold_value else REGULAR
    canvas.setFont(font, size)
    for line in _wrap(value, font, size, CONTENT_WIDTH - 30 * mm):
        canvas.drawString(indent, y, line)
        y -= size * 1.45
    return y - 2


def invitations_pdf(letter: InvitationLetter) -> bytes:
    """One A4 invitation per invitee, each with the QR code of their personal link."""
    register_fonts()
    output = io.BytesIO()
    canvas = Canvas(output, pagesize=A4, pageCompression=1, initialFontName=REGULAR)
    canvas.setTitle(_("Giấy mời — %(point)s") % {"point": letter.point_name})
    canvas.setAuthor(letter.letterhead.issuer)
    place = letter.point_name + (f" — {letter.point_address}" if letter.point_address else "")
    when = when_line(letter.starts_at)
    for invitee in letter.invitees:
        y = draw_letterhead(canvas, letter.letterhead, PAGE_HEIGHT - TOP) - 22
        y = _centred_lines(canvas, _("GIẤY MỜI"), BOLD, 20, y) - 4
        y = _centred_lines(canvas, letter.conference_title, BOLD, 13, y) - 14
        canvas.setFont(REGULAR, 12.5)
        canvas.drawString(LEFT, y, _("Ban Tổ chức trân trọng kính mời:"))
        y -= 24
        y = _labelled(canvas, _("Đồng chí:"), invitee.full_name, y, bold_value=True)
        if invitee.positions:
            y = _labelled(canvas, _("Chức vụ:"), invitee.positions, y)
        if invitee.unit:
            y = _labelled(canvas, _("Đơn vị:"), invitee.unit, y)
        y -= 6
        y = _labelled(canvas, _("Tới dự:"), letter.conference_title, y)
        if letter.subject:
            y = _labelled(canvas, _("Nội dung:"), letter.subject, y)
        y = _labelled(canvas, _("Thời gian:"), when, y, bold_value=True)
        y = _labelled(canvas, _("Địa điểm:"), place, y, bold_value=True)
        y -= 10
        canvas.setFont(ITALIC, 11.5)
        canvas.drawString(LEFT, y, _("Đề nghị đồng chí có mặt trước giờ khai mạc 30 phút để làm thủ tục."))

        # The QR code and its note at the foot of the page; the signature block beside it.
        qr_size = 42 * mm
        qr_y = BOTTOM + 12 * mm
        if invitee.link:
            draw_qr(canvas, invitee.link, LEFT, qr_y, qr_size)
            canvas.setFont(REGULAR, 9.5)
            note_x = LEFT + qr_size + 4 * mm
            note_width = 70 * mm
            note_y = qr_y + qr_size - 14
            note = _(
                "Mã QR của đồng chí: xuất trình khi đến điểm cầu để điểm danh. Quét mã để xem "
                "chương trình và tài liệu hội nghị."
            )
            for line in _wrap(note, REGULAR, 9.5, note_width):
                canvas.drawString(note_x, note_y, line)
                note_y -= 12.5
            canvas.setFont(REGULAR, 7)
            for line in _wrap(invitee.link, REGULAR, 7, note_width):
                canvas.drawString(note_x, note_y - 2, line)
                note_y -= 9
        signer_centre = LEFT + CONTENT_WIDTH - 30 * mm
        canvas.setFont(BOLD, 12.5)
        canvas.drawCentredString(signer_centre, qr_y + qr_size + 4, letter.signer or _("TM. BAN TỔ CHỨC"))
        canvas.showPage()
    if not letter.invitees:
        register_fonts()
        canvas.setFont(ITALIC, 12)
        canvas.drawString(LEFT, PAGE_HEIGHT - TOP - 20, _("Không có giấy mời nào trong phần này."))
        canvas.showPage()
    canvas.save()
    return output.getvalue()


# --- Programme -----------------------------------------------------------------------------------


def _time_range(entry: ProgrammeEntry) -> str:
    if entry.starts and entry.ends:
        return f"{entry.starts:%H:%M} – {entry.ends:%H:%M}"
    if entry.starts:
        return f"{entry.starts:%H:%M}"
    return ""


def programme_pdf(sheet: ProgrammeSheet) -> bytes:
    """The printable programme: heading, date and place, then the items with their times and
    presenters."""
    register_fonts()
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=_("Chương trình — %(title)s") % {"title": sheet.title},
        author=sheet.letterhead.issuer,
    )
    title_style = ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=20, alignment=TA_CENTER)
    centred = ParagraphStyle("centred", fontName=REGULAR, fontSize=12, leading=16, alignment=TA_CENTER)
    italic = ParagraphStyle("italic", parent=centred, fontName=ITALIC)
    cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=11, leading=14.5)
    cell_bold = ParagraphStyle("cell_bold", parent=cell, fontName=BOLD)
    header = ParagraphStyle("header", parent=cell_bold, alignment=TA_CENTER)

    def escape(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def first_page(canvas: Canvas, doc) -> None:
        canvas.saveState()
        draw_letterhead(canvas, sheet.letterhead, PAGE_HEIGHT - TOP)
        canvas.restoreState()

    rows = [
        [
            Paragraph(_("Thời gian"), header),
            Paragraph(_("Nội dung"), header),
            Paragraph(_("Trình bày"), header),
        ]
    ]
    for entry in sheet.items:
        presenters = [
            f"<b>{escape(name)}</b>" + (f"<br/><i>{escape(title)}</i>" if title else "")
            for name, title in entry.presenters
        ]
        rows.append(
            [
                Paragraph(_time_range(entry), cell),
                Paragraph(
                    f"{entry.order}. {escape(entry.title)}", cell_bold if entry.kind == "topic" else cell
                ),
                Paragraph("<br/>".join(presenters), cell),
            ]
        )
    table = Table(rows, colWidths=(28 * mm, CONTENT_WIDTH - 28 * mm - 55 * mm, 55 * mm), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, black),
                ("BACKGROUND", (0, 0), (-1, 0), "#EBEBEB"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    place = sheet.place
    story = [
        Spacer(1, 42 * mm),
        Paragraph(_("CHƯƠNG TRÌNH"), title_style),
        Paragraph(escape(sheet.title), ParagraphStyle("sub", parent=title_style, fontSize=13, leading=18)),
    ]
    if sheet.subject:
        story.append(Paragraph(escape(sheet.subject), italic))
    story += [
        Spacer(1, 4 * mm),
        Paragraph(_("Thời gian: %(when)s") % {"when": escape(when_line(sheet.starts_at))}, centred),
    ]
    if place:
        story.append(Paragraph(_("Địa điểm: %(place)s") % {"place": escape(place)}, centred))
    story += [Spacer(1, 6 * mm), table]
    if not sheet.items:
        story.append(Paragraph(_("Chương trình chưa có nội dung."), italic))
    document.build(story, onFirstPage=first_page)
    return output.getvalue()


# --- Roster spreadsheet --------------------------------------------------------------------------

ROSTER_COLUMNS = (
    (gettext_noop("STT"), 6),
    (gettext_noop("Mã cán bộ"), 14),
    (gettext_noop("Họ và tên"), 28),
    (gettext_noop("Chức vụ"), 36),
    (gettext_noop("Đơn vị"), 46),
    (gettext_noop("Điện thoại"), 14),
    (gettext_noop("Thư điện tử"), 30),
    (gettext_noop("Nhóm đối tượng"), 34),
)


def roster_xlsx(invitees: Iterable[Invitee], *, title: str, sheet_name: str) -> bytes:
    """The roster of a point as .xlsx (write-only workbook): a title line, a bold header row
    frozen under it, one row per invitee in the order given."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_name[:31] or "Danh sach")
    for index, (_header, width) in enumerate(ROSTER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    heading = WriteOnlyCell(sheet, value=title)
    heading.font = Font(bold=True, size=13)
    sheet.append([heading])
    header_cells = []
    for header, _width in ROSTER_COLUMNS:
        cell = WriteOnlyCell(sheet, value=_(header))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF7")
        cell.alignment = Alignment(vertical="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    for number, invitee in enumerate(invitees, start=1):
        values = (
            number,
            invitee.code,
            invitee.full_name,
            invitee.positions,
            invitee.unit,
            invitee.phone,
            invitee.email,
            invitee.categories,
        )
        sheet.append([xlsx_cell(sheet, value) for value in values])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- QR code of the personal page ----------------------------------------------------------------


def qr_svg(content: str, *, scale: int = 8) -> bytes:
    """The QR code as a standalone SVG (error correction M, 4-module quiet zone)."""
    output = io.BytesIO()
    segno.make(content, error="m", micro=False).save(
        output, kind="svg", scale=scale, border=4, xmldecl=True, svgns=True, title=None
    )
    return output.getvalue()
