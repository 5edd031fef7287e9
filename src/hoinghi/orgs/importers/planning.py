"""Planning an import: every row checked against the database, and what importing would do.

`plan_units` / `plan_people` take the rows of a whole file and return a plan: what would be
added, changed or left alone, and every error with its row, column and reason. Everything is
matched on codes, so re-importing an unchanged file plans no change. Existing units, people and
positions are loaded once into dictionaries: a 25,000-row file costs a few dozen queries, not
one per row. This module only reads.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from hoinghi.orgs.errors import ImportRowErrorCode
from hoinghi.orgs.importers.checking import RowErrors, _Cells, _chunks, _lookup
from hoinghi.orgs.importers.mapping import ROLE_SEPARATOR, ROLE_UNIT_SEPARATOR, Column, _text
from hoinghi.orgs.importers.reading import Progress, Table
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
