"""The data print-outs show, its formatting, and the official letterhead of an A4 page."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from hoinghi.conferences.documents._common import (
    BOLD,
    BOTTOM,
    CONTENT_WIDTH,
    ITALIC,
    LEFT,
    PAGE_WIDTH,
    REGULAR,
    WEEKDAYS,
)

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
