"""The data print-outs show, its formatting, and the official letterhead of an A4 page."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from hoinghi.core.printing import (  # noqa: F401
    BOTTOM,
    CONTENT_WIDTH,
    LEFT_COLUMN,
    PAGE_WIDTH,
    REGULAR,
    RIGHT_COLUMN,
    WEEKDAYS,
    Letterhead,
    date_line,
    draw_letterhead,
)
from hoinghi.core.printing import wrap as _wrap

# --- Data ----------------------------------------------------------------------------------------


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


def when_line(moment: datetime) -> str:
    """'08 giờ 00, Thứ Năm, ngày 06/12/2018' (the moment in local time)."""
    return _("%(hour)s giờ %(minute)s, %(weekday)s, ngày %(date)s") % {
        "hour": f"{moment.hour:02d}",
        "minute": f"{moment.minute:02d}",
        "weekday": _(WEEKDAYS[moment.weekday()]),
        "date": moment.strftime("%d/%m/%Y"),
    }


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
