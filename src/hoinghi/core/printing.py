"""What every print-out of hoinghi shares, whichever app prints it: the embedded fonts (Vietnamese
needs them), the A4 page, and the official letterhead of Decree 30/2020/NĐ-CP (the issuing body on
the left, the national motto on the right, then the place and date in italics).

Conferences, attendance and resolutions print with it, so it lives in core: an app below
conferences (resolutions needs only orgs and accounts) can print without importing conferences.
Fonts: Noto Serif in core/fonts (see fonts/VERSIONS.md).
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from reportlab import rl_config
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
