"""Reading and checking an uploaded file of units or of people: the plan an import would carry out.

An import runs in two steps. `plan_units` / `plan_people` read the whole file, check every row
against the database and return a plan: what would be added, changed or left alone, and every
error with its row, column and reason. The plan is shown as the preview; applying an import
makes a fresh plan (the data may have moved on since the preview) and hands it to the writers
in `orgs.services`, which write it all in one transaction or not at all.

Everything is matched on codes, so re-importing an unchanged file plans no change. Existing
units, people and positions are loaded once into dictionaries: a 25,000-row file costs a few
dozen queries, not one per row.

This module only reads. Column layouts are shared with `orgs.exporters`, so that an export
imports back unchanged.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import openpyxl
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils.datetime import from_excel

from hoinghi.orgs.errors import ImportRowErrorCode, OrgsError, OrgsErrorCode
from hoinghi.orgs.models import (
    Gender,
    ImportKind,
    Person,
    Position,
    PositionRole,
    Province,
    Sector,
    Unit,
    UnitKind,
)
from hoinghi.orgs.vietnamese import fold

PROGRESS_EVERY = 500
PROGRESS_TIMEOUT = 6 * 3600
TABLE_CACHE_MAX_ROWS = 60_000
QUERY_CHUNK = 900  # ids or codes per IN (...): below SQLite's and PostgreSQL's parameter limits
MAX_INTEGER = 2_147_483_647  # the largest count PostgreSQL's integer column (member_count) stores
ROLE_SEPARATOR = ";"
ROLE_UNIT_SEPARATOR = "@"
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
TRUE_FLAGS = frozenset({"x", "co", "1", "c", "yes", "true"})
FALSE_FLAGS = frozenset({"", "0", "khong", "k", "no", "false"})
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 .xls format


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # part of the file format: Vietnamese whatever the interface language
    help: str
    max_length: int | None = None


UNIT_COLUMNS = (
    Column("code", "Mã đơn vị", gettext_lazy("bắt buộc, không trùng"), 50),
    Column("name", "Tên đơn vị", gettext_lazy("bắt buộc"), 255),
    Column("short_name", "Tên viết tắt", gettext_lazy("có thể để trống"), 100),
    Column("parent", "Mã đơn vị cấp trên", gettext_lazy("mã một đơn vị đã có hoặc có trong tệp"), 50),
    Column("kind", "Loại đơn vị", gettext_lazy("mã hoặc tên loại đơn vị"), None),
    Column(
        "sector",
        "Khu vực",
        gettext_lazy("nhà nước, ngoài nhà nước, hành chính sự nghiệp hoặc để trống"),
        None,
    ),
    Column("member_count", "Số đoàn viên", gettext_lazy("số nguyên, trống là 0"), None),
    Column("worker_count", "Số lao động", gettext_lazy("số nguyên hoặc để trống"), None),
    Column("province", "Mã tỉnh", gettext_lazy("mã tỉnh, thành phố (01 là Hà Nội) hoặc để trống"), None),
)
PEOPLE_COLUMNS = (
    Column("code", "Mã cán bộ", gettext_lazy("bắt buộc, không trùng"), 50),
    Column("family_name", "Họ", gettext_lazy("có thể để trống"), 60),
    Column("middle_name", "Tên đệm", gettext_lazy("có thể để trống"), 80),
    Column("given_name", "Tên", gettext_lazy("bắt buộc"), 60),
    Column("gender", "Giới tính", gettext_lazy("Nam, Nữ, Khác hoặc để trống"), None),
    Column("birth_date", "Ngày sinh", gettext_lazy("dd/mm/yyyy hoặc ô ngày của Excel"), None),
    Column("phone", "Điện thoại", gettext_lazy("có thể để trống"), 30),
    Column("email", "Thư điện tử", gettext_lazy("có thể để trống"), 254),
    Column("unit", "Mã đơn vị", gettext_lazy("bắt buộc, mã đơn vị đã có"), 50),
    Column(
        "roles",
        "Chức vụ",
        gettext_lazy(
            "mã hoặc tên chức vụ, nhiều chức vụ cách nhau bởi “;”; chức vụ ở đơn vị khác viết mã@mã-đơn-vị"
        ),
        None,
    ),
    Column(
        "is_full_time", "Chuyên trách", gettext_lazy("“x” nếu là cán bộ chuyên trách, trống nếu không"), None
    ),
)
COLUMNS = {ImportKind.UNITS: UNIT_COLUMNS, ImportKind.PEOPLE: PEOPLE_COLUMNS}


def columns_for(kind: str) -> tuple[Column, ...]:
    return COLUMNS[ImportKind(kind)]


# --- Progress ---------------------------------------------------------------------------------


def progress_key(job_id: int) -> str:
    return f"orgs:import:{job_id}:progress"


class Progress:
    """Rows done out of a total in the current phase, kept in the cache for the progress page.

    The cache is written at most every `PROGRESS_EVERY` rows: a 25,000-row file costs fifty
    writes, not 25,000.
    """

    def __init__(self, job_id: int | None):
        self.job_id = job_id
        self.phase = ""
        self.done = 0
        self.total = 0
        self._written = 0

    def start(self, phase: str, total: int) -> None:
        self.phase, self.done, self.total, self._written = phase, 0, total, 0
        self._write()

    def step(self, count: int = 1) -> None:
        self.done += count
        if self.done - self._written >= PROGRESS_EVERY:
            self._write()

    def _write(self) -> None:
        self._written = self.done
        if self.job_id is not None:
            cache.set(
                progress_key(self.job_id),
                {"phase": self.phase, "done": self.done, "total": self.total},
                PROGRESS_TIMEOUT,
            )


# --- Reading the file ----------------------------------------------------------------------------


@dataclass
class Table:
    """The data rows of a file, as {column key: raw cell value}, with their row numbers."""

    columns: tuple[Column, ...]
    rows: list[tuple[int, dict]]
    ignored_headers: list[str]


def _file_error(code: OrgsErrorCode, message: str, **params) -> OrgsError:
    return OrgsError(message, code=code, params=params)


def _unreadable() -> OrgsError:
    return _file_error(
        OrgsErrorCode.IMPORT_FILE_UNREADABLE,
        _("Không đọc được tệp: tệp .xlsx bị hỏng hoặc không phải tệp Excel. Hãy mở bằng Excel và lưu lại."),
    )


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _xlsx_rows(content: bytes) -> tuple[Iterator[tuple], int | None, Callable[[], None]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds of error on a broken file
        raise _unreadable() from error
    total = sheet.max_row if isinstance(sheet.max_row, int) else None

    def rows() -> Iterator[tuple]:
        try:
            yield from sheet.iter_rows(values_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise _unreadable() from error

    return rows(), total, workbook.close


def _csv_rows(content: bytes, columns: tuple[Column, ...]) -> tuple[Iterator[tuple], int, Callable[[], None]]:
    try:
        text = content.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError as error:
        raise _file_error(
            OrgsErrorCode.IMPORT_FILE_UNREADABLE,
            _("Tệp CSV không phải mã UTF-8. Trong Excel hãy chọn Lưu thành “CSV UTF-8 (Comma delimited)”."),
        ) from error
    first_line = text.split("\n", 1)[0]
    known = {fold(column.header) for column in columns}
    # Excel writes ";" where the decimal separator is ",", as in Vietnamese settings: choose the
    # delimiter that turns the first line into the most known headers (csv.Sniffer guesses
    # wrongly on short files and on names that contain commas).
    delimiter = max(
        (",", ";", "\t"), key=lambda sep: sum(fold(cell) in known for cell in first_line.split(sep))
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return reader, text.count("\n") + 1, lambda: None


def _open_rows(
    file_name: str, content: bytes, columns
) -> tuple[Iterator[tuple], int | None, Callable[[], None]]:
    if not content:
        raise _file_error(OrgsErrorCode.IMPORT_FILE_EMPTY, _("Tệp rỗng."))
    max_bytes = settings.HOINGHI_IMPORT_MAX_BYTES
    if len(content) > max_bytes:
        raise _file_error(
            OrgsErrorCode.IMPORT_FILE_TOO_LARGE,
            _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB."),
            size=f"{len(content) / 1024 / 1024:.1f}",
            max=f"{max_bytes / 1024 / 1024:.1f}",
        )
    lower = file_name.lower()
    if lower.endswith(".xlsx") or content.startswith(XLSX_MAGIC):
        return _xlsx_rows(content)
    if lower.endswith(".xls") or content.startswith(OLE_MAGIC):
        raise _file_error(
            OrgsErrorCode.IMPORT_FILE_TYPE,
            _("Tệp .xls (Excel 97–2003) không được hỗ trợ. Hãy mở bằng Excel và lưu thành .xlsx."),
        )
    if lower.endswith((".csv", ".txt")):
        return _csv_rows(content, columns)
    raise _file_error(OrgsErrorCode.IMPORT_FILE_TYPE, _("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))


def _header_mapping(columns: tuple[Column, ...], header: tuple) -> tuple[dict[str, int], list[str]]:
    wanted = {fold(column.header): column.key for column in columns}
    mapping: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        text = _text(cell)
        key = wanted.get(fold(text).strip(" *:"))
        if key is None:
            if text:
                ignored.append(text)
            continue
        if key in mapping:
            raise _file_error(
                OrgsErrorCode.IMPORT_BAD_HEADERS,
                _("Cột “%(column)s” xuất hiện hai lần ở dòng tiêu đề."),
                column=text,
            )
        mapping[key] = index
    missing = [column.header for column in columns if column.key not in mapping]
    if missing:
        raise _file_error(
            OrgsErrorCode.IMPORT_BAD_HEADERS,
            _("Dòng đầu tiên phải là tiêu đề các cột. Thiếu cột: %(missing)s. Các cột cần có: %(expected)s."),
            missing=", ".join(missing),
            expected=", ".join(column.header for column in columns),
        )
    return mapping, ignored


def read_table(
    kind: str, file_name: str, content: bytes, progress: Progress | None = None, *, header_only: bool = False
) -> Table:
    """Read every data row of an uploaded file (the first sheet of an .xlsx, or a CSV).

    Raises `OrgsError` for a file that cannot be taken at all: empty, too large, of another
    type, broken, without the expected header row, or with more than
    `HOINGHI_IMPORT_MAX_ROWS` data rows. With `header_only` it stops after the header (and a
    cheap estimate of the row count), for a quick answer at upload time.
    """
    columns = columns_for(kind)
    max_rows = settings.HOINGHI_IMPORT_MAX_ROWS
    rows, estimate, close = _open_rows(file_name, content, columns)
    try:
        header = next(rows, None)
        while header is not None and all(_is_blank(cell) for cell in header):
            header = next(rows, None)
        if header is None:
            raise _file_error(OrgsErrorCode.IMPORT_FILE_EMPTY, _("Tệp không có dữ liệu."))
        mapping, ignored = _header_mapping(columns, header)
        if header_only:
            if estimate is not None and estimate - 1 > max_rows * 2:
                # Only a clear excess is refused here: the estimate counts blank lines too.
                raise _too_many_rows(max_rows)
            if not any(not all(_is_blank(cell) for cell in cells) for cells in rows):
                raise _no_data()
            return Table(columns, [], ignored)
        if progress is not None:
            progress.start("reading", max((estimate or 1) - 1, 0))
        indexes = list(mapping.items())
        data: list[tuple[int, dict]] = []
        for number, cells in enumerate(rows, start=2):
            if progress is not None:
                progress.step()
            if all(_is_blank(cell) for cell in cells):
                continue
            if len(data) >= max_rows:
                raise _too_many_rows(max_rows)
            width = len(cells)
            data.append((number, {key: cells[index] if index < width else None for key, index in indexes}))
    finally:
        close()
    if not data:
        raise _no_data()
    return Table(columns, data, ignored)


def _table_key(job_id: int) -> str:
    return f"orgs:import:{job_id}:table"


def cache_table(job_id: int, table: Table) -> None:
    """Keep a job's rows for its apply; a very large file is read again instead."""
    if len(table.rows) <= TABLE_CACHE_MAX_ROWS:
        cache.set(_table_key(job_id), (table.rows, table.ignored_headers), PROGRESS_TIMEOUT)


def cached_table(job_id: int, kind: str) -> Table | None:
    cached = cache.get(_table_key(job_id))
    return Table(columns_for(kind), *cached) if cached is not None else None


def _no_data() -> OrgsError:
    return _file_error(
        OrgsErrorCode.IMPORT_FILE_EMPTY, _("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")
    )


def _too_many_rows(max_rows: int) -> OrgsError:
    return _file_error(
        OrgsErrorCode.IMPORT_TOO_MANY_ROWS,
        _("Tệp có hơn %(max)s dòng dữ liệu. Hãy chia thành nhiều tệp nhỏ hơn."),
        max=f"{max_rows:,}".replace(",", "."),
    )


# --- Cells ------------------------------------------------------------------------------------


def _text(value) -> str:
    """A cell as text: numbers without a trailing ".0", dates as dd/mm/yyyy.

    NUL characters (a CSV can hold them) are dropped: they mean nothing in a cell, and
    PostgreSQL refuses them in text, which would fail the whole apply."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\x00", "").strip()
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value)


class RowErrors:
    """Every error of a file, with the row number and column header where it was found."""

    def __init__(self) -> None:
        self.items: list[dict] = []
        self.rows: set[int] = set()

    def add(
        self, row: int, column: Column, code: ImportRowErrorCode, message: str, value="", /, **params
    ) -> None:
        params = {key: str(param) for key, param in params.items()}
        self.items.append(
            {
                "row": row,
                "column": column.header,
                "code": str(code),
                "message": message % params if params else message,
                "value": _text(value)[:100],
            }
        )
        self.rows.add(row)

    def __len__(self) -> int:
        return len(self.items)


class _Cells:
    """The cells of one row, with checks that record an error and return None when they fail."""

    def __init__(self, number: int, raw: dict, columns: dict[str, Column], errors: RowErrors):
        self.number, self.raw, self.columns, self.errors = number, raw, columns, errors
        self.is_valid = True

    def error(self, key: str, code: ImportRowErrorCode, message: str, /, **params) -> None:
        self.is_valid = False
        self.errors.add(self.number, self.columns[key], code, message, self.raw.get(key), **params)

    def text(self, key: str, *, required: bool = False) -> str:
        value = _text(self.raw.get(key))
        column = self.columns[key]
        if required and not value:
            self.error(key, ImportRowErrorCode.REQUIRED, _("Thiếu “%(column)s”."), column=column.header)
        elif column.max_length and len(value) > column.max_length:
            self.error(
                key,
                ImportRowErrorCode.TOO_LONG,
                _("“%(column)s” dài quá %(max)s ký tự."),
                column=column.header,
                max=column.max_length,
            )
        return value

    def integer(self, key: str, *, default: int | None) -> int | None:
        value = self.raw.get(key)
        number = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            if float(value).is_integer() and value >= 0:
                number = int(value)
        else:
            text = _text(value).replace(" ", "")
            if not text:
                return default
            # "1.234" and "1,234" are thousands, as Vietnamese and English Excel write them.
            digits = text.replace(".", "").replace(",", "")
            groups = text.replace(",", ".").split(".")
            if (
                digits.isascii()
                and digits.isdigit()
                and (len(groups) == 1 or all(len(group) == 3 for group in groups[1:]))
            ):
                number = int(digits)
        if number is not None and number <= MAX_INTEGER:
            return number
        if number is not None:  # the database's column would refuse it and fail the apply
            self.error(
                key,
                ImportRowErrorCode.BAD_NUMBER,
                _("“%(column)s” quá lớn (tối đa %(max)s)."),
                column=self.columns[key].header,
                max=f"{MAX_INTEGER:,}".replace(",", "."),
            )
            return None
        self.error(
            key,
            ImportRowErrorCode.BAD_NUMBER,
            _("“%(column)s” phải là số nguyên không âm."),
            column=self.columns[key].header,
        )
        return None

    def date(self, key: str) -> date | None:
        value = self.raw.get(key)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 100000:
            return from_excel(value).date()  # a date cell without a date format
        text = _text(value)
        if not text:
            return None
        for pattern in DATE_FORMATS:
            try:
                parsed = datetime.strptime(text, pattern).date()
            except ValueError:
                continue
            if 1900 <= parsed.year <= date.today().year:
                return parsed
            break
        self.error(
            key,
            ImportRowErrorCode.BAD_DATE,
            _("“%(value)s” không phải ngày hợp lệ (dd/mm/yyyy)."),
            value=text,
        )
        return None

    def flag(self, key: str) -> bool:
        text = fold(_text(self.raw.get(key)))
        if text in TRUE_FLAGS:
            return True
        if text not in FALSE_FLAGS:
            self.error(
                key,
                ImportRowErrorCode.BAD_FLAG,
                _("“%(column)s” chỉ nhận “x” hoặc để trống."),
                column=self.columns[key].header,
            )
        return False


def _chunks(items: list, size: int = QUERY_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _lookup(items, *keys: Callable) -> dict[str, object]:
    """{folded key: item} over several keys (code, then name); a name two items share is left out."""
    found: dict[str, object] = {}
    for key in reversed(keys):
        seen: dict[str, list] = {}
        for item in items:
            seen.setdefault(fold(str(key(item))), []).append(item)
        found.update({text: matches[0] for text, matches in seen.items() if len(matches) == 1 and text})
    return found


# --- Units ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExistingUnit:
    id: int
    code: str
    parent_id: int | None
    path: str
    depth: int
    values: tuple  # the fields a file sets, in UNIT_VALUE_FIELDS order


UNIT_VALUE_FIELDS = ("name", "short_name", "kind_id", "sector", "member_count", "worker_count", "province_id")


@dataclass
class UnitRow:
    row: int
    code: str
    parent_code: str
    values: dict  # UNIT_VALUE_FIELDS -> value
    is_valid: bool = True


@dataclass
class UnitPlan:
    """What importing a units file would do. `existing` is every unit, by code."""

    scope_path: str
    rows: int
    errors: RowErrors
    existing: dict[str, ExistingUnit]
    create: list[UnitRow] = field(default_factory=list)
    update: list[UnitRow] = field(default_factory=list)
    unchanged: int = 0
    moved: int = 0
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "added": len(self.create),
            "changed": len(self.update),
            "unchanged": self.unchanged,
            "moved": self.moved,
            "error_rows": len(self.errors.rows),
            "ignored_headers": self.ignored_headers,
        }


def _existing_units() -> dict[str, ExistingUnit]:
    rows = Unit.objects.values_list("id", "code", "parent_id", "path", "depth", *UNIT_VALUE_FIELDS)
    return {
        row[1]: ExistingUnit(row[0], row[1], row[2], row[3], row[4], tuple(row[5:]))
        for row in rows.iterator()
    }


def _province_lookup() -> dict[str, int]:
    provinces = {fold(code): pk for pk, code in Province.objects.values_list("pk", "code")}
    return provinces


def _province_id(cells: _Cells, provinces: dict[str, int]) -> int | None:
    code = cells.text("province")
    if not code:
        return None
    # Excel drops the leading zero of a code typed as a number: 1 is Hà Nội's "01".
    found = provinces.get(fold(code)) or (provinces.get(code.zfill(2)) if code.isdigit() else None)
    if found is None:
        cells.error(
            "province",
            ImportRowErrorCode.UNKNOWN_PROVINCE,
            _("Không có tỉnh, thành phố mã “%(code)s”."),
            code=code,
        )
    return found


def plan_units(table: Table, *, scope_path: str, progress: Progress | None = None) -> UnitPlan:
    """Check a units file against the database and say what importing it would do.

    Units are matched on code and may come in any order (a parent after its children). Every
    unit written, and every new parent, must lie under `scope_path`.
    """
    columns = {column.key: column for column in table.columns}
    errors = RowErrors()
    existing = _existing_units()
    by_id = {unit.id: unit for unit in existing.values()}
    kinds = _lookup(list(UnitKind.objects.all()), lambda kind: kind.code, lambda kind: kind.name)
    with translation.override("vi"):  # the file's words are Vietnamese whatever the page's language
        sectors = _lookup(list(Sector), lambda sector: sector.value, lambda sector: str(sector.label))
    provinces = _province_lookup()
    plan = UnitPlan(scope_path, len(table.rows), errors, existing, ignored_headers=table.ignored_headers)
    progress = progress or Progress(None)
    progress.start("checking", len(table.rows))

    rows: dict[str, UnitRow] = {}
    first_row: dict[str, int] = {}
    for number, raw in table.rows:
        progress.step()
        cells = _Cells(number, raw, columns, errors)
        code = cells.text("code", required=True)
        values = {
            "name": cells.text("name", required=True),
            "short_name": cells.text("short_name"),
            "kind_id": None,
            "sector": "",
            "member_count": cells.integer("member_count", default=0),
            "worker_count": cells.integer("worker_count", default=None),
            "province_id": _province_id(cells, provinces),
        }
        parent_code = cells.text("parent")
        kind_text = cells.text("kind", required=True)
        if kind_text:
            kind = kinds.get(fold(kind_text))
            if kind is None:
                cells.error(
                    "kind",
                    ImportRowErrorCode.UNKNOWN_KIND,
                    _("Không có loại đơn vị “%(kind)s”."),
                    kind=kind_text,
                )
            else:
                values["kind_id"] = kind.pk
        sector_text = cells.text("sector")
        if sector_text:
            sector = sectors.get(fold(sector_text)) or sectors.get(fold(f"Khu vực {sector_text}"))
            if sector is None:
                cells.error(
                    "sector",
                    ImportRowErrorCode.UNKNOWN_SECTOR,
                    _("Không có khu vực “%(sector)s”."),
                    sector=sector_text,
                )
            else:
                values["sector"] = sector.value
        if code:
            if code in first_row:
                cells.error(
                    "code",
                    ImportRowErrorCode.DUPLICATE_CODE,
                    _("Mã “%(code)s” đã có ở dòng %(first)s của tệp."),
                    code=code,
                    first=first_row[code],
                )
                continue
            first_row[code] = number
            row = rows[code] = UnitRow(number, code, parent_code, values)
            _check_unit_place(row, cells, existing, scope_path=scope_path)
            row.is_valid = cells.is_valid
    _check_unit_parents(rows, existing, by_id, columns, errors)

    for code, row in rows.items():
        if not row.is_valid:
            continue
        current = existing.get(code)
        if current is None:
            plan.create.append(row)
            continue
        new_values = tuple(row.values[name] for name in UNIT_VALUE_FIELDS)
        current_parent = by_id[current.parent_id].code if current.parent_id else ""
        is_moved = (row.parent_code or "") != current_parent
        if is_moved or new_values != current.values:
            plan.update.append(row)
            plan.moved += is_moved
        else:
            plan.unchanged += 1
    return plan


def _check_unit_place(
    row: UnitRow, cells: _Cells, existing: dict[str, ExistingUnit], *, scope_path: str
) -> None:
    """The unit and, when it changes, its parent must lie in the scope."""
    current = existing.get(row.code)
    if current is not None and not current.path.startswith(scope_path):
        cells.error(
            "code",
            ImportRowErrorCode.OUTSIDE_SCOPE,
            _("Đơn vị “%(code)s” nằm ngoài phạm vi bạn được nhập dữ liệu."),
            code=row.code,
        )
        return
    parent_code = row.parent_code
    if not parent_code:
        if current is None or current.parent_id is not None:
            cells.error(
                "parent",
                ImportRowErrorCode.ROOT_NOT_ALLOWED,
                _("Thiếu mã đơn vị cấp trên (chỉ đơn vị gốc đã có mới được để trống)."),
            )
        return
    if parent_code == row.code:
        cells.error("parent", ImportRowErrorCode.CYCLE, _("Đơn vị không thể là cấp trên của chính nó."))
        return
    parent = existing.get(parent_code)
    if parent is None:
        return  # new in the file, perhaps further down: `_check_unit_parents` looks once all rows are read
    if current is not None and current.parent_id == parent.id:
        return  # the parent does not change: it may lie above the scope, as the scope's own parent does
    if not parent.path.startswith(scope_path):
        cells.error(
            "parent",
            ImportRowErrorCode.OUTSIDE_SCOPE,
            _("Đơn vị cấp trên “%(code)s” nằm ngoài phạm vi bạn được nhập dữ liệu."),
            code=parent_code,
        )


def _check_unit_parents(
    rows: dict[str, UnitRow],
    existing: dict[str, ExistingUnit],
    by_id: dict[int, ExistingUnit],
    columns: dict[str, Column],
    errors: RowErrors,
) -> None:
    """Flag every unit of the file that would end up its own ancestor, and new parents that are
    nowhere to be found (a parent given later in the file is fine)."""
    for row in rows.values():
        parent_code = row.parent_code
        if parent_code and parent_code not in existing and parent_code not in rows:
            errors.add(
                row.row,
                columns["parent"],
                ImportRowErrorCode.UNKNOWN_PARENT,
                _("Không có đơn vị cấp trên mã “%(code)s” (trong hệ thống lẫn trong tệp)."),
                parent_code,
                code=parent_code,
            )
            row.is_valid = False

    def parent_of(code: str) -> str | None:
        row = rows.get(code)
        if row is not None:
            return row.parent_code or None
        unit = existing.get(code)
        if unit is None or unit.parent_id is None:
            return None
        return by_id[unit.parent_id].code

    state: dict[str, int] = {}  # 1: on the current walk, 2: known to reach a root
    for start in rows:
        walk: list[str] = []
        code: str | None = start
        while code is not None and state.get(code) is None:
            state[code] = 1
            walk.append(code)
            code = parent_of(code)
        if code is not None and state.get(code) == 1:
            cycle = walk[walk.index(code) :]
            for member in cycle:
                row = rows.get(member)
                if row is not None:
                    errors.add(
                        row.row,
                        columns["parent"],
                        ImportRowErrorCode.CYCLE,
                        _("Vòng lặp cấp trên: %(cycle)s."),
                        row.parent_code,
                        cycle=" → ".join([*cycle, cycle[0]]),
                    )
                    row.is_valid = False
        for member in walk:
            state[member] = 2


# --- People -----------------------------------------------------------------------------------


PERSON_VALUE_FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "phone",
    "email",
    "unit_id",
)


@dataclass
class PersonRow:
    row: int
    code: str
    values: dict  # PERSON_VALUE_FIELDS -> value
    positions: dict[tuple[int, int], bool | None]  # (unit id, role id) -> full-time (None: keep as it is)
    is_valid: bool = True
    person_id: int | None = None


@dataclass
class PeoplePlan:
    """What importing a people file would do, down to each position to create, end or change."""

    rows: int
    errors: RowErrors
    create: list[PersonRow] = field(default_factory=list)
    update: list[PersonRow] = field(default_factory=list)
    unchanged: int = 0
    positions_to_create: list[tuple[str, int, int, bool]] = field(
        default_factory=list
    )  # person code, unit, role
    positions_to_end: list[int] = field(default_factory=list)
    positions_full_time: dict[int, bool] = field(default_factory=dict)  # position id -> new flag
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "added": len(self.create),
            "changed": len(self.update),
            "unchanged": self.unchanged,
            "positions_added": len(self.positions_to_create),
            "positions_ended": len(self.positions_to_end),
            "positions_changed": len(self.positions_full_time),
            "error_rows": len(self.errors.rows),
            "ignored_headers": self.ignored_headers,
        }


def _genders() -> dict[str, str]:
    """Accepted spellings of a gender; the labels are the Vietnamese ones whatever the page's language."""
    with translation.override("vi"):
        labels = {fold(str(label)): value for value, label in Gender.choices}
    return {
        **labels,
        **{value: value for value in Gender.values},
        "nu": Gender.FEMALE,
        "m": Gender.MALE,
        "f": Gender.FEMALE,
    }


def plan_people(table: Table, *, scope_path: str, progress: Progress | None = None) -> PeoplePlan:
    """Check a people file against the database and say what importing it would do.

    People are matched on code. The positions a row lists replace the person's current
    positions in the units the file names (the units of its rows and of its "role@unit"
    entries); positions elsewhere are left alone.
    """
    columns = {column.key: column for column in table.columns}
    errors = RowErrors()
    plan = PeoplePlan(len(table.rows), errors, ignored_headers=table.ignored_headers)
    units = {code: (pk, path) for pk, code, path in Unit.objects.values_list("pk", "code", "path").iterator()}
    roles = _lookup(list(PositionRole.objects.all()), lambda role: role.code, lambda role: role.name)
    genders = _genders()
    progress = progress or Progress(None)
    progress.start("checking", len(table.rows))

    rows: dict[str, PersonRow] = {}
    first_row: dict[str, int] = {}
    file_units: set[int] = set()
    for number, raw in table.rows:
        progress.step()
        cells = _Cells(number, raw, columns, errors)
        code = cells.text("code", required=True)
        values = {
            "family_name": cells.text("family_name"),
            "middle_name": cells.text("middle_name"),
            "given_name": cells.text("given_name", required=True),
            "gender": "",
            "birth_date": cells.date("birth_date"),
            "phone": cells.text("phone"),
            "email": cells.text("email"),
            "unit_id": None,
        }
        gender_text = cells.text("gender")
        if gender_text:
            values["gender"] = genders.get(fold(gender_text), "")
            if not values["gender"]:
                cells.error(
                    "gender",
                    ImportRowErrorCode.UNKNOWN_GENDER,
                    _("Giới tính “%(value)s” không hợp lệ (Nam, Nữ hoặc Khác)."),
                    value=gender_text,
                )
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                cells.error(
                    "email",
                    ImportRowErrorCode.BAD_EMAIL,
                    _("“%(value)s” không phải địa chỉ thư điện tử."),
                    value=values["email"],
                )
        unit_code = cells.text("unit", required=True)
        unit_id = None
        if unit_code:
            unit = units.get(unit_code)
            if unit is None:
                cells.error(
                    "unit",
                    ImportRowErrorCode.UNKNOWN_UNIT,
                    _("Không có đơn vị mã “%(code)s”."),
                    code=unit_code,
                )
            elif not unit[1].startswith(scope_path):
                cells.error(
                    "unit",
                    ImportRowErrorCode.OUTSIDE_SCOPE,
                    _("Đơn vị “%(code)s” nằm ngoài phạm vi bạn được nhập dữ liệu."),
                    code=unit_code,
                )
            else:
                unit_id = values["unit_id"] = unit[0]
                file_units.add(unit_id)
        is_full_time = cells.flag("is_full_time")
        positions = _row_positions(cells, unit_id, is_full_time, roles, units, scope_path, file_units)
        if is_full_time and not any(flag for flag in positions.values()) and cells.is_valid and unit_id:
            cells.error(
                "is_full_time",
                ImportRowErrorCode.FLAG_WITHOUT_ROLE,
                _("Đánh dấu chuyên trách nhưng không có chức vụ nào tại đơn vị của cán bộ."),
            )
        if not code:
            continue
        if code in first_row:
            cells.error(
                "code",
                ImportRowErrorCode.DUPLICATE_CODE,
                _("Mã “%(code)s” đã có ở dòng %(first)s của tệp."),
                code=code,
                first=first_row[code],
            )
            continue
        first_row[code] = number
        rows[code] = PersonRow(number, code, values, positions, is_valid=cells.is_valid)

    existing = _existing_people(list(rows))
    progress.start("comparing", len(rows))
    current_positions = _current_positions([person[0] for person in existing.values()], file_units)
    for code, row in rows.items():
        progress.step()
        current = existing.get(code)
        if current is not None and not current[2].startswith(scope_path):
            errors.add(
                row.row,
                columns["code"],
                ImportRowErrorCode.OUTSIDE_SCOPE,
                _("Cán bộ “%(code)s” thuộc đơn vị nằm ngoài phạm vi bạn được nhập dữ liệu."),
                code,
                code=code,
            )
            continue
        if not row.is_valid:
            continue
        if current is None:
            plan.create.append(row)
            plan.positions_to_create.extend(
                (code, unit_id, role_id, bool(flag)) for (unit_id, role_id), flag in row.positions.items()
            )
            continue
        row.person_id = current[0]
        is_changed = tuple(row.values[name] for name in PERSON_VALUE_FIELDS) != current[1]
        held = current_positions.get(row.person_id, {})
        for key, (position_id, flag) in held.items():
            if key not in row.positions:
                plan.positions_to_end.append(position_id)
                is_changed = True
            elif row.positions[key] is not None and row.positions[key] != flag:
                plan.positions_full_time[position_id] = row.positions[key]
                is_changed = True
        for key, flag in row.positions.items():
            if key not in held:
                plan.positions_to_create.append((code, key[0], key[1], bool(flag)))
                is_changed = True
        if is_changed:
            plan.update.append(row)
        else:
            plan.unchanged += 1
    return plan


def _row_positions(
    cells: _Cells,
    unit_id: int | None,
    is_full_time: bool,
    roles: dict,
    units: dict,
    scope_path: str,
    file_units: set[int],
) -> dict[tuple[int, int], bool | None]:
    """{(unit id, role id): full-time} from the "Chức vụ" cell: "role; role@UNIT-CODE; ..."."""
    positions: dict[tuple[int, int], bool | None] = {}
    text = _text(cells.raw.get("roles")) if cells.raw.get("roles") is not None else ""
    for token in (part.strip() for part in text.replace("\n", ROLE_SEPARATOR).split(ROLE_SEPARATOR)):
        if not token:
            continue
        role_text, _at, unit_code = (part.strip() for part in token.partition(ROLE_UNIT_SEPARATOR))
        role = roles.get(fold(role_text))
        if role is None:
            cells.error(
                "roles", ImportRowErrorCode.UNKNOWN_ROLE, _("Không có chức vụ “%(role)s”."), role=role_text
            )
            continue
        if not unit_code:
            if unit_id is not None:
                positions[unit_id, role.pk] = is_full_time
            continue
        unit = units.get(unit_code)
        if unit is None:
            cells.error(
                "roles", ImportRowErrorCode.UNKNOWN_UNIT, _("Không có đơn vị mã “%(code)s”."), code=unit_code
            )
        elif not unit[1].startswith(scope_path):
            cells.error(
                "roles",
                ImportRowErrorCode.OUTSIDE_SCOPE,
                _("Đơn vị “%(code)s” nằm ngoài phạm vi bạn được nhập dữ liệu."),
                code=unit_code,
            )
        else:
            file_units.add(unit[0])
            # A position in another unit keeps its own full-time flag: the column speaks of the row's unit.
            positions.setdefault((unit[0], role.pk), None)
    return positions


def _existing_people(codes: list[str]) -> dict[str, tuple[int, tuple, str]]:
    """{code: (id, values in PERSON_VALUE_FIELDS order, unit path)} of the people with those codes."""
    found = {}
    for chunk in _chunks(codes):
        rows = Person.objects.filter(code__in=chunk).values_list(
            "pk", "code", "unit__path", *PERSON_VALUE_FIELDS
        )
        for pk, code, path, *values in rows:
            found[code] = (pk, tuple(values), path)
    return found


def _current_positions(person_ids: list[int], unit_ids: set[int]) -> dict[int, dict[tuple[int, int], tuple]]:
    """{person id: {(unit id, role id): (position id, full-time)}} of current positions in `unit_ids`."""
    held: dict[int, dict] = {}
    for chunk in _chunks(person_ids):
        rows = Position.objects.filter(person_id__in=chunk, end_date__isnull=True).values_list(
            "pk", "person_id", "unit_id", "role_id", "is_full_time"
        )
        for pk, person_id, unit_id, role_id, is_full_time in rows:
            if unit_id in unit_ids:
                held.setdefault(person_id, {})[unit_id, role_id] = (pk, is_full_time)
    return held


def plan(
    kind: str, table: Table, *, scope_path: str, progress: Progress | None = None
) -> UnitPlan | PeoplePlan:
    if kind == ImportKind.UNITS:
        return plan_units(table, scope_path=scope_path, progress=progress)
    return plan_people(table, scope_path=scope_path, progress=progress)
