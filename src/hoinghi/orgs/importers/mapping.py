"""The file format of an import: its columns, how a header row maps onto them, and cells as text.

Column layouts are shared with `orgs.exporters`, so that an export imports back unchanged. The
headers are Vietnamese whatever the interface language, and matched without diacritics or case.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoinghi.orgs.errors import OrgsError, OrgsErrorCode
from hoinghi.orgs.models import ImportKind
from hoinghi.orgs.vietnamese import fold

ROLE_SEPARATOR = ";"
ROLE_UNIT_SEPARATOR = "@"


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


def _file_error(code: OrgsErrorCode, message: str, **params) -> OrgsError:
    return OrgsError(message, code=code, params=params)


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
