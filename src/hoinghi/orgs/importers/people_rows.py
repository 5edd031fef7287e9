"""The rows of a people file: what each row says, checked cell by cell, and the plan's shape.

A row names a stored person by code, or, when the file has no codes (the official-letter
form), by name, year of birth and unit; a person the file brings without a code gets one made
from the unit's code ("HN-BD-0001"). Two rows of the file, or a row and a stored person, with
the same name, year and unit but different codes are likely one person twice: the clerk
decides in the preview whether to keep both, skip the row, or update the stored person
(`Decision`); until then the file cannot be applied.

What a row leaves blank changes nothing stored: a blank "Chức vụ" keeps the person's positions
(only "-" or "(thôi)" ends them), a blank phone keeps the phone, and a column the file does not
have is not touched at all. The positions a row lists replace the person's current positions in
the units that row names (its own unit, and those of its "role@unit" entries); positions
elsewhere are left alone. The preview names every person whose positions end or change.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from hoinghi.orgs.errors import ImportRowErrorCode
from hoinghi.orgs.importers.checking import TRUE_FLAGS, RowErrors, _Cells
from hoinghi.orgs.importers.files import clean_text, is_blank
from hoinghi.orgs.importers.mapping import POSITION_END_VALUES, ROLE_SEPARATOR, ROLE_UNIT_SEPARATOR, _text
from hoinghi.orgs.importers.matching import Roles, Units, ambiguous_labels, name_key
from hoinghi.orgs.models import Gender
from hoinghi.orgs.vietnamese import fold, join_full_name, split_full_name

PERSON_VALUE_FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "birth_year",
    "phone",
    "email",
    "unit_id",
)
DEFAULTS = {"gender": "", "birth_date": None, "birth_year": None, "phone": "", "email": ""}


class Decision(StrEnum):
    KEEP = "keep"  # both are different people: create the row's person
    SKIP = "skip"  # the row is the same person: leave it out
    MERGE = "merge"  # the row is the stored person: update them (their code stays)


@dataclass
class PersonRow:
    row: int
    code: str
    values: dict  # PERSON_VALUE_FIELDS -> value; at first only those the row sets
    positions: dict[tuple[int, int], bool | None] | None  # None: the cell is blank, keep them
    position_units: set[int]  # the units whose current positions the row's list replaces
    name_key: str = ""
    unit_code: str = ""
    is_valid: bool = True
    person_id: int | None = None

    @property
    def full_name(self) -> str:
        return join_full_name(
            self.values["family_name"], self.values["middle_name"], self.values["given_name"]
        )

    @property
    def birth_label(self) -> str:
        birth = self.values.get("birth_date")
        return birth.strftime("%d/%m/%Y") if birth else str(self.values.get("birth_year") or "")


@dataclass
class PeoplePlan:
    """What importing a people file would do, down to each position to create, end or change."""

    rows: int
    errors: RowErrors
    create: list[PersonRow] = field(default_factory=list)
    update: list[PersonRow] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    positions_to_create: list[tuple[str, int, int, bool]] = field(default_factory=list)  # code, unit, role
    positions_to_end: list[int] = field(default_factory=list)
    positions_full_time: dict[int, bool] = field(default_factory=dict)  # position id -> new flag
    ignored_headers: list[str] = field(default_factory=list)
    source: dict = field(default_factory=dict)
    duplicates: list[dict] = field(default_factory=list)  # likely the same person twice
    matched: list[dict] = field(default_factory=list)  # rows without a code matched by name
    position_changes: list[dict] = field(default_factory=list)  # people whose positions end or change
    codes_made: int = 0

    @property
    def undecided(self) -> int:
        return sum(1 for duplicate in self.duplicates if not duplicate["choice"])

    @property
    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "added": len(self.create),
            "changed": len(self.update),
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "positions_added": len(self.positions_to_create),
            "positions_ended": len(self.positions_to_end),
            "positions_changed": len(self.positions_full_time),
            "error_rows": len(self.errors.rows),
            "ignored_headers": self.ignored_headers,
            "duplicates": len(self.duplicates),
            "undecided": self.undecided,
            "matched": len(self.matched),
            "codes_made": self.codes_made,
            **self.source,
        }

    @property
    def details(self) -> dict:
        return {
            "duplicates": self.duplicates,
            "matched": self.matched,
            "position_changes": self.position_changes,
        }


def _genders() -> dict[str, str]:
    """Accepted spellings of a gender; the labels are the Vietnamese ones whatever the page's language."""
    with translation.override("vi"):
        labels = {fold(str(label)): value for value, label in Gender.choices}
    return {**labels, **{value: value for value in Gender.values}, "m": Gender.MALE, "f": Gender.FEMALE}


def _names(cells: _Cells, present: set[str]) -> tuple[str, str, str]:
    """(family, middle, given): from their own columns, or split from "Họ và tên" the Vietnamese
    way (family = first word, given = last word, middle = the rest)."""
    if "given_name" in present or "full_name" not in present:
        family, middle = cells.text("family_name"), cells.text("middle_name")
        given = cells.text("given_name", required=True)
        if "family_middle" in present and not (family or middle):
            family, _space, middle = cells.text("family_middle").partition(" ")
    else:
        family, middle, given = split_full_name(cells.text("full_name", required=True))
        for part, limit in ((family, 60), (middle, 80), (given, 60)):
            if len(part) > limit:
                cells.error(
                    "full_name",
                    ImportRowErrorCode.TOO_LONG,
                    _("Một phần của họ tên dài quá %(max)s ký tự."),
                    max=limit,
                )
    if (family + middle + given).isupper():  # "NGUYỄN VĂN AN", as official lists type names
        family, middle, given = family.title(), middle.title(), given.title()
    return family, middle, given


def _gender_and_birth(cells: _Cells, present: set[str], genders: dict[str, str], values: dict) -> None:
    """Gender and birth, from their columns or from the official form's "Nam"/"Nữ" columns,
    where the year of birth is written under the person's gender."""
    gender_text = cells.text("gender") if "gender" in present else ""
    if gender_text:
        values["gender"] = genders.get(fold(gender_text), "")
        if not values["gender"]:
            cells.error(
                "gender",
                ImportRowErrorCode.UNKNOWN_GENDER,
                _("Giới tính “%(value)s” không hợp lệ (Nam, Nữ hoặc Khác)."),
                value=gender_text,
            )
    birth_date, birth_year = cells.birth("birth_date") if "birth_date" in present else (None, None)
    by_gender = [
        (key, gender)
        for key, gender in (("birth_male", Gender.MALE), ("birth_female", Gender.FEMALE))
        if key in present and not is_blank(cells.raw.get(key))
    ]
    if len(by_gender) > 1:
        cells.error(
            "birth_female",
            ImportRowErrorCode.UNKNOWN_GENDER,
            _("Năm sinh ghi ở cả cột “Nam” lẫn cột “Nữ”: chỉ ghi ở một cột."),
        )
    elif by_gender:
        key, values["gender"] = by_gender[0]
        if fold(_text(cells.raw.get(key))) not in TRUE_FLAGS:  # an "x" says the gender only
            birth_date, birth_year = cells.birth(key)
    if birth_year is not None:
        values["birth_date"], values["birth_year"] = birth_date, birth_year


def _unit(cells: _Cells, units: Units, key: str, text: str, scope_path: str):
    """The one unit in the scope that `text` names by code or name, or None with an error."""
    found = units.find(text)
    if not found:
        cells.error(
            key,
            ImportRowErrorCode.UNKNOWN_UNIT,
            _("Không có đơn vị mã hoặc tên “%(code)s” trong phạm vi nhập."),
            code=text,
        )
        return None
    if len(found) > 1:
        cells.error(
            key,
            ImportRowErrorCode.AMBIGUOUS_UNIT,
            _("Có %(count)s đơn vị tên “%(name)s”: %(units)s. Hãy ghi mã đơn vị."),
            count=len(found),
            name=text,
            units=ambiguous_labels(found),
        )
        return None
    if not found[0].path.startswith(scope_path):
        cells.error(
            key,
            ImportRowErrorCode.OUTSIDE_SCOPE,
            _("Đơn vị “%(code)s” nằm ngoài phạm vi được giao nhập dữ liệu."),
            code=text,
        )
        return None
    return found[0]


def _row_positions(
    cells: _Cells, unit, is_full_time: bool | None, roles: Roles, units: Units, scope_path: str
) -> tuple[dict[tuple[int, int], bool | None] | None, set[int]]:
    """The positions the "Chức vụ" cell lists ("role; role@UNIT; ..."), and the units it speaks of.

    A blank cell gives None (keep every position); "-" or "(thôi)" ends those in the row's unit.
    """
    raw = cells.raw.get("roles")
    text = clean_text(raw, keep_lines=True) if isinstance(raw, str) else _text(raw)
    if not text:
        return None, set()
    if fold(text) in POSITION_END_VALUES:
        return ({}, {unit.id}) if unit is not None else (None, set())
    positions: dict[tuple[int, int], bool | None] = {}
    position_units = {unit.id} if unit is not None else set()
    tokens = text.replace("\n", ROLE_SEPARATOR).replace(",", ROLE_SEPARATOR).split(ROLE_SEPARATOR)
    for token in (part.strip() for part in tokens):
        if not token:
            continue
        role_text, _at, unit_text = (part.strip() for part in token.partition(ROLE_UNIT_SEPARATOR))
        role = roles.find(role_text)
        if role is None:
            cells.error(
                "roles", ImportRowErrorCode.UNKNOWN_ROLE, _("Không có chức vụ “%(role)s”."), role=role_text
            )
            continue
        if not unit_text:
            if unit is not None:  # without the row's unit the row is refused anyway; its roles still checked
                positions[unit.id, role.pk] = is_full_time
            continue
        other = _unit(cells, units, "roles", unit_text, scope_path)
        if other is not None:
            position_units.add(other.id)
            # A position in another unit keeps its own full-time flag: the column speaks of the row's unit.
            positions.setdefault((other.id, role.pk), None)
    return positions, position_units


def read_row(cells: _Cells, present: set[str], context: dict, scope_path: str) -> PersonRow:
    """What one row says, each cell checked; errors go to the row's `_Cells`."""
    values: dict = {}
    code = cells.text("code") if "code" in present else ""
    values["family_name"], values["middle_name"], values["given_name"] = _names(cells, present)
    _gender_and_birth(cells, present, context["genders"], values)
    if "phone" in present:
        phone = cells.phone("phone")
        if phone:
            values["phone"] = phone
    if "email" in present:
        email = cells.text("email")
        if email:
            try:
                validate_email(email)
                values["email"] = email
            except ValidationError:
                cells.error(
                    "email",
                    ImportRowErrorCode.BAD_EMAIL,
                    _("“%(value)s” không phải địa chỉ thư điện tử."),
                    value=email,
                )
    unit_text = cells.text("unit", required=True)
    unit = _unit(cells, context["units"], "unit", unit_text, scope_path) if unit_text else None
    values["unit_id"] = unit.id if unit else None
    is_full_time = cells.flag("is_full_time") if "is_full_time" in present else None
    positions, position_units = _row_positions(
        cells, unit, is_full_time, context["roles"], context["units"], scope_path
    )
    if is_full_time and unit is not None and not any(positions.values() if positions else ()):
        cells.error(
            "is_full_time",
            ImportRowErrorCode.FLAG_WITHOUT_ROLE,
            _("Đánh dấu chuyên trách nhưng không có chức vụ nào tại đơn vị của cán bộ."),
        )
    row = PersonRow(
        cells.number,
        code,
        values,
        positions,
        position_units,
        name_key=name_key(values["family_name"], values["middle_name"], values["given_name"]),
        unit_code=unit.code if unit else "",
        is_valid=cells.is_valid,
    )
    return row


def row_context(scope_path: str) -> dict:
    """What reading rows needs, loaded once per file."""
    return {"genders": _genders(), "units": Units(scope_path), "roles": Roles(scope_path)}
