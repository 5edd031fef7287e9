"""Export units and people as .xlsx or .csv, in exactly the columns the importers read.

An export of a subtree imports back unchanged (a round trip), so an office can take the
list to Excel, edit it and bring it back. Rows are read with `.iterator()` and written as
they come: openpyxl's write-only workbook for .xlsx, a streamed response body for .csv.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache

from django.db.models import Q, QuerySet, TextChoices
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from hoinghi.core.permissions import reach
from hoinghi.core.spreadsheets import csv_text, xlsx_cell
from hoinghi.orgs import selectors
from hoinghi.orgs.importers import ROLE_SEPARATOR, ROLE_UNIT_SEPARATOR, Column, columns_for
from hoinghi.orgs.models import Gender, ImportKind, Position, PositionRole, Province, Sector, Unit, UnitKind

CSV_BOM = "\ufeff"  # so that Excel opens the file as UTF-8
DATE_FORMAT = "%d/%m/%Y"
EXCEL_DATE_FORMAT = "DD/MM/YYYY"
PEOPLE_CHUNK = 2000
XLSX_SPOOL_BYTES = 16 * 1024 * 1024
FORMATS = ("xlsx", "csv")
FILE_STEMS = {ImportKind.UNITS: "don-vi", ImportKind.PEOPLE: "can-bo"}
# Widths in characters, by column key; the rest get 14.
WIDTHS = {
    "name": 46,
    "code": 16,
    "parent": 18,
    "roles": 30,
    "email": 28,
    "kind": 18,
    "sector": 22,
    "short_name": 18,
}


@cache
def _vietnamese_labels(choices: type[TextChoices]) -> dict[str, str]:
    """The Vietnamese labels of a choices class: the file format does not follow the page's language."""
    with translation.override("vi"):
        return {value: str(label) for value, label in choices.choices}


def _units(*, actor, unit: Unit | None) -> QuerySet[Unit]:
    units = selectors.unit_list(actor=actor, action="orgs.export")
    return units.filter(path__under=unit.path) if unit is not None else units


def unit_rows(*, actor, unit: Unit | None = None) -> Iterator[list]:
    """The units the actor may export (of `unit`'s subtree if given), higher levels first."""
    rows = _units(actor=actor, unit=unit).values_list(
        "code",
        "name",
        "short_name",
        "parent__code",
        "kind__code",
        "sector",
        "member_count",
        "worker_count",
        "province__code",
    )
    for code, name, short_name, parent, kind, sector, members, workers, province in rows.iterator(
        chunk_size=2000
    ):
        yield [
            code,
            name,
            short_name,
            parent or "",
            kind,
            _vietnamese_labels(Sector).get(sector, ""),
            members,
            workers,
            province or "",
        ]


def _position_scope(*, actor, unit: Unit | None) -> Q | None:
    """Which positions go with the people: those in units the export covers (None: all)."""
    if unit is not None:
        return Q(unit__path__under=unit.path)
    where = reach(actor, "orgs.export")
    return None if where.everything else where.q(Position)


def people_rows(*, actor, unit: Unit | None = None) -> Iterator[list]:
    """The people the actor may export (of `unit`'s subtree if given), in Vietnamese name order.

    Positions come in one query per 2,000 people. A position in the person's own unit is
    written as its role code; one in another unit as "role@unit-code".
    """
    people = selectors.person_list(actor=actor, action="orgs.export", unit=unit).values_list(
        "pk",
        "code",
        "family_name",
        "middle_name",
        "given_name",
        "gender",
        "birth_date",
        "birth_year",
        "phone",
        "email",
        "unit_id",
        "unit__code",
    )
    position_scope = _position_scope(actor=actor, unit=unit)
    chunk: list[tuple] = []
    for person in people.iterator(chunk_size=PEOPLE_CHUNK):
        chunk.append(person)
        if len(chunk) >= PEOPLE_CHUNK:
            yield from _people_chunk(chunk, position_scope)
            chunk = []
    if chunk:
        yield from _people_chunk(chunk, position_scope)


def _people_chunk(chunk: list[tuple], position_scope: Q | None) -> Iterator[list]:
    positions = Position.objects.filter(person_id__in=[person[0] for person in chunk], end_date__isnull=True)
    if position_scope is not None:
        positions = positions.filter(position_scope)
    held: dict[int, list[tuple]] = {}
    for person_id, unit_id, unit_code, role_code, is_full_time in positions.values_list(
        "person_id", "unit_id", "unit__code", "role__code", "is_full_time"
    ).order_by("role__sort_order", "role__code", "unit__code"):
        held.setdefault(person_id, []).append((unit_id, unit_code, role_code, is_full_time))
    for (
        pk,
        code,
        family,
        middle,
        given,
        gender,
        birth_date,
        birth_year,
        phone,
        email,
        unit_id,
        unit_code,
    ) in chunk:
        roles = []
        is_full_time = False
        for position_unit_id, position_unit_code, role_code, full_time in held.get(pk, ()):
            if position_unit_id == unit_id:
                roles.append(role_code)
                is_full_time = is_full_time or full_time
            else:
                roles.append(f"{role_code}{ROLE_UNIT_SEPARATOR}{position_unit_code}")
        yield [
            code,
            family,
            middle,
            given,
            _vietnamese_labels(Gender).get(gender, ""),
            birth_date or birth_year,  # a year alone when only the year is known
            phone,
            email,
            unit_code,
            f"{ROLE_SEPARATOR} ".join(roles),
            "x" if is_full_time else "",
        ]


def rows_for(kind: str, *, actor, unit: Unit | None = None) -> Iterator[list]:
    if kind == ImportKind.UNITS:
        return unit_rows(actor=actor, unit=unit)
    return people_rows(actor=actor, unit=unit)


# --- Files ------------------------------------------------------------------------------------


def file_name(kind: str, file_format: str, unit: Unit | None = None) -> str:
    stem = FILE_STEMS[ImportKind(kind)]
    suffix = f"-{unit.code}" if unit is not None else ""
    return f"{stem}{suffix}-{date.today():%Y%m%d}.{file_format}"


def _header_cells(sheet, columns: tuple[Column, ...]) -> list:
    cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF7")
        cells.append(cell)
    return cells


def write_xlsx(columns: tuple[Column, ...], rows: Iterable[list], *, title: str, help_sheet=None):
    """A write-only workbook of the rows, spooled to memory (or disk when large), rewound."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    for index, column in enumerate(columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = WIDTHS.get(column.key, 14)
    sheet.freeze_panes = "A2"
    sheet.append(_header_cells(sheet, columns))
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
    if help_sheet is not None:
        help_sheet(workbook)
    output = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)
    workbook.save(output)
    output.seek(0)
    return output


def _xlsx_value(sheet, value):
    cell = xlsx_cell(sheet, value)
    if isinstance(value, date):
        cell.number_format = EXCEL_DATE_FORMAT
    return cell


def csv_chunks(columns: tuple[Column, ...], rows: Iterable[list]) -> Iterator[str]:
    """A CSV file (UTF-8 with a byte-order mark, comma-separated) in pieces, for streaming."""

    class Line:
        def write(self, text: str) -> str:
            return text

    writer = csv.writer(Line())
    yield CSV_BOM + writer.writerow([column.header for column in columns])
    for row in rows:
        yield writer.writerow([_csv_value(value) for value in row])


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    return csv_text(str(value))


def template_xlsx(kind: str):
    """An empty file with the header row, and a second sheet explaining columns and codes."""
    columns = columns_for(kind)

    def help_sheet(workbook) -> None:
        sheet = workbook.create_sheet(title="Hướng dẫn")
        sheet.column_dimensions["A"].width = 24
        sheet.column_dimensions["B"].width = 70
        sheet.append(_header_cells(sheet, (Column("", "Cột", ""), Column("", "Cách ghi", ""))))
        for column in columns:
            sheet.append([column.header, str(column.help)])
        sheet.append([])
        for title, values in _vocabularies(kind):
            sheet.append(_header_cells(sheet, (Column("", title, ""), Column("", "Tên", ""))))
            for row in values:
                sheet.append(list(row))
            sheet.append([])

    return write_xlsx(columns, [], title=str(ImportKind(kind).label), help_sheet=help_sheet)


def _vocabularies(kind: str) -> list[tuple[str, Iterable[tuple]]]:
    if kind == ImportKind.UNITS:
        return [
            ("Loại đơn vị (mã)", UnitKind.objects.values_list("code", "name")),
            ("Khu vực", [(label, "") for label in _vietnamese_labels(Sector).values()]),
            ("Mã tỉnh", Province.objects.values_list("code", "name")),
        ]
    return [
        ("Chức vụ (mã)", PositionRole.objects.values_list("code", "name")),
        ("Giới tính", [(label, "") for label in _vietnamese_labels(Gender).values()]),
    ]
