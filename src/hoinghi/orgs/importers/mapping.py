"""The file format of an import: its columns, the headings offices give them, and cells as text.

The column layouts are shared with `orgs.exporters`, so that an export imports back unchanged.
Offices send their own layouts too, and `headers` finds the table in them: each column accepts
the usual Vietnamese headings and their variants ("Họ và tên", "Họ tên", "SĐT", "Năm sinh"...),
matched without diacritics, case or punctuation. Beyond the columns of our own layout, a
people file may give the whole name in one column ("Họ và tên", split the Vietnamese way), the
family and middle names in one ("Họ đệm"), and the year of birth under a "Nam" or "Nữ" column
(the official-letter form, where the column also says the gender).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils.translation import gettext_lazy

from hoinghi.orgs.importers.files import clean_text
from hoinghi.orgs.models import ImportKind
from hoinghi.orgs.vietnamese import fold

ROLE_SEPARATOR = ";"
ROLE_UNIT_SEPARATOR = "@"
# The "Chức vụ" value that ends the person's positions in the row's unit; a blank cell changes nothing.
POSITION_END_VALUES = frozenset({"-", "--", "thoi", "(thoi)", "thoi giu chuc", "(thoi giu chuc)"})


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # part of the file format: Vietnamese whatever the interface language
    help: str
    max_length: int | None = None
    aliases: tuple[str, ...] = ()


UNIT_COLUMNS = (
    Column("code", "Mã đơn vị", gettext_lazy("bắt buộc, không trùng"), 50, ("mã", "mã số", "mã đv")),
    Column(
        "name", "Tên đơn vị", gettext_lazy("bắt buộc"), 255, ("tên", "đơn vị", "tên công đoàn", "tên cđcs")
    ),
    Column("short_name", "Tên viết tắt", gettext_lazy("có thể để trống"), 100, ("viết tắt", "tên tắt")),
    Column(
        "parent",
        "Mã đơn vị cấp trên",
        gettext_lazy("mã một đơn vị đã có hoặc có trong tệp"),
        50,
        ("đơn vị cấp trên", "cấp trên", "mã cấp trên", "trực thuộc"),
    ),
    Column("kind", "Loại đơn vị", gettext_lazy("mã hoặc tên loại đơn vị"), None, ("loại", "loại hình")),
    Column(
        "sector",
        "Khu vực",
        gettext_lazy("nhà nước, ngoài nhà nước, hành chính sự nghiệp hoặc để trống"),
        None,
    ),
    Column(
        "member_count",
        "Số đoàn viên",
        gettext_lazy("số nguyên, trống là 0"),
        None,
        ("đoàn viên", "tổng số đoàn viên", "số đv"),
    ),
    Column(
        "worker_count",
        "Số lao động",
        gettext_lazy("số nguyên hoặc để trống"),
        None,
        ("lao động", "tổng số lao động", "số cnvclđ"),
    ),
    Column(
        "province",
        "Mã tỉnh",
        gettext_lazy("mã tỉnh, thành phố (01 là Hà Nội) hoặc để trống"),
        None,
        ("tỉnh", "tỉnh, thành phố", "tỉnh/thành phố", "tỉnh thành"),
    ),
)
PEOPLE_COLUMNS = (
    Column(
        "code",
        "Mã cán bộ",
        gettext_lazy(
            "có thể để trống: hệ thống tự tạo mã và nhận ra người đã có theo họ tên, năm sinh, đơn vị"
        ),
        50,
        ("mã cb", "mã số cán bộ", "mã nhân viên", "mã nv", "mã đoàn viên", "mã số", "mã"),
    ),
    Column("family_name", "Họ", gettext_lazy("có thể để trống"), 60),
    Column("middle_name", "Tên đệm", gettext_lazy("có thể để trống"), 80, ("đệm", "chữ đệm")),
    Column("given_name", "Tên", gettext_lazy("bắt buộc (hoặc một cột “Họ và tên”)"), 60, ("tên gọi",)),
    Column(
        "gender", "Giới tính", gettext_lazy("Nam, Nữ, Khác hoặc để trống"), None, ("giới", "phái", "nam/nữ")
    ),
    Column(
        "birth_date",
        "Ngày sinh",
        gettext_lazy("dd/mm/yyyy, ô ngày của Excel, hoặc chỉ năm sinh (1980)"),
        None,
        ("ngày tháng năm sinh", "ngày, tháng, năm sinh", "ngày/tháng/năm sinh", "năm sinh", "sinh năm", "ns"),
    ),
    Column(
        "phone",
        "Điện thoại",
        gettext_lazy("có thể để trống; số gõ thiếu số 0 đầu được thêm lại"),
        30,
        (
            "số điện thoại",
            "sđt",
            "đt",
            "số đt",
            "đtdđ",
            "di động",
            "điện thoại di động",
            "đt di động",
            "điện thoại liên hệ",
        ),
    ),
    Column(
        "email",
        "Thư điện tử",
        gettext_lazy("có thể để trống"),
        254,
        ("email", "e-mail", "e mail", "địa chỉ email", "địa chỉ thư điện tử", "hộp thư"),
    ),
    Column(
        "unit",
        "Mã đơn vị",
        gettext_lazy("bắt buộc: mã hoặc tên một đơn vị đã có"),
        255,
        ("đơn vị", "đơn vị công tác", "tên đơn vị", "cơ quan", "cơ quan, đơn vị", "nơi công tác"),
    ),
    Column(
        "roles",
        "Chức vụ",
        gettext_lazy(
            "mã, tên hoặc tên gọi tắt của chức vụ, nhiều chức vụ cách nhau bởi “;”; chức vụ ở đơn vị khác "
            "viết chức-vụ@mã-đơn-vị; để trống: giữ nguyên; “-” hoặc “(thôi)”: thôi mọi chức vụ ở đơn vị"
        ),
        None,
        ("chức danh", "chức vụ công đoàn", "chức vụ, chức danh", "chức vụ đảm nhiệm"),
    ),
    Column(
        "is_full_time",
        "Chuyên trách",
        gettext_lazy("“x” nếu là cán bộ chuyên trách, trống nếu không"),
        None,
        ("cán bộ chuyên trách",),
    ),
)
# Columns of the offices' own layouts, turned into the ones above by `checking`.
PEOPLE_EXTRA_COLUMNS = (
    Column("full_name", "Họ và tên", "", 200, ("họ tên", "họ, tên", "họ và tên cán bộ", "họ tên cán bộ")),
    Column("family_middle", "Họ đệm", "", 140, ("họ và đệm", "họ và tên đệm", "họ, tên đệm")),
    Column("birth_male", "Nam", "", None, ("năm sinh nam",)),
    Column("birth_female", "Nữ", "", None, ("năm sinh nữ", "nu")),
)
COLUMNS = {ImportKind.UNITS: UNIT_COLUMNS, ImportKind.PEOPLE: PEOPLE_COLUMNS}
EXTRA_COLUMNS = {ImportKind.UNITS: (), ImportKind.PEOPLE: PEOPLE_EXTRA_COLUMNS}
# Headings of columns that are never imported (numbering, notes): not offered for mapping.
IGNORED_HEADINGS = frozenset({"stt", "tt", "so tt", "so thu tu", "thu tu"})
# The columns a file must have; any one name column will do for people.
REQUIRED = {
    ImportKind.UNITS: (("code",), ("name",), ("parent",), ("kind",)),
    ImportKind.PEOPLE: (("given_name", "full_name"), ("unit",)),
}


def columns_for(kind: str) -> tuple[Column, ...]:
    """The columns of our own layout (the template, the export)."""
    return COLUMNS[ImportKind(kind)]


def all_columns_for(kind: str) -> tuple[Column, ...]:
    """Every column an import of `kind` can read: our own layout's and the offices' variants."""
    return COLUMNS[ImportKind(kind)] + EXTRA_COLUMNS[ImportKind(kind)]


def heading_key(text: str) -> str:
    """A heading as it is compared: folded, without parenthesised remarks or punctuation."""
    text = fold(re.sub(r"\([^)]*\)", " ", text)) or fold(text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def headings_for(kind: str) -> dict[str, str]:
    """{heading key: column key} of every accepted heading of a `kind` import."""
    found: dict[str, str] = {}
    for column in all_columns_for(kind):
        for heading in (column.header, *column.aliases):
            found.setdefault(heading_key(heading), column.key)
    return found


def _text(value) -> str:
    """A cell as text: numbers without a trailing ".0", dates as dd/mm/yyyy, blanks collapsed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)
