"""A point's roster as .xlsx."""

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hoinghi.conferences.documents.layout import Invitee
from hoinghi.core.spreadsheets import xlsx_cell

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
