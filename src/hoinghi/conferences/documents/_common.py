"""What every print-out of a conference shares: core's fonts, page and letterhead (core.printing),
and how the invitations are cut into parts."""

from hoinghi.core.printing import (  # noqa: F401
    BOLD,
    BOTTOM,
    CONTENT_WIDTH,
    FONT_DIR,
    ITALIC,
    LEFT,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    REGULAR,
    RIGHT,
    TOP,
    WEEKDAYS,
    register_fonts,
)

# The invitations PDF is printed in parts: one click, one part.
INVITATIONS_PER_PART = 500
