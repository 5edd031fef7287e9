"""Checking the cells of a row: each check records an error with its row and column, or gives a value."""

from collections.abc import Callable, Iterator
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from hoinghi.orgs.errors import ImportRowErrorCode
from hoinghi.orgs.importers.mapping import Column, _text
from hoinghi.orgs.vietnamese import fold

QUERY_CHUNK = 900  # ids or codes per IN (...): below SQLite's and PostgreSQL's parameter limits
MAX_INTEGER = 2_147_483_647  # the largest count PostgreSQL's integer column (member_count) stores
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
TRUE_FLAGS = frozenset({"x", "co", "1", "c", "yes", "true"})
FALSE_FLAGS = frozenset({"", "0", "khong", "k", "no", "false"})


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
