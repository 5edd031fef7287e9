"""The whole scenario in memory: the tree and its people drawn, then topped up so that the
conference comes to exactly 24,814 invitees with 1,700 at the host point."""

import random
from dataclasses import dataclass

from hoinghi.demo.scenario.people import NATIONAL_LEADERS, PlannedPerson, _People, person_categories
from hoinghi.demo.scenario.tree import (
    CORPORATION_UNIONS,
    HANOI_CODE,
    INDUSTRIAL_PROVINCES,
    LARGE_UNION_MEMBERS,
    ROOT_CODE,
    SECTOR_UNIONS,
    SEED,
    PlannedUnit,
    _district_code,
    _district_federation_name,
    _large_grassroots_name,
    _large_members,
    _province_code,
    _province_federation_name,
    _small_grassroots_name,
    _small_members,
    administrative_divisions,
    district_point_codes,
    point_unit,
)
from hoinghi.orgs.models import Sector

TARGET_INVITEES = 24_814
TARGET_HOST_INVITEES = 1_700


@dataclass
class Plan:
    root: PlannedUnit
    units: list[PlannedUnit]
    people: list[PlannedPerson]


class _Planner:
    def __init__(self, scale: int) -> None:
        self.scale = scale
        self.units: list[PlannedUnit] = []
        self.people: list[PlannedPerson] = []
        self.draw = _People()
        self.adjustable_full_time: list[PlannedPerson] = []  # district extras, removable to hit the target

    def unit(self, parent: PlannedUnit | None, **values) -> PlannedUnit:
        unit = PlannedUnit(parent=parent, **values)
        if parent is not None:
            parent.children.append(unit)
            unit.province = unit.province or parent.province
        self.units.append(unit)
        return unit

    def add(self, person: PlannedPerson) -> PlannedPerson:
        self.people.append(person)
        return person

    def committee(
        self,
        rng: random.Random,
        unit: PlannedUnit,
        *,
        level: int,
        executive: int,
        vice_presidents: int,
        inspection: int,
        full_time: int,
    ) -> list[PlannedPerson]:
        """An executive committee (president, vice-presidents, members), an inspection committee
        chaired by one of its members, and the full-time officials of the unit's office."""
        leaders = []
        president = self.add(self.draw.person(rng, unit, positions=[("president", True)], level=level))
        leaders.append(president)
        for _ in range(vice_presidents):
            leaders.append(
                self.add(self.draw.person(rng, unit, positions=[("vice_president", True)], level=level))
            )
        members = []
        for index in range(executive - 1 - vice_presidents):
            # Heads of the office's departments sit on the committee and work full time.
            is_full_time = index < max(1, executive // 4)
            members.append(
                self.add(
                    self.draw.person(rng, unit, positions=[("executive_member", is_full_time)], level=level)
                )
            )
        chair = members[0] if members else president
        chair.positions.append(("inspection_chair", True))
        for index in range(inspection - 1):
            self.add(self.draw.person(rng, unit, positions=[("inspection_member", index == 0)], level=level))
        extras = [
            self.add(self.draw.person(rng, unit, positions=[("full_time_official", True)], level=level))
            for _ in range(full_time)
        ]
        return extras

    def grassroots(
        self, rng: random.Random, parent: PlannedUnit, code: str, name: str, *, sector: str, members: int
    ) -> PlannedUnit:
        workers = None
        if sector != Sector.ADMINISTRATIVE:
            workers = int(members * rng.uniform(1.02, 1.35))
        unit = self.unit(
            parent,
            code=code,
            name=name,
            kind="grassroots",
            sector=sector,
            member_count=members,
            worker_count=workers,
        )
        is_large = members >= LARGE_UNION_MEMBERS
        self.add(
            self.draw.person(
                rng, unit, positions=[("grassroots_chair", is_large and rng.random() < 0.6)], level=3
            )
        )
        if is_large or rng.random() < 0.5:
            self.add(self.draw.person(rng, unit, positions=[("grassroots_vice_chair", False)], level=3))
        if is_large and rng.random() < 0.5:
            self.add(self.draw.person(rng, unit, positions=[("full_time_official", True)], level=3))
        return unit


def build_plan(*, scale: int = 1) -> Plan:
    """The whole scenario in memory, with the invitee figures already made exact."""
    planner = _Planner(scale)
    rng = random.Random(SEED)
    root = planner.unit(
        None,
        code=ROOT_CODE,
        name="Tổng Liên đoàn Lao động Việt Nam",
        short_name="Tổng Liên đoàn",
        kind="national",
        place="Hà Nội",  # where its documents are issued: it has no province of its own
        has_point=True,
    )
    leaders = []
    for family, middle, given, gender, role in NATIONAL_LEADERS:
        leaders.append(
            planner.add(
                planner.draw.person(
                    rng, root, positions=[(role, True)], level=0, gender=gender, parts=(family, middle, given)
                )
            )
        )
    # 161 members of the 12th executive committee (six leaders above), 15 of the inspection committee.
    for index in range(161 - len(leaders)):
        planner.add(planner.draw.person(rng, root, positions=[("executive_member", index < 20)], level=0))
    planner.people[len(leaders)].positions.append(("inspection_chair", True))
    for index in range(14):
        planner.add(planner.draw.person(rng, root, positions=[("inspection_member", index < 6)], level=0))

    provinces = {p["code"]: p for p in administrative_divisions()}
    small_rng = random.Random(f"{SEED}-small")  # small grassroots unions: the only stream scale changes

    def small_unions(parent: PlannedUnit, count: int, wards: list[str], place: str) -> None:
        for _ in range(count * planner.scale):
            name, sector = _small_grassroots_name(small_rng, wards, place)
            number = len(parent.children) + 1
            planner.grassroots(
                small_rng,
                parent,
                f"{parent.code}-{number:04d}",
                name,
                sector=sector,
                members=_small_members(small_rng),
            )

    def large_unions(parent: PlannedUnit, count: int, place: str, sector: str | None = None) -> None:
        for _ in range(count):
            name, drawn_sector = _large_grassroots_name(rng, place)
            number = len(parent.children) + 1
            planner.grassroots(
                rng,
                parent,
                f"{parent.code}-{number:04d}",
                name,
                sector=sector or drawn_sector,
                members=_large_members(rng),
            )

    # Central sector unions and corporation unions, attached to the centre.
    for prefix, kind, unions in (
        ("CDN", "sector_union", SECTOR_UNIONS),
        ("CDTCT", "corporation_union", CORPORATION_UNIONS),
    ):
        for code, name, short_name, sector, uppers, large in unions:
            union = planner.unit(
                root, code=f"{prefix}-{code}", name=name, short_name=short_name, kind=kind, sector=sector
            )
            planner.committee(
                rng,
                union,
                level=1,
                executive=rng.randint(21, 31),
                vice_presidents=rng.randint(2, 3),
                inspection=rng.randint(5, 7),
                full_time=rng.randint(5, 12),
            )
            places = [p["short_name"] for p in provinces.values()]
            for number, upper_name in enumerate(uppers, start=1):
                upper = planner.unit(
                    union,
                    code=f"{union.code}-{number:02d}",
                    name=f"Công đoàn {upper_name}",
                    kind="upper_grassroots_union",
                    sector=sector,
                )
                planner.committee(
                    rng,
                    upper,
                    level=2,
                    executive=rng.randint(9, 13),
                    vice_presidents=1,
                    inspection=3,
                    full_time=rng.randint(0, 2),
                )
                small_unions(upper, rng.randint(4, 9), [], rng.choice(places))
                large_unions(upper, large // 2, rng.choice(places), sector)
            small_unions(union, rng.randint(5, 12), [], rng.choice(places))
            large_unions(union, large - large // 2 * bool(uppers), rng.choice(places), sector)

    # The 63 provincial and city federations and their district-level unions.
    point_codes = district_point_codes()
    for province in provinces.values():
        federation = planner.unit(
            root,
            code=_province_code(province),
            name=_province_federation_name(province),
            short_name=f"LĐLĐ {province['short_name']}",
            kind="provincial_federation",
            province=province["code"],
            has_point=province["code"] != HANOI_CODE,
        )
        planner.committee(
            rng,
            federation,
            level=1,
            executive=rng.randint(27, 41),
            vice_presidents=3,
            inspection=rng.randint(5, 9),
            full_time=rng.randint(15, 30),
        )
        public_servants = planner.unit(
            federation,
            code=f"{federation.code}-VC",
            name=f"Công đoàn Viên chức {province['short_name']}",
            kind="local_public_servants_union",
            sector=Sector.ADMINISTRATIVE,
        )
        planner.committee(
            rng,
            public_servants,
            level=2,
            executive=rng.randint(9, 15),
            vice_presidents=1,
            inspection=3,
            full_time=rng.randint(2, 4),
        )
        small_unions(public_servants, rng.randint(6, 12), [], province["short_name"])
        large_total = INDUSTRIAL_PROVINCES.get(province["code"], rng.randint(1, 2))
        targets: list[PlannedUnit] = []
        if province["code"] in INDUSTRIAL_PROVINCES and large_total >= 10:
            zones = planner.unit(
                federation,
                code=f"{federation.code}-KCN",
                name=f"Công đoàn các Khu công nghiệp {province['short_name']}",
                kind="industrial_zone_union",
                sector=Sector.NON_STATE,
            )
            planner.committee(
                rng,
                zones,
                level=2,
                executive=rng.randint(11, 17),
                vice_presidents=2,
                inspection=3,
                full_time=rng.randint(3, 6),
            )
            small_unions(zones, rng.randint(10, 20), [], province["short_name"])
            large_unions(zones, large_total * 6 // 10, province["short_name"])
            large_total -= large_total * 6 // 10
        for district in province["districts"]:
            code = _district_code(province, district)
            unit = planner.unit(
                federation,
                code=code,
                name=_district_federation_name(district),
                kind="district_federation",
                has_point=code in point_codes,
            )
            extras = planner.committee(
                rng,
                unit,
                level=2,
                executive=rng.randint(13, 21),
                vice_presidents=2,
                inspection=rng.randint(3, 5),
                full_time=rng.randint(1, 4),
            )
            planner.adjustable_full_time.extend(extras)
            place = district["name"].split(" ", 1)[1] if " " in district["name"] else district["name"]
            small_unions(unit, rng.randint(6, 14), district["wards"], place)
            targets.append(unit)
        for index in range(large_total):
            target = targets[index % len(targets)] if index < len(targets) else rng.choice(targets)
            large_unions(target, 1, target.name.removeprefix("Liên đoàn Lao động ").split(" ", 1)[-1])

    _sum_members(root)
    _make_exact(planner, rng, root)
    return Plan(root=root, units=planner.units, people=planner.people)


def _sum_members(unit: PlannedUnit) -> int:
    if unit.children:
        unit.member_count = sum(_sum_members(child) for child in unit.children)
    return unit.member_count


def _make_exact(planner: _Planner, rng: random.Random, root: PlannedUnit) -> None:
    """Add the central agency's full-time officials to make 1,700 at the host point, then add or
    remove district full-time officials to make 24,814 in all."""
    invited = [p for p in planner.people if person_categories(p)]
    at_host = sum(1 for p in invited if point_unit(p.unit) is root)
    agency = TARGET_HOST_INVITEES - at_host
    if agency < 0:
        raise AssertionError(f"the host point already has {at_host} invitees")
    for _ in range(agency):
        planner.add(planner.draw.person(rng, root, positions=[("full_time_official", True)], level=0))
    missing = TARGET_INVITEES - (len(invited) + agency)
    if missing > 0:
        districts = [u for u in planner.units if u.kind == "district_federation"]
        for index in range(missing):
            unit = districts[index % len(districts)]
            planner.add(planner.draw.person(rng, unit, positions=[("full_time_official", True)], level=2))
    elif missing < 0:
        # Take one extra official from each of many districts rather than many from a few.
        by_unit: dict[int, list[PlannedPerson]] = {}
        for person in planner.adjustable_full_time:
            by_unit.setdefault(id(person.unit), []).append(person)
        removable: list[PlannedPerson] = []
        while len(removable) < -missing and any(by_unit.values()):
            for extras in by_unit.values():
                if extras and len(removable) < -missing:
                    removable.append(extras.pop())
        if len(removable) < -missing:
            raise AssertionError("not enough district full-time officials to remove")
        removed = {id(person) for person in removable}
        planner.people = [p for p in planner.people if id(p) not in removed]
