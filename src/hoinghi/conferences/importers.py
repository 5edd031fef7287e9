"""The .xlsx of bridge point operators: who will operate each point (code, full name, phone,
e-mail), read before their accounts are made, and the template to fill in.

A few hundred rows at most (one a point), so it is read in the request, not as an import job.
Nothing here writes: the view shows what was read on the confirmation page, and the accounts are
made by `services.point_operators_create`.
"""

import io
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from hoinghi.core.spreadsheets import xlsx_cell
from hoinghi.orgs.vietnamese import fold

# (key, header): the order of the template; a file may put them in any order.
OPERATOR_COLUMNS = (
    ("code", gettext_lazy("Mã điểm cầu")),
    ("point", gettext_lazy("Tên điểm cầu")),  # for the reader of the file; not read back
    ("full_name", gettext_lazy("Họ và tên")),
    ("phone", gettext_lazy("Điện thoại")),
    ("email", gettext_lazy("Thư điện tử")),
)
_HEADERS = {
    "code": {"ma diem cau", "ma", "code", "point code"},
    "full_name": {"ho va ten", "ho ten", "full name", "name"},
    "phone": {"dien thoai", "so dien thoai", "phone"},
    "email": {"thu dien tu", "email", "e-mail"},
}
MAX_ROWS = 5_000
HEADER_ROWS = 10  # the header is looked for in the first rows (a title may come first)


@dataclass
class OperatorFile:
    """What a file said: (full name, phone, e-mail) by point id, the rows naming a point that
    has an operator already (left alone), and every error as (row, message)."""

    details: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    staffed: list[str] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _phone(value) -> str:
    text = _text(value)
    # Excel keeps a phone typed as a number without its leading zero: 912345678 was 0912345678.
    if isinstance(value, int | float) and len(text) == 9:
        text = "0" + text
    return text


def operator_details_read(content: bytes, *, codes: dict[str, int], staffed: set[int]) -> OperatorFile:
    """Read the file against the codes of the points the actor may staff (`codes`: code → point
    id, the points without an operator and those in `staffed`, which have one)."""
    result = OperatorFile()
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + HEADER_ROWS + 1))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        result.errors.append((None, _("Không đọc được tệp: hãy dùng tệp .xlsx (Excel) theo mẫu.")))
        return result
    columns, start = {}, 0
    for index, row in enumerate(rows[:HEADER_ROWS]):
        found = {
            key: position
            for position, cell in enumerate(row)
            for key, names in _HEADERS.items()
            if fold(_text(cell)) in names
        }
        if "code" in found:
            columns, start = found, index + 1
            break
    if not columns:
        result.errors.append((None, _("Không thấy cột “Mã điểm cầu”: hãy dùng tệp mẫu.")))
        return result
    if len(rows) > MAX_ROWS + start:
        result.errors.append((None, _("Tệp có quá %(count)s dòng.") % {"count": MAX_ROWS}))
        return result
    by_code = {fold(code): pk for code, pk in codes.items()}
    seen: dict[int, int] = {}
    for number, row in enumerate(rows[start:], start=start + 1):

        def cell(key, row=row):
            position = columns.get(key)
            return row[position] if position is not None and position < len(row) else None

        code = _text(cell("code"))
        full_name, phone, email = _text(cell("full_name")), _phone(cell("phone")), _text(cell("email"))
        if not (code or full_name or phone or email):
            continue
        point_id = by_code.get(fold(code))
        if point_id is None:
            result.errors.append(
                (number, _("Không có điểm cầu mã “%(code)s” trong phạm vi của đồng chí.") % {"code": code})
            )
            continue
        if point_id in seen:
            result.errors.append(
                (number, _("Mã “%(code)s” đã có ở dòng %(row)s.") % {"code": code, "row": seen[point_id]})
            )
            continue
        seen[point_id] = number
        if email:
            try:
                validate_email(email)
            except ValidationError:
                result.errors.append((number, _("Thư điện tử “%(email)s” không hợp lệ.") % {"email": email}))
                continue
        if len(full_name) > 200 or len(phone) > 30:
            result.errors.append((number, _("Họ và tên hoặc điện thoại quá dài.")))
            continue
        if point_id in staffed:
            result.staffed.append(code)
            continue
        result.details[point_id] = (full_name, phone, email)
    return result


def operator_template_xlsx(points, codes: dict[int, str]) -> bytes:
    """The file to fill in: one row per point without an operator, its code and name filled."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Người vận hành")))
    sheet.append([xlsx_cell(sheet, str(header)) for _key, header in OPERATOR_COLUMNS])
    for point in points:
        sheet.append([xlsx_cell(sheet, codes[point.pk]), xlsx_cell(sheet, point.name), None, None, None])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
