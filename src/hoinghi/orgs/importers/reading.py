"""Reading an uploaded file: the table in its sheet, as rows of raw cells by column key.

`files` opens the file and gives its visible sheets; each is converted from a legacy font
when it is typed in one (`legacy`), and `headers` looks for a table in it. The sheet holding
the table is read; when several do, the clerk is asked which (`ImportChoiceNeeded`).

Also the progress of a running import (kept in the cache for the progress page) and the cache of
a file's rows between its check and its apply.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from hoinghi.orgs.errors import ImportChoiceNeeded, OrgsError, OrgsErrorCode
from hoinghi.orgs.importers import legacy
from hoinghi.orgs.importers.files import Sheet, file_error, open_sheets, too_many_rows
from hoinghi.orgs.importers.headers import Header, data_rows, find_header, guess_header_row
from hoinghi.orgs.importers.mapping import REQUIRED, Column, all_columns_for
from hoinghi.orgs.models import ImportKind

PROGRESS_EVERY = 500
PROGRESS_TIMEOUT = 6 * 3600
TABLE_CACHE_MAX_ROWS = 60_000


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
    """The data rows of a file, as {column key: raw cell value}, with the sheet's own row numbers."""

    columns: tuple[Column, ...]
    rows: list[tuple[int, dict]]
    ignored_headers: list[str]
    labels: dict[str, str] = field(default_factory=dict)  # column key -> the file's heading (letter)
    sheet: str = ""
    header_row: int = 0
    legacy_font: str = ""

    def describe(self) -> dict:
        """What the preview says about where the table was found."""
        return {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "legacy_font": legacy.FONT_NAMES.get(self.legacy_font, ""),
        }


@dataclass(frozen=True)
class ReadOptions:
    """The clerk's choices for one file (`ImportJob.options`) and those remembered for the unit."""

    sheet: str = ""
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # column index -> key ("" for none)
    remembered: dict[str, str] = field(default_factory=dict)  # heading key -> column key

    @classmethod
    def from_job(cls, options: dict, remembered: dict[str, str] | None = None) -> "ReadOptions":
        return cls(
            sheet=options.get("sheet", ""),
            header_row=options.get("header_row"),
            columns=options.get("columns", {}),
            remembered=remembered or {},
        )


def _sheet_header(kind: str, sheet: Sheet, options: ReadOptions, *, is_chosen: bool) -> Header | None:
    if is_chosen:
        return find_header(
            kind,
            sheet.rows,
            remembered=options.remembered,
            chosen=options.columns,
            chosen_row=options.header_row,
        )
    return find_header(kind, sheet.rows, remembered=options.remembered)


def _choose_sheet(kind: str, sheets: list[Sheet], options: ReadOptions) -> tuple[Sheet, Header | None]:
    """The sheet to import: the clerk's, or the only visible one holding a table."""
    if options.sheet:
        for sheet in sheets:
            if sheet.name == options.sheet:
                return sheet, _sheet_header(kind, sheet, options, is_chosen=True)
        raise file_error(
            OrgsErrorCode.IMPORT_CHOOSE_SHEET,
            _("Tệp không có trang tính “%(sheet)s”; các trang có: %(sheets)s."),
            sheet=options.sheet,
            sheets=", ".join(sheet.name for sheet in sheets),
        )
    with_rows = [sheet for sheet in sheets if sheet.rows]
    if not with_rows:
        raise file_error(OrgsErrorCode.IMPORT_FILE_EMPTY, _("Tệp không có dữ liệu."))
    found = [
        (sheet, _sheet_header(kind, sheet, options, is_chosen=len(with_rows) == 1)) for sheet in with_rows
    ]
    tables = [(sheet, header) for sheet, header in found if header is not None]
    if len(tables) == 1:
        sheet, header = tables[0]
        return sheet, _sheet_header(kind, sheet, options, is_chosen=True)
    if len(tables) > 1:
        names = [sheet.name for sheet, _header in tables]
        active = next((sheet.name for sheet, _header in tables if sheet.is_active), names[0])
        raise ImportChoiceNeeded(
            _("Tệp có %(count)s trang tính cùng chứa danh sách: %(sheets)s. Hãy chọn trang cần nhập."),
            code=OrgsErrorCode.IMPORT_CHOOSE_SHEET,
            params={"count": len(names), "sheets": ", ".join(f"“{name}”" for name in names)},
            choices={"sheets": names, "sheet": active},
        )
    active = next((sheet for sheet in with_rows if sheet.is_active), with_rows[0])
    return active, None


def _missing_columns(
    kind: str, sheet: Sheet, header: Header | None, options: ReadOptions
) -> ImportChoiceNeeded:
    """The header is not found, or lacks a required column: offer the mapping step."""
    columns = {column.key: column for column in all_columns_for(kind)}
    if header is not None:
        row, cells, missing = header.row, header.cells, header.missing(kind)
    else:
        guess = guess_header_row(sheet.rows)
        row, cells = guess if guess else (sheet.rows[0][0], [])
        missing = list(REQUIRED[ImportKind(kind)])
    missing_names = [" hoặc ".join(f"“{columns[key].header}”" for key in keys) for keys in missing]
    return ImportChoiceNeeded(
        _(
            "Không nhận ra đủ các cột ở trang “%(sheet)s” (dòng tiêu đề %(row)s). Thiếu cột: %(missing)s. "
            "Hãy chọn cột của tệp ứng với từng thông tin."
        ),
        code=OrgsErrorCode.IMPORT_BAD_HEADERS,
        params={"sheet": sheet.name, "row": row, "missing": ", ".join(missing_names)},
        choices={"sheet": sheet.name, "header_row": row, "headers": cells},
    )


def read_table(
    kind: str,
    file_name: str,
    content: bytes,
    progress: Progress | None = None,
    *,
    options: ReadOptions | None = None,
) -> Table:
    """Read every data row of an uploaded file's table.

    Raises `OrgsError` for a file that cannot be taken at all (see `files.open_sheets`), with no
    table or no data, or with more than `HOINGHI_IMPORT_MAX_ROWS` data rows; and
    `ImportChoiceNeeded` when the clerk must choose the sheet or place the columns.
    """
    options = options or ReadOptions()
    if progress is not None:
        progress.start("reading", 0)
    sheets = open_sheets(file_name, content)
    fonts = {}
    for sheet in sheets:
        # The table's body decides: a header copied from our Unicode template often sits on
        # rows typed in a legacy font. A header typed in the font is not found before the
        # conversion, and then every row decides.
        header = find_header(kind, sheet.rows, remembered=options.remembered)
        start = header.position + header.height if header else 0
        font = legacy.sheet_encoding(sheet.rows[start:])
        if font:  # a header found as it is was typed in Unicode: only the rows below it convert
            sheet.rows = sheet.rows[:start] + legacy.convert_rows(sheet.rows[start:], font)
            fonts[sheet.name] = font
    if not sheets:
        raise file_error(OrgsErrorCode.IMPORT_FILE_EMPTY, _("Tệp không có trang tính nào đang hiện."))
    sheet, header = _choose_sheet(kind, sheets, options)
    if header is None or header.missing(kind):
        raise _missing_columns(kind, sheet, header, options)
    if header.duplicates:
        raise file_error(
            OrgsErrorCode.IMPORT_BAD_HEADERS,
            _("Cột “%(column)s” xuất hiện hai lần ở dòng tiêu đề (dòng %(row)s)."),
            column=header.duplicates[0],
            row=header.row,
        )
    rows = data_rows(header, sheet.rows)
    if not rows:
        raise _no_data()
    if len(rows) > settings.HOINGHI_IMPORT_MAX_ROWS:
        raise too_many_rows(settings.HOINGHI_IMPORT_MAX_ROWS)
    if progress is not None:
        progress.start("reading", len(rows))
        progress.step(len(rows))
    return Table(
        all_columns_for(kind),
        rows,
        header.ignored,
        labels=header.labels,
        sheet=sheet.name if len(sheets) > 1 else "",
        header_row=header.row,
        legacy_font=fonts.get(sheet.name, ""),
    )


def _table_key(job_id: int) -> str:
    return f"orgs:import:{job_id}:table"


def cache_table(job_id: int, table: Table) -> None:
    """Keep a job's rows for its apply; a very large file is read again instead."""
    if len(table.rows) <= TABLE_CACHE_MAX_ROWS:
        fields = (
            table.rows,
            table.ignored_headers,
            table.labels,
            table.sheet,
            table.header_row,
            table.legacy_font,
        )
        cache.set(_table_key(job_id), fields, PROGRESS_TIMEOUT)


def forget_table(job_id: int) -> None:
    cache.delete(_table_key(job_id))


def cached_table(job_id: int, kind: str) -> Table | None:
    cached = cache.get(_table_key(job_id))
    if cached is None:
        return None
    rows, ignored, labels, sheet, header_row, font = cached
    return Table(all_columns_for(kind), rows, ignored, labels, sheet, header_row, font)


def _no_data() -> OrgsError:
    return file_error(
        OrgsErrorCode.IMPORT_FILE_EMPTY, _("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")
    )
