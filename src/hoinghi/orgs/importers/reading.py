"""Reading an uploaded file: the first sheet of an .xlsx or a CSV, as rows of raw cells by column.

Also the progress of a running import (kept in the cache for the progress page) and the cache of
a file's rows between its check and its apply.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import openpyxl
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from hoinghi.core.spreadsheets import csv_text_read
from hoinghi.orgs.errors import OrgsError, OrgsErrorCode
from hoinghi.orgs.importers.mapping import Column, _file_error, _header_mapping, columns_for
from hoinghi.orgs.vietnamese import fold

PROGRESS_EVERY = 500
PROGRESS_TIMEOUT = 6 * 3600
TABLE_CACHE_MAX_ROWS = 60_000
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 .xls format


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
    # Our own exports guard formula-like text with an apostrophe (core.spreadsheets): drop it.
    rows = ([csv_text_read(cell) for cell in row] for row in reader)
    return rows, text.count("\n") + 1, lambda: None


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
