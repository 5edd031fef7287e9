"""What every print-out shares: the embedded fonts (Vietnamese needs them) and the A4 page."""

from functools import cache
from pathlib import Path

from django.utils.translation import gettext_noop
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parents[1] / "fonts"
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
