"""The people of the scenario: the leaders of December 2018, how a person is drawn, and which of
the five categories of key officials (DESIGN.md) a planned person falls in."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from hoinghi.demo import names
from hoinghi.demo.scenario.tree import COMMITTEE_ROLES, KINDS, LARGE_UNION_MEMBERS, PlannedUnit
from hoinghi.orgs.vietnamese import fold

# The leaders of the Confederation in December 2018, who open the conference and present its topics.
NATIONAL_LEADERS = (
    ("Bùi", "Văn", "Cường", "male", "president"),
    ("Trần", "Thanh", "Hải", "male", "vice_president"),
    ("Ngọ", "Duy", "Hiểu", "male", "vice_president"),
    ("Phan", "Văn", "Anh", "male", "vice_president"),
    ("Nguyễn", "Thị Thu", "Hồng", "female", "vice_president"),
    ("Trần", "Văn", "Lý", "male", "vice_president"),
)


@dataclass(eq=False)
class PlannedPerson:
    family_name: str
    middle_name: str
    given_name: str
    gender: str
    birth_date: date
    phone: str
    email: str
    unit: PlannedUnit
    positions: list[tuple[str, bool]] = field(default_factory=list)  # (role code, is_full_time)


class _People:
    """Draws realistic people; each stream of the plan has its own seeded generator."""

    def __init__(self) -> None:
        self.family = [name for name, _weight in names.FAMILY_NAMES]
        self.family_weights = [weight for _name, weight in names.FAMILY_NAMES]

    def person(
        self,
        rng: random.Random,
        unit: PlannedUnit,
        *,
        positions,
        level: int,
        gender: str | None = None,
        parts: tuple[str, str, str] | None = None,
    ) -> PlannedPerson:
        gender = gender or ("female" if rng.random() < 0.42 else "male")
        if parts is None:
            middle_pool = names.MIDDLE_NAMES[gender]
            family = rng.choices(self.family, self.family_weights)[0]
            middle = rng.choices([m for m, _w in middle_pool], [w for _m, w in middle_pool])[0]
            given = rng.choice(names.GIVEN_NAMES[gender])
        else:
            family, middle, given = parts
        birth = date(1958, 1, 1) + timedelta(days=rng.randrange(0, 37 * 365))
        phone = "" if rng.random() < 0.02 else f"09{rng.randrange(10**8):08d}"
        # Officials of upper levels nearly all have an office address; grassroots ones less often.
        email = ""
        if rng.random() < (0.9 if level <= 2 else 0.45):
            local = fold(f"{given}.{family}").replace(" ", "")
            email = f"{local}{rng.randrange(1, 999)}@congdoan.vn"
        return PlannedPerson(family, middle, given, gender, birth, phone, email, unit, list(positions))


def person_categories(person: PlannedPerson) -> set[int]:
    """Which of the five categories of key officials (DESIGN.md) a planned person falls in."""
    categories = set()
    level = _KIND_LEVEL[person.unit.kind]
    for role, is_full_time in person.positions:
        if role in COMMITTEE_ROLES:
            categories.add({"national": 1, "provincial": 2, "district": 3}.get(level, 0))
        if is_full_time:
            categories.add(4)
        if role == "grassroots_chair" and person.unit.member_count >= LARGE_UNION_MEMBERS:
            categories.add(5)
    categories.discard(0)
    return categories


_KIND_LEVEL = {code: level for code, _name, level in KINDS}
