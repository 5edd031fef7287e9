"""Planning a units file: every row checked against the database, and what importing it would do.

Units are matched on codes, so re-importing an unchanged file plans no change. Existing units
are loaded once into a dictionary: a 25,000-row file costs a few queries, not one per row.
This module only reads.
"""

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from hoinghi.orgs.errors import ImportRowErrorCode
from hoinghi.orgs.importers.checking import RowErrors, _Cells, _lookup
from hoinghi.orgs.importers.mapping import Column
from hoinghi.orgs.importers.reading import Progress, Table
from hoinghi.orgs.models import Province, Sector, Unit, UnitKind
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
    source: dict = field(default_factory=dict)  # sheet, header row, legacy font
    undecided: int = 0  # nothing for a clerk to decide in a units file

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
            **self.source,
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
    errors = RowErrors(table.labels)
    existing = _existing_units()
    by_id = {unit.id: unit for unit in existing.values()}
    kinds = _lookup(list(UnitKind.objects.all()), lambda kind: kind.code, lambda kind: kind.name)
    with translation.override("vi"):  # the file's words are Vietnamese whatever the page's language
        sectors = _lookup(list(Sector), lambda sector: sector.value, lambda sector: str(sector.label))
    provinces = _province_lookup()
    plan = UnitPlan(
        scope_path,
        len(table.rows),
        errors,
        existing,
        ignored_headers=table.ignored_headers,
        source=table.describe(),
    )
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
            _("Đơn vị “%(code)s” nằm ngoài phạm vi được giao nhập dữ liệu."),
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
            _("Đơn vị cấp trên “%(code)s” nằm ngoài phạm vi được giao nhập dữ liệu."),
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
