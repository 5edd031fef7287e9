"""Print-outs and spreadsheets of a conference: pure functions from data to bytes.

Nothing here reads the database: the views gather the rows through the selectors (already
scoped to the actor) and pass plain dataclasses in. That keeps the layout testable without
fixtures and lets the benchmarks time the drawing alone.

PDFs are A4 and embed Noto Serif (core/fonts, see its VERSIONS.md; `core.printing`) so that Vietnamese
prints the same on any machine. The header follows the layout of an official document
(Decree 30/2020/NĐ-CP): the issuing body on the left, the national motto on the right, then the
place and date in italics.

The sign-in sheet and the invitations are drawn on the canvas directly rather than with
platypus: a `Table` of 1,700 rows splits page by page in quadratic time (seconds per hundred
rows), while measuring the rows once and drawing them costs a few milliseconds a page."""

from hoinghi.conferences.documents.invitations import (  # noqa: F401
    INVITATIONS_PER_PART,  # noqa: F401
    draw_qr,
    invitations_pdf,
)
from hoinghi.conferences.documents.layout import (  # noqa: F401
    LEFT_COLUMN,
    RIGHT_COLUMN,
    InvitationLetter,
    Invitee,
    Letterhead,
    ProgrammeEntry,
    ProgrammeSheet,
    SigninSheet,
    date_line,
    draw_letterhead,
    when_line,
)
from hoinghi.conferences.documents.operators import (  # noqa: F401
    OPERATOR_BLOCKS_PER_PAGE,
    OperatorCredential,
    OperatorSheet,
    operator_sheet_pdf,
)
from hoinghi.conferences.documents.programme import (  # noqa: F401
    programme_pdf,
)
from hoinghi.conferences.documents.qr import (  # noqa: F401
    qr_svg,
)
from hoinghi.conferences.documents.signin import (  # noqa: F401
    SIGNIN_COLUMNS,
    SIGNIN_LEADING,
    SIGNIN_MIN_ROW,
    SIGNIN_PAD,
    SIGNIN_SIZE,
    signin_pdf,
)
from hoinghi.conferences.documents.spreadsheet import (  # noqa: F401
    ROSTER_COLUMNS,
    roster_xlsx,
)
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
