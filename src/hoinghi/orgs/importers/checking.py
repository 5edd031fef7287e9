"""Checking the cells of a row: each check records an error with its row and column, or gives a value.

Values are stored as they mean, not as they were typed: text in NFC with its blanks collapsed
(`files.clean_text`), a phone number with the leading 0 Excel drops from a number cell and in
one national form ("0912345678"; +84 and spaces removed, via phonenumbers), a bare year of
birth as a year, never as the Excel date serial it also is (1980 is 2 June 1905 as a serial).
"""

from collections.abc import Callable, Iterator
from datetime import date, datetime

import phonenumbers
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from hoinghi.orgs.errors import ImportRowErrorCode
from hoinghi.orgs.importers.mapping import Column, _text
from hoinghi.orgs.vietnamese import fold

QUERY_CHUNK = 900  # ids or codes per IN (...): below SQLite's and PostgreSQL's parameter limits
MAX_INTEGER = 2_147_483_647  # the largest count PostgreSQL's integer column (member_count) stores
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")
EARLIEST_BIRTH_YEAR = 1900
PHONE_REGION = "VN"
TRUE_FLAGS = frozenset({"x", "co", "1", "c", "yes", "true"})
FALSE_FLAGS = frozenset({"", "0", "khong", "k", "no", "false"})


class RowErrors:
    """Every error of a file, with the row number and column header where it was found.

    "column" is the column of our layout (stable, for programs); "heading" is the file's own
    heading and letter ("SĐT (F)"), which is what the clerk sees in the file.
    """

    def __init__(self, labels: dict[str, str] | None = None) -> None:
        self.items: list[dict] = []
        self.rows: set[int] = set()
        self.labels = labels or {}

    def add(
        self, row: int, column: Column, code: ImportRowErrorCode, message: str, value="", /, **params
    ) -> None:
        params = {key: str(param) for key, param in params.items()}
        self.items.append(
            {
                "row": row,
                "column": column.header,
                "heading": self.labels.get(column.key, column.header),
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

    def birth(self, key: str) -> tuple[date | None, int | None]:
        """A birth date or a bare year of birth: (date or None, year or None).

        A whole number from 1900 to this year is a year, typed or in a number cell; any other
        number is an Excel date serial (a date cell without a date format).
        """
        value = self.raw.get(key)
        this_year = timezone.localdate().year
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return self._birth_date(key, value, this_year)
        if isinstance(value, int | float) and not isinstance(value, bool):
            if float(value).is_integer() and EARLIEST_BIRTH_YEAR <= value <= this_year:
                return None, int(value)
            if 1 <= value < 100000:
                return self._birth_date(key, from_excel(value).date(), this_year)
        text = _text(value)
        if not text:
            return None, None
        if text.isdigit() and len(text) == 4:
            if EARLIEST_BIRTH_YEAR <= int(text) <= this_year:
                return None, int(text)
        else:
            for pattern in DATE_FORMATS:
                try:
                    parsed = datetime.strptime(text, pattern).date()
                except ValueError:
                    continue
                return self._birth_date(key, parsed, this_year, text)
        self.error(
            key,
            ImportRowErrorCode.BAD_DATE,
            _("“%(value)s” không phải ngày sinh (dd/mm/yyyy) hay năm sinh (yyyy) hợp lệ."),
            value=text,
        )
        return None, None

    def _birth_date(
        self, key: str, value: date, this_year: int, text: str = ""
    ) -> tuple[date | None, int | None]:
        if (
            value.year > 2000 + (this_year % 100)
            and text.count("/") == 2
            and len(text.rsplit("/", 1)[-1]) == 2
        ):
            value = value.replace(year=value.year - 100)  # "05/03/75": a two-digit year is in the past
        if EARLIEST_BIRTH_YEAR <= value.year <= this_year:
            return value, value.year
        self.error(
            key,
            ImportRowErrorCode.BAD_DATE,
            _("Ngày sinh “%(value)s” nằm ngoài khoảng %(first)s–%(last)s."),
            value=text or value.strftime("%d/%m/%Y"),
            first=EARLIEST_BIRTH_YEAR,
            last=this_year,
        )
        return None, None

    def phone(self, key: str) -> str:
        """A phone number in one national form: "0912345678"; a number from abroad as +CC..."""
        value = self.raw.get(key)
        text = _text(value)
        if not text:
            return ""
        digits = "".join(char for char in text if char.isdigit())
        if isinstance(value, int | float) and not isinstance(value, bool) and not text.startswith("0"):
            text = "0" + digits  # a number cell lost the leading 0: 912345678
        elif text.isdigit() and len(text) == 9 and not text.startswith("0"):
            text = "0" + text
        try:
            number = phonenumbers.parse(text, PHONE_REGION)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            self.error(
                key,
                ImportRowErrorCode.BAD_PHONE,
                _("“%(value)s” không phải số điện thoại hợp lệ (ví dụ 0912345678 hoặc +84912345678)."),
                value=_text(value),
            )
            return ""
        if phonenumbers.region_code_for_number(number) == PHONE_REGION:
            return "0" + str(number.national_number)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

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
