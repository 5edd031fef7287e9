"""Planning a people file: every row against the stored people, and what importing it would do.

Rows are read by `people_rows`. Then each row finds its person: by code, or, without a code, by
name, year of birth and unit. A likely duplicate (the same name, year and unit under another
code, or twice in the file) waits for the clerk's `Decision`. Stored people, their current
positions and the codes taken are loaded once, in chunks: a 25,000-row file costs a few dozen
queries. This module only reads.
"""

from django.utils.translation import gettext as _

from hoinghi.orgs.errors import ImportRowErrorCode
from hoinghi.orgs.importers.checking import RowErrors, _Cells, _chunks
from hoinghi.orgs.importers.matching import People, StoredPerson, taken_codes
from hoinghi.orgs.importers.people_rows import (
    DEFAULTS,
    PERSON_VALUE_FIELDS,
    Decision,
    PeoplePlan,
    PersonRow,
    read_row,
    row_context,
)
from hoinghi.orgs.importers.reading import Progress, Table
from hoinghi.orgs.models import Position

MADE_CODE_DIGITS = 4


def plan_people(
    table: Table, *, scope_path: str, progress: Progress | None = None, decisions: dict | None = None
) -> PeoplePlan:
    """Check a people file against the database and say what importing it would do.

    `decisions` are the clerk's answers for likely duplicates, by row number (`Decision`).
    """
    columns = {column.key: column for column in table.columns}
    errors = RowErrors(table.labels)
    plan = PeoplePlan(len(table.rows), errors, ignored_headers=table.ignored_headers, source=table.describe())
    present = set(table.rows[0][1]) if table.rows else set()
    context = row_context(scope_path)
    progress = progress or Progress(None)
    progress.start("checking", len(table.rows))

    rows: list[PersonRow] = []
    first_row: dict[str, int] = {}
    for number, raw in table.rows:
        progress.step()
        cells = _Cells(number, raw, columns, errors)
        row = read_row(cells, present, context, scope_path)
        if row.code:
            if row.code in first_row:
                cells.error(
                    "code",
                    ImportRowErrorCode.DUPLICATE_CODE,
                    _("Mã “%(code)s” đã có ở dòng %(first)s của tệp."),
                    code=row.code,
                    first=first_row[row.code],
                )
                continue
            first_row[row.code] = number
        rows.append(row)

    people = People(PERSON_VALUE_FIELDS)
    people.load(
        codes=[row.code for row in rows if row.code],
        unit_ids={row.values["unit_id"] for row in rows if row.values["unit_id"]},
    )
    progress.start("comparing", len(rows))
    _Matcher(plan, people, columns, context, scope_path, decisions or {}).run(rows, progress)
    return plan


class _Matcher:
    """Finds each row's person, flags likely duplicates and fills the plan."""

    def __init__(
        self, plan: PeoplePlan, people: People, columns: dict, context: dict, scope_path: str, decisions: dict
    ):
        self.plan, self.people, self.columns, self.context = plan, people, columns, context
        self.scope_path = scope_path
        self.decisions = {str(row): choice for row, choice in decisions.items()}
        self.errors: RowErrors = plan.errors
        self.seen: dict[tuple, PersonRow] = {}  # (name, year, unit) -> the first row
        self.targets: dict[int, int] = {}  # stored person id -> the row that updates them
        self.to_create: list[PersonRow] = []
        self.to_update: list[tuple[PersonRow, StoredPerson]] = []

    def run(self, rows: list[PersonRow], progress: Progress) -> None:
        for row in rows:
            progress.step()
            if row.is_valid:
                self._place(row)
        without_code = [row for row in self.to_create if not row.code]
        if without_code:
            made_codes(without_code, {row.code for row in rows if row.code})
            self.plan.codes_made = len(without_code)
        held = current_positions([stored.id for _row, stored in self.to_update])
        for row in self.to_create:
            row.values = {**DEFAULTS, **row.values}
            self.plan.create.append(row)
            self.plan.positions_to_create.extend(
                (row.code, unit_id, role_id, bool(flag))
                for (unit_id, role_id), flag in (row.positions or {}).items()
            )
        for row, stored in self.to_update:
            self._compare(row, stored, held.get(stored.id, {}))

    def _duplicate(self, row: PersonRow, other: str, *, can_merge: bool) -> str:
        """Record a likely duplicate; the clerk's decision for it, "" while there is none."""
        choices = [Decision.KEEP, Decision.SKIP] + ([Decision.MERGE] if can_merge else [])
        choice = self.decisions.get(str(row.row), "")
        if choice not in choices:
            choice = ""
        self.plan.duplicates.append(
            {
                "row": row.row,
                "code": row.code,
                "name": row.full_name,
                "birth": row.birth_label,
                "unit": row.unit_code,
                "other": other,
                "choices": [str(item) for item in choices],
                "choice": str(choice),
            }
        )
        return choice

    def _place(self, row: PersonRow) -> None:
        year = row.values.get("birth_year")
        unit_id = row.values["unit_id"]
        stored = self.people.by_code.get(row.code) if row.code else None
        if stored is not None:
            if not stored.unit_path.startswith(self.scope_path):
                self._error(row, "code", ImportRowErrorCode.OUTSIDE_SCOPE, row.code)
                return
            self._update(row, stored)
            return
        key = (row.name_key, year, unit_id)
        first = self.seen.setdefault(key, row)
        if first is not row:
            choice = self._duplicate(row, _("dòng %(row)s của tệp") % {"row": first.row}, can_merge=False)
            if choice != Decision.KEEP:
                self.plan.skipped += choice == Decision.SKIP
                return
        candidates = [
            person
            for person in self.people.same_person(row.name_key, year, unit_id)
            if person.code != row.code
        ]
        if not row.code:
            if len(candidates) > 1:
                self._error(row, "full_name", ImportRowErrorCode.AMBIGUOUS_PERSON, row.full_name, candidates)
            elif candidates and candidates[0].id not in self.targets:
                self.plan.matched.append({"row": row.row, "name": row.full_name, "code": candidates[0].code})
                self._update(row, candidates[0])
            else:
                self.to_create.append(row)
            return
        if candidates:
            other = candidates[0]
            choice = self._duplicate(
                row,
                f"{other.code} ({_('đã có')})",
                can_merge=len(candidates) == 1 and other.id not in self.targets,
            )
            if choice == Decision.MERGE:
                self._update(row, other)
                return
            if choice != Decision.KEEP:
                self.plan.skipped += choice == Decision.SKIP
                return
        self.to_create.append(row)

    def _error(self, row: PersonRow, key: str, code, value: str, candidates=()) -> None:
        column = self.columns.get(key) or self.columns["given_name"]
        if code == ImportRowErrorCode.OUTSIDE_SCOPE:
            message = _("Cán bộ “%(code)s” thuộc đơn vị nằm ngoài phạm vi được giao nhập dữ liệu.")
            self.errors.add(row.row, column, code, message, value, code=value)
        else:
            message = _(
                "Có %(count)s cán bộ cùng họ tên, năm sinh và đơn vị: %(codes)s. Hãy ghi mã cán bộ vào tệp."
            )
            codes = ", ".join(person.code for person in candidates)
            self.errors.add(row.row, column, code, message, value, count=len(candidates), codes=codes)

    def _position_label(self, key: tuple[int, int]) -> str:
        unit = self.context["units"].get(key[0])
        role = self.context["roles"].by_id.get(key[1])
        return f"{role.name if role else key[1]} ({unit.code if unit else key[0]})"

    def _update(self, row: PersonRow, stored: StoredPerson) -> None:
        row.person_id = stored.id
        row.code = stored.code
        self.targets[stored.id] = row.row
        self.to_update.append((row, stored))

    def _compare(self, row: PersonRow, stored: StoredPerson, held: dict) -> None:
        current = dict(zip(PERSON_VALUE_FIELDS, stored.values, strict=True))
        values = {**current, **row.values}
        if row.values.get("birth_date") is None and row.values.get("birth_year") == current["birth_year"]:
            values["birth_date"] = current["birth_date"]  # the year alone says no more than the date stored
        row.values = values
        is_changed = tuple(values[name] for name in PERSON_VALUE_FIELDS) != stored.values
        change = {"ended": [], "added": [], "full_time": []}
        if row.positions is not None:
            for key, (position_id, flag) in held.items():
                if key[0] not in row.position_units:
                    continue
                if key not in row.positions:
                    self.plan.positions_to_end.append(position_id)
                    change["ended"].append(key)
                elif row.positions[key] is not None and row.positions[key] != flag:
                    self.plan.positions_full_time[position_id] = row.positions[key]
                    change["full_time"].append(key)
            for key, flag in row.positions.items():
                if key not in held:
                    self.plan.positions_to_create.append((row.code, key[0], key[1], bool(flag)))
                    change["added"].append(key)
        if change["ended"] or change["full_time"] or (change["added"] and held):
            labels = {name: [self._position_label(key) for key in keys] for name, keys in change.items()}
            self.plan.position_changes.append(
                {"row": row.row, "code": row.code, "name": row.full_name, **labels}
            )
        if is_changed or any(change.values()):
            self.plan.update.append(row)
        else:
            self.plan.unchanged += 1


def current_positions(person_ids: list[int]) -> dict[int, dict[tuple[int, int], tuple]]:
    """{person id: {(unit id, role id): (position id, full-time)}} of their current positions."""
    held: dict[int, dict] = {}
    for chunk in _chunks(person_ids):
        rows = Position.objects.filter(person_id__in=chunk, end_date__isnull=True).values_list(
            "pk", "person_id", "unit_id", "role_id", "is_full_time"
        )
        for pk, person_id, unit_id, role_id, is_full_time in rows:
            held.setdefault(person_id, {})[unit_id, role_id] = (pk, is_full_time)
    return held


def made_codes(rows: list[PersonRow], file_codes: set[str]) -> None:
    """Give each row without a code one made from its unit's code: "HN-BD-0001", the first free."""

    def prefix_of(row: PersonRow) -> str:
        return f"{row.unit_code[: 50 - MADE_CODE_DIGITS - 1]}-"

    taken = taken_codes({prefix_of(row) for row in rows}) | file_codes
    next_number: dict[str, int] = {}
    for row in rows:
        prefix = prefix_of(row)
        number = next_number.get(prefix, 1)
        while f"{prefix}{number:0{MADE_CODE_DIGITS}d}" in taken:
            number += 1
        row.code = f"{prefix}{number:0{MADE_CODE_DIGITS}d}"
        taken.add(row.code)
        next_number[prefix] = number + 1
