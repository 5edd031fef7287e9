"""Recognising what a people file names: units by code or name, roles by code, name or alias,
and people by code or by name, year of birth and unit.

Everything is loaded once per file into dictionaries; nothing here writes.
"""

from dataclasses import dataclass

from django.db.models import Q

from hoinghi.orgs.importers.checking import _chunks
from hoinghi.orgs.models import Person, PositionRole, PositionRoleAlias, Unit, alias_key
from hoinghi.orgs.vietnamese import fold, join_full_name

AMBIGUOUS_SHOWN = 5


@dataclass(frozen=True)
class KnownUnit:
    id: int
    code: str
    name: str
    path: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"


class Units:
    """Every unit by code; the units of the scope by folded name and short name as well.

    A name is looked up only inside the scope: the same school name in another province is
    not a candidate. A name several units of the scope share is ambiguous, and `find` returns
    all of them for the message to name.
    """

    def __init__(self, scope_path: str):
        self.scope_path = scope_path
        self.by_code: dict[str, KnownUnit] = {}
        self.by_name: dict[str, list[KnownUnit]] = {}
        rows = Unit.objects.values_list("pk", "code", "name", "short_name", "path")
        for pk, code, name, short_name, path in rows.iterator(chunk_size=5000):
            unit = KnownUnit(pk, code, name, path)
            self.by_code[code] = unit
            if path.startswith(scope_path):
                for text in {fold(name), fold(short_name)} - {""}:
                    self.by_name.setdefault(text, []).append(unit)

    def find(self, text: str) -> list[KnownUnit]:
        """The units `text` names: by code (anywhere: the caller checks the scope), else by name."""
        unit = self.by_code.get(text) or self.by_code.get(text.upper())
        if unit is not None:
            return [unit]
        return self.by_name.get(fold(text), [])

    def get(self, unit_id: int) -> KnownUnit | None:
        if not hasattr(self, "_by_id"):
            self._by_id = {unit.id: unit for unit in self.by_code.values()}
        return self._by_id.get(unit_id)


class Roles:
    """Roles by code, name and the aliases that hold in the scope ("CT", "P.CT", "UV BCH").

    Aliases hold in the subtree of their unit, so those given on the scope or above it apply
    to the whole file. Keys are `alias_key`s: folded, without spaces or punctuation.
    """

    def __init__(self, scope_path: str):
        roles = list(PositionRole.objects.all())
        self.by_id = {role.pk: role for role in roles}
        self.by_key: dict[str, PositionRole] = {}
        ancestors = [int(part) for part in scope_path.strip("/").split("/") if part]
        aliases = PositionRoleAlias.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=ancestors))
        # Nearer units win: an organisation's own alias over the one that holds everywhere.
        depth = {unit_id: position for position, unit_id in enumerate(ancestors)}
        for alias in sorted(aliases, key=lambda alias: depth.get(alias.unit_id, -1)):
            self.by_key[alias.key] = self.by_id[alias.role_id]
        for role in roles:  # a role's own name and code come before any alias
            self.by_key[alias_key(role.name)] = role
        for role in roles:
            self.by_key[alias_key(role.code)] = role

    def find(self, text: str) -> PositionRole | None:
        return self.by_key.get(alias_key(text))


@dataclass(frozen=True)
class StoredPerson:
    id: int
    code: str
    name_key: str
    birth_year: int | None
    unit_id: int
    unit_path: str
    values: tuple


def name_key(family_name: str, middle_name: str, given_name: str) -> str:
    return fold(join_full_name(family_name, middle_name, given_name))


class People:
    """The stored people a file can name: by code, and by (folded name, unit)."""

    def __init__(self, fields: tuple[str, ...]):
        self.fields = fields
        self.by_code: dict[str, StoredPerson] = {}
        self.by_name: dict[tuple[str, int], list[StoredPerson]] = {}

    def _load(self, query: Q) -> None:
        rows = Person.objects.filter(query).values_list(
            "pk", "code", "unit__path", "family_name", "middle_name", "given_name", "birth_year", *self.fields
        )
        for pk, code, path, family, middle, given, year, *values in rows:
            if code in self.by_code:
                continue
            values = dict(zip(self.fields, values, strict=True))
            person = StoredPerson(
                pk,
                code,
                name_key(family, middle, given),
                year,
                values["unit_id"],
                path,
                tuple(values.values()),
            )
            self.by_code[code] = person
            self.by_name.setdefault((person.name_key, person.unit_id), []).append(person)

    def load(self, *, codes: list[str], unit_ids: set[int]) -> None:
        for chunk in _chunks(codes):
            self._load(Q(code__in=chunk))
        for chunk in _chunks(sorted(unit_ids)):
            self._load(Q(unit_id__in=chunk))

    def same_person(self, key: str, year: int | None, unit_id: int) -> list[StoredPerson]:
        """Stored people of that name in that unit whose year of birth does not contradict."""
        return [
            person
            for person in self.by_name.get((key, unit_id), [])
            if year is None or person.birth_year is None or person.birth_year == year
        ]


def taken_codes(prefixes: set[str]) -> set[str]:
    """Stored codes starting with any of `prefixes` (for codes made for people without one)."""
    taken: set[str] = set()
    for chunk in _chunks(sorted(prefixes), 200):
        query = Q()
        for prefix in chunk:
            query |= Q(code__startswith=prefix)
        taken.update(Person.objects.filter(query).values_list("code", flat=True))
    return taken


def ambiguous_labels(units: list[KnownUnit]) -> str:
    shown = ", ".join(unit.label for unit in units[:AMBIGUOUS_SHOWN])
    return shown + (", …" if len(units) > AMBIGUOUS_SHOWN else "")
