"""The Excel form of a data set for a subtree and a period: a row per unit that reports it, a
column per data element (one per option of a breakdown), filled offline and uploaded back.

The template is written with openpyxl through `core.spreadsheets.xlsx_cell` (a unit named
"=HYPERLINK(…)" stays text). An upload is opened by `orgs.importers.files.open_sheets`
(python-calamine, with the size and zip limits of every import); here the table is found in it
and its cells read by unit and column. Each heading ends with its column's label in brackets
("Thỏa ước đã ký – Loại A [agreements:A]"), so the columns may be moved or dropped; a heading
without brackets is matched by its title.
"""

import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hoinghi.core.spreadsheets import xlsx_cell
from hoinghi.orgs.importers.files import open_sheets
from hoinghi.orgs.vietnamese import fold
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.selectors import Key, Layout, key_parse

CODE_HEADING = "Mã đơn vị"
NAME_HEADING = "Tên đơn vị"
HEADER_ROWS = 10  # the header is looked for in the first rows (a title comes first)
_LABEL = re.compile(r"\[([^\[\]]+)\]\s*$")


def template_build(*, layout: Layout, title: str, units, values: dict[int, dict[Key, object]]) -> bytes:
    """The .xlsx to fill: a title row, the header, then a row per unit with its stored values."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Số liệu"))
    sheet.freeze_panes = "C3"
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 48
    for index in range(len(layout.columns)):
        sheet.column_dimensions[get_column_letter(index + 3)].width = 22
    heading = xlsx_cell(sheet, title)
    heading.font = Font(bold=True, size=13)
    sheet.append([heading])
    header = [CODE_HEADING, NAME_HEADING] + [f"{c.title} [{c.label}]" for c in layout.columns.values()]
    cells = []
    for text in header:
        cell = xlsx_cell(sheet, text)
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)
    for unit in units:
        stored = values.get(unit.pk, {})
        row = [xlsx_cell(sheet, unit.code), xlsx_cell(sheet, unit.name)]
        row += [stored.get(key) for key in layout.columns]
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@dataclass
class UploadTable:
    """The rows of an uploaded form: (the sheet's row number, unit code, {key: raw cell}), the
    column letter and heading of each key, and the errors of the file as a whole."""

    rows: list[tuple[int, str, dict[Key, object]]] = field(default_factory=list)
    columns: dict[Key, tuple[str, str]] = field(default_factory=dict)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_columns(cells: list, layout: Layout) -> tuple[int | None, dict[int, Key]]:
    """The index of the unit code column and {index: key} of the value columns of a header row."""
    by_title = {fold(column.title): key for key, column in layout.columns.items()}
    code_index, keys = None, {}
    for index, cell in enumerate(cells):
        text = _text(cell)
        if fold(text) in {fold(CODE_HEADING), "ma", "ma dv"}:
            code_index = index
            continue
        found = _LABEL.search(text)
        key = key_parse(found.group(1)) if found else by_title.get(fold(text))
        if key is not None and key in layout.columns:
            keys[index] = key
    return code_index, keys


def upload_read(*, layout: Layout, file_name: str, content: bytes) -> UploadTable:
    """The table of an uploaded form. Raises OrgsError for a file that cannot be opened and
    ResolutionsError(upload_bad_headers) when no sheet holds the unit code and a value column."""
    for sheet in open_sheets(file_name, content):
        for number, cells in sheet.rows[:HEADER_ROWS]:
            code_index, keys = _header_columns(cells, layout)
            if code_index is None or not keys:
                continue
            table = UploadTable(
                columns={
                    key: (get_column_letter(index + 1), _text(cells[index])) for index, key in keys.items()
                }
            )
            for row_number, row in sheet.rows:
                if row_number <= number:
                    continue
                code = _text(row[code_index]) if code_index < len(row) else ""
                raw = {key: row[index] if index < len(row) else None for index, key in keys.items()}
                if code or any(_text(value) for value in raw.values()):
                    table.rows.append((row_number, code, raw))
            return table
    raise ResolutionsError(
        _(
            "Không tìm thấy bảng số liệu trong tệp: cần cột “%(code)s” và ít nhất một cột chỉ số "
            "như trong tệp mẫu."
        ),
        code=ResolutionsErrorCode.UPLOAD_BAD_HEADERS,
        params={"code": CODE_HEADING},
    )
