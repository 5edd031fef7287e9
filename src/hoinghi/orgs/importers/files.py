"""Opening an uploaded file: its kind, its limits, and its sheets as rows of raw cells.

Every format goes through python-calamine (.xlsx, .xlsm, .xls of Excel 97–2003, .ods), which
reads a sheet several times faster than openpyxl; a CSV is one sheet. Nothing here knows the
columns of an import: `reading` finds the table in the sheets.

The limits hold before anything is parsed: the file's size, then, for the zip-based formats,
the sum of the members' uncompressed sizes as the zip's directory declares them (a "zip bomb"
of 3 million blank rows is 15 MB on disk and 200 MB of XML), then the rows and columns as the
sheet is walked. Blank rows cost nothing but the walk over calamine's parsed range, which the
uncompressed limit bounds; they are neither kept nor counted.
"""

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _

from hoinghi.core.spreadsheets import csv_text_read
from hoinghi.orgs.errors import OrgsError, OrgsErrorCode

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97–2003, and any password-protected workbook
# A password-protected .xlsx is an OLE container holding the encrypted package under this name.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_EXTENSIONS = (".csv", ".txt")
ACCEPTED_EXTENSIONS = SPREADSHEET_EXTENSIONS + CSV_EXTENSIONS
_ACTIVE_TAB = re.compile(rb'activeTab="(\d+)"')


def file_error(code: OrgsErrorCode, message: str, **params) -> OrgsError:
    return OrgsError(message, code=code, params=params)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


@dataclass
class Sheet:
    """One sheet of a file: its rows as (the sheet's own row number, cells), blank rows left out."""

    name: str
    index: int
    is_active: bool
    rows: list[tuple[int, list]]


def check_upload(file_name: str, content: bytes) -> None:
    """The checks an upload can have at once, without parsing the file: size and kind.

    Raises `OrgsError` (import_file_empty, import_file_too_large, import_file_type).
    """
    if not content:
        raise file_error(OrgsErrorCode.IMPORT_FILE_EMPTY, _("Tệp rỗng."))
    max_bytes = settings.HOINGHI_IMPORT_MAX_BYTES
    if len(content) > max_bytes:
        raise file_error(
            OrgsErrorCode.IMPORT_FILE_TOO_LARGE,
            _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB."),
            size=_megabytes(len(content)),
            max=_megabytes(max_bytes),
        )
    lower = file_name.lower()
    if not (lower.endswith(ACCEPTED_EXTENSIONS) or content.startswith((ZIP_MAGIC, OLE_MAGIC))):
        raise file_error(
            OrgsErrorCode.IMPORT_FILE_TYPE,
            _("Chỉ nhận tệp Excel (.xlsx, .xls), OpenDocument (.ods) hoặc CSV (.csv)."),
        )


def open_sheets(file_name: str, content: bytes) -> list[Sheet]:
    """The visible sheets of a file, each with its non-blank rows.

    Raises `OrgsError` for a file that cannot be opened: see `check_upload`, and
    import_file_uncompressed_too_large, import_file_password, import_file_unreadable,
    import_too_many_rows, import_too_many_columns.
    """
    check_upload(file_name, content)
    if content.startswith(OLE_MAGIC) and ENCRYPTED_PACKAGE in content:
        raise _password_protected()
    if content.startswith(ZIP_MAGIC):
        _check_uncompressed_size(content)
        return _workbook_sheets(content, active=_xlsx_active_tab(content))
    if content.startswith(OLE_MAGIC):
        return _workbook_sheets(content, active=0)
    if file_name.lower().endswith(SPREADSHEET_EXTENSIONS):
        raise unreadable()
    return [Sheet("CSV", 0, True, _limited(_csv_rows(content)))]


def unreadable() -> OrgsError:
    return file_error(
        OrgsErrorCode.IMPORT_FILE_UNREADABLE,
        _("Không đọc được tệp: tệp bị hỏng hoặc không phải tệp Excel. Hãy mở bằng Excel và lưu lại."),
    )


def _password_protected() -> OrgsError:
    return file_error(
        OrgsErrorCode.IMPORT_FILE_PASSWORD,
        _(
            "Tệp được đặt mật khẩu nên không đọc được. Hãy mở bằng Excel, bỏ mật khẩu "
            "(Tệp → Thông tin → Bảo vệ sổ làm việc) rồi lưu và tải lên lại."
        ),
    )


def _check_uncompressed_size(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            total = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise unreadable() from error
    limit = settings.HOINGHI_IMPORT_MAX_UNCOMPRESSED_BYTES
    if total > limit:
        raise file_error(
            OrgsErrorCode.IMPORT_FILE_UNCOMPRESSED_TOO_LARGE,
            _(
                "Tệp giải nén ra %(size)s MB, quá giới hạn %(max)s MB (thường do hàng triệu dòng trống "
                "có định dạng). Hãy xóa các dòng, cột trống thừa rồi lưu lại."
            ),
            size=_megabytes(total),
            max=_megabytes(limit),
        )


def _xlsx_active_tab(content: bytes) -> int:
    """The sheet Excel shows on opening (workbook.xml's activeTab), 0 when it does not say."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            found = _ACTIVE_TAB.search(archive.read("xl/workbook.xml")[:4096])
    except (KeyError, zipfile.BadZipFile, ValueError, OSError):
        return 0
    return int(found.group(1)) if found else 0


def _workbook_sheets(content: bytes, *, active: int) -> list[Sheet]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except python_calamine.PasswordError as error:
        raise _password_protected() from error
    except Exception as error:  # noqa: BLE001 - calamine raises several kinds of error on a broken file
        raise unreadable() from error
    sheets = []
    try:
        for index, meta in enumerate(workbook.sheets_metadata):
            if meta.visible != python_calamine.SheetVisibleEnum.Visible:
                continue  # a hidden sheet is a helper of the workbook, never the list to import
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            try:
                sheet = workbook.get_sheet_by_index(index)
            except python_calamine.PasswordError as error:
                raise _password_protected() from error
            except Exception as error:  # noqa: BLE001
                raise unreadable() from error
            sheets.append(Sheet(meta.name, index, index == active, _sheet_rows(sheet)))
    finally:
        workbook.close()
    return sheets


def _sheet_rows(sheet) -> list[tuple[int, list]]:
    """The rows of a calamine sheet, numbered as the spreadsheet numbers them.

    calamine's `iter_rows` starts at the first column holding a cell, and (in 0.9) at the top
    row of the sheet, not at the first row holding a cell: the count of rows it yielded tells
    which, so the numbers stay right whichever way a later version goes.
    """
    top, left = sheet.start or (0, 0)
    count = 0

    def counted():
        nonlocal count
        for offset, cells in enumerate(sheet.iter_rows()):
            count += 1
            yield offset + 1, [None] * left + cells if left else cells

    rows = _limited(counted())
    if top and count == sheet.height:  # the rows started at the first row holding a cell
        rows = [(number + top, cells) for number, cells in rows]
    return rows


def _csv_rows(content: bytes) -> Iterator[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError as error:
        raise file_error(
            OrgsErrorCode.IMPORT_FILE_UNREADABLE,
            _("Tệp CSV không phải mã UTF-8. Trong Excel hãy chọn Lưu thành “CSV UTF-8 (Comma delimited)”."),
        ) from error
    lines = text.splitlines()
    # Excel writes ";" where the decimal separator is ",", as in Vietnamese settings: take the
    # delimiter that splits the first lines most evenly into the most cells (csv.Sniffer
    # guesses wrongly on short files and on names that contain commas).
    sample = [line for line in lines[:30] if line.strip()]

    def width(separator: str) -> tuple[int, int]:
        counts = [len(next(csv.reader([line], delimiter=separator))) for line in sample]
        return (max(counts, default=1), -len(set(counts)))

    delimiter = max((",", ";", "\t"), key=width)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Our own exports guard formula-like text with an apostrophe (core.spreadsheets): drop it.
    for row in reader:
        yield reader.line_num, [csv_text_read(cell) for cell in row]


def is_blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _limited(rows: Iterator[tuple[int, list]]) -> list[tuple[int, list]]:
    """The non-blank rows, trailing blank cells cut, within the row and column limits."""
    max_rows = settings.HOINGHI_IMPORT_MAX_ROWS + 50  # room for a title block and a header
    max_columns = settings.HOINGHI_IMPORT_MAX_COLUMNS
    kept: list[tuple[int, list]] = []
    for number, cells in rows:
        if not any(cells):  # the fast path for the blank rows of a formatted sheet: "" and None
            continue
        end = len(cells)
        while end and is_blank(cells[end - 1]):
            end -= 1
        if not end:
            continue
        if end > max_columns:
            raise file_error(
                OrgsErrorCode.IMPORT_TOO_MANY_COLUMNS,
                _("Dòng %(row)s có dữ liệu ở cột thứ %(count)s; tệp nhập chỉ được tối đa %(max)s cột."),
                row=number,
                count=end,
                max=max_columns,
            )
        if len(kept) >= max_rows:
            raise too_many_rows(settings.HOINGHI_IMPORT_MAX_ROWS)
        kept.append((number, cells[:end]))
    return kept


def too_many_rows(max_rows: int) -> OrgsError:
    return file_error(
        OrgsErrorCode.IMPORT_TOO_MANY_ROWS,
        _("Tệp có hơn %(max)s dòng dữ liệu. Hãy chia thành nhiều tệp nhỏ hơn."),
        max=f"{max_rows:,}".replace(",", "."),
    )


def column_letter(index: int) -> str:
    """0 -> "A", 26 -> "AA": the column as the spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def clean_text(text: str, *, keep_lines: bool = False) -> str:
    """Text as it is stored: NFC, no NUL or zero-width characters, blanks collapsed.

    Non-breaking spaces, tabs and runs of spaces become one space; decomposed diacritics (NFD,
    as macOS and some web forms write them) are composed. NUL characters (a CSV can hold them)
    mean nothing in a cell, and PostgreSQL refuses them in text, which would fail the apply.
    """
    text = unicodedata.normalize("NFC", text.replace("\x00", "").replace("\u200b", "").replace("\ufeff", ""))
    if keep_lines:
        return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    return " ".join(text.split())
