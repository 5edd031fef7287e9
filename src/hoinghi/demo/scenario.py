"""The 2018 reference scenario: the Vietnam General Confederation of Labour as it stood in 2018.

The generator first builds a plan in memory (units, people, positions), counts the key officials
of the five categories of DESIGN.md on that plan, tops the plan up so that the conference of
6-12-2018 comes to exactly 24,814 invitees with 1,700 at the Hanoi host point, and only then
writes it with bulk inserts. Everything is drawn from `random.Random` streams with fixed seeds,
so two runs give the same tree, the same names and the same figures.

`scale` multiplies the small grassroots unions (and their people) only: the units that produce
key officials stay as they are, so the invitation list is the same at every scale while the tree
and the people table grow for benchmarks.
"""

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from hoinghi.core.models import audit
from hoinghi.core.tree import path_child
from hoinghi.demo import names
from hoinghi.orgs.models import (
    Level,
    Person,
    Position,
    PositionRole,
    Province,
    Sector,
    Unit,
    UnitKind,
    person_fill_derived,
    unit_fill_derived,
)
from hoinghi.orgs.vietnamese import fold

DATA_FILE = Path(__file__).parent / "data" / "vn_admin_2018.json"

SEED = 2018
ROOT_CODE = "TLD"
HANOI_CODE = "01"
TARGET_INVITEES = 24_814
TARGET_HOST_INVITEES = 1_700
DISTRICT_POINTS = 301
LARGE_UNION_MEMBERS = 2_000
RESOLUTION_START = date(2018, 9, 26)  # the 12th Congress elected its committees in September 2018

LEVELS = (
    ("national", "Trung ương", 0),
    ("provincial", "Tỉnh, thành phố, ngành Trung ương và tương đương", 1),
    ("district", "Cấp trên trực tiếp cơ sở (quận, huyện và tương đương)", 2),
    ("grassroots", "Cơ sở", 3),
)
KINDS = (
    ("national", "Tổng Liên đoàn Lao động Việt Nam", "national"),
    ("provincial_federation", "Liên đoàn Lao động tỉnh, thành phố", "provincial"),
    ("sector_union", "Công đoàn ngành Trung ương", "provincial"),
    ("corporation_union", "Công đoàn tổng công ty trực thuộc Tổng Liên đoàn", "provincial"),
    ("district_federation", "Liên đoàn Lao động quận, huyện, thị xã, thành phố", "district"),
    ("local_public_servants_union", "Công đoàn Viên chức tỉnh, thành phố", "district"),
    ("industrial_zone_union", "Công đoàn các khu công nghiệp, khu chế xuất", "district"),
    ("upper_grassroots_union", "Công đoàn cấp trên trực tiếp cơ sở thuộc ngành", "district"),
    ("grassroots", "Công đoàn cơ sở", "grassroots"),
)
ROLES = (
    ("president", "Chủ tịch", 10),
    ("vice_president", "Phó Chủ tịch", 20),
    ("executive_member", "Ủy viên Ban Chấp hành", 30),
    ("inspection_chair", "Chủ nhiệm Ủy ban Kiểm tra", 40),
    ("inspection_member", "Ủy viên Ủy ban Kiểm tra", 50),
    ("full_time_official", "Cán bộ chuyên trách", 60),
    ("grassroots_chair", "Chủ tịch công đoàn cơ sở", 70),
    ("grassroots_vice_chair", "Phó Chủ tịch công đoàn cơ sở", 80),
)
# Members of an executive or inspection committee: the key officials of categories 1-3.
COMMITTEE_ROLES = frozenset(
    {"president", "vice_president", "executive_member", "inspection_chair", "inspection_member"}
)

# The leaders of the Confederation in December 2018, who open the conference and present its topics.
NATIONAL_LEADERS = (
    ("Bùi", "Văn", "Cường", "male", "president"),
    ("Trần", "Thanh", "Hải", "male", "vice_president"),
    ("Ngọ", "Duy", "Hiểu", "male", "vice_president"),
    ("Phan", "Văn", "Anh", "male", "vice_president"),
    ("Nguyễn", "Thị Thu", "Hồng", "female", "vice_president"),
    ("Trần", "Văn", "Lý", "male", "vice_president"),
)

# code, name, short name, sector, upper grassroots unions beneath it, large grassroots unions
SECTOR_UNIONS = (
    ("GD", "Công đoàn Giáo dục Việt Nam", "CĐ Giáo dục VN", Sector.ADMINISTRATIVE, (), 1),
    ("YT", "Công đoàn Y tế Việt Nam", "CĐ Y tế VN", Sector.ADMINISTRATIVE, (), 2),
    (
        "CT",
        "Công đoàn Công Thương Việt Nam",
        "CĐ Công Thương VN",
        Sector.STATE,
        ("Tổng công ty Máy động lực và Máy nông nghiệp", "Tổng công ty Thương mại Hà Nội"),
        2,
    ),
    (
        "XD",
        "Công đoàn Xây dựng Việt Nam",
        "CĐ Xây dựng VN",
        Sector.STATE,
        ("Tổng công ty Xây dựng Hà Nội", "Tổng công ty Sông Đà"),
        2,
    ),
    (
        "GTVT",
        "Công đoàn Giao thông Vận tải Việt Nam",
        "CĐ GTVT VN",
        Sector.STATE,
        ("Tổng công ty Hàng hải Việt Nam", "Tổng công ty Xây dựng công trình giao thông 1"),
        2,
    ),
    (
        "NN",
        "Công đoàn Nông nghiệp và Phát triển nông thôn Việt Nam",
        "CĐ NN&PTNT VN",
        Sector.STATE,
        ("Tổng công ty Lương thực miền Bắc",),
        1,
    ),
    (
        "NH",
        "Công đoàn Ngân hàng Việt Nam",
        "CĐ Ngân hàng VN",
        Sector.STATE,
        ("Ngân hàng Nông nghiệp và Phát triển nông thôn Việt Nam", "Ngân hàng TMCP Công thương Việt Nam"),
        2,
    ),
    ("DM", "Công đoàn Dệt May Việt Nam", "CĐ Dệt May VN", Sector.STATE, ("Tổng công ty May 10",), 5),
    ("CS", "Công đoàn Cao su Việt Nam", "CĐ Cao su VN", Sector.STATE, ("Tổng công ty Cao su Đồng Nai",), 4),
    (
        "DL",
        "Công đoàn Điện lực Việt Nam",
        "CĐ Điện lực VN",
        Sector.STATE,
        ("Tổng công ty Điện lực miền Bắc", "Tổng công ty Điện lực miền Nam"),
        3,
    ),
    (
        "DK",
        "Công đoàn Dầu khí Việt Nam",
        "CĐ Dầu khí VN",
        Sector.STATE,
        ("Tổng công ty Khí Việt Nam", "Liên doanh Việt - Nga Vietsovpetro"),
        2,
    ),
    (
        "TKS",
        "Công đoàn Than - Khoáng sản Việt Nam",
        "CĐ TKV",
        Sector.STATE,
        ("Tổng công ty Công nghiệp mỏ Việt Bắc", "Tổng công ty Khoáng sản TKV"),
        5,
    ),
    (
        "BD",
        "Công đoàn Bưu điện Việt Nam",
        "CĐ Bưu điện VN",
        Sector.STATE,
        ("Tổng công ty Bưu điện Việt Nam",),
        1,
    ),
    ("VC", "Công đoàn Viên chức Việt Nam", "CĐ Viên chức VN", Sector.ADMINISTRATIVE, (), 0),
    ("CAND", "Công đoàn Công an nhân dân", "CĐ CAND", Sector.ADMINISTRATIVE, (), 0),
    ("QP", "Công đoàn Quốc phòng", "CĐ Quốc phòng", Sector.STATE, ("Tổng công ty Xây dựng Trường Sơn",), 3),
    (
        "HC",
        "Công đoàn Hóa chất Việt Nam",
        "CĐ Hóa chất VN",
        Sector.STATE,
        ("Tổng công ty Phân bón và Hóa chất",),
        1,
    ),
    (
        "DS",
        "Công đoàn Đường sắt Việt Nam",
        "CĐ Đường sắt VN",
        Sector.STATE,
        ("Tổng công ty Đường sắt Việt Nam",),
        1,
    ),
)
CORPORATION_UNIONS = (
    ("HK", "Công đoàn Tổng công ty Hàng không Việt Nam", "CĐ TCT Hàng không VN", Sector.STATE, (), 2),
    ("SCIC", "Công đoàn Tổng công ty Đầu tư và Kinh doanh vốn nhà nước", "CĐ SCIC", Sector.STATE, (), 0),
    ("TT", "Công đoàn Tổng công ty Công nghiệp Tàu thủy", "CĐ SBIC", Sector.STATE, (), 1),
    ("TL", "Công đoàn Tổng công ty Thuốc lá Việt Nam", "CĐ Vinataba", Sector.STATE, (), 1),
)
# Large grassroots unions (2,000+ members) per province where industry concentrates them;
# other provinces get one or two (a provincial hospital, a large school system, a plant).
INDUSTRIAL_PROVINCES = {
    "79": 170,
    "74": 150,
    "75": 135,
    "01": 60,
    "31": 45,
    "27": 50,
    "24": 35,
    "26": 25,
    "30": 30,
    "22": 25,
    "80": 45,
    "77": 18,
    "33": 22,
    "48": 18,
    "92": 10,
    "38": 25,
    "40": 12,
    "36": 14,
    "35": 10,
    "25": 12,
    "19": 14,
    "34": 10,
    "37": 8,
    "56": 8,
    "51": 8,
    "89": 8,
    "82": 10,
    "86": 6,
    "70": 10,
    "72": 14,
    "49": 8,
    "42": 6,
    "60": 8,
    "68": 5,
    "83": 6,
    "64": 5,
}
ENTERPRISE_INDUSTRIES = (
    "May mặc",
    "Giày da",
    "Điện tử",
    "Chế biến thủy sản",
    "Cơ khí",
    "Chế biến gỗ",
    "Thực phẩm",
    "Dệt",
    "Xây dựng",
    "Vận tải",
    "Nhựa",
    "Bao bì",
    "Dược phẩm",
    "Vật liệu xây dựng",
    "Thép",
)
ENTERPRISE_BRANDS = (
    "Hoàng Long",
    "Thành Công",
    "Minh Phát",
    "An Phú",
    "Việt Hưng",
    "Phú Thịnh",
    "Tân Tiến",
    "Đại Phát",
    "Sao Mai",
    "Hưng Thịnh",
    "Trường An",
    "Phương Nam",
    "Thái Bình Dương",
    "Hòa Bình",
    "Đông Á",
    "Kim Long",
    "Nam Việt",
    "Bắc Hà",
    "Quang Minh",
    "Hải Âu",
    "Toàn Cầu",
    "Hồng Phúc",
    "Song Long",
)
FOREIGN_BRANDS = (
    "Hansae",
    "Pou Sung",
    "Samil",
    "Changshin",
    "Taekwang",
    "Nidec",
    "Canon",
    "Yazaki",
    "Foxlink",
    "Hanesbrands",
    "Worldon",
    "Freetrend",
    "Hong Fu",
    "Sumidenso",
    "Shints",
    "Esquel",
    "Regina Miracle",
)


@dataclass(eq=False)
class PlannedUnit:
    code: str
    name: str
    kind: str
    parent: "PlannedUnit | None"
    short_name: str = ""
    sector: str = ""
    province: str | None = None
    member_count: int = 0
    worker_count: int | None = None
    has_point: bool = False
    children: list["PlannedUnit"] = field(default_factory=list)


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


@dataclass
class Plan:
    root: PlannedUnit
    units: list[PlannedUnit]
    people: list[PlannedPerson]


@cache
def administrative_divisions() -> list[dict]:
    """The 63 provinces and 705 districts of the pre-2025 map (public facts of the GSO list)."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)["provinces"]


def _is_urban(district_name: str) -> bool:
    return district_name.startswith(("Quận ", "Thành phố ", "Thị xã "))


@cache
def district_point_codes() -> frozenset[str]:
    """Codes of the 301 district federations that had their own bridge point in 2018.

    Every district of Hanoi, every urban district (quận, thị xã, city under a province), and
    rural districts drawn with a fixed seed to make up 301. It depends on the data file only, so
    the same districts are chosen at every scale.
    """
    chosen: list[str] = []
    rural: list[str] = []
    for province in administrative_divisions():
        for district in province["districts"]:
            code = _district_code(province, district)
            if province["code"] == HANOI_CODE or _is_urban(district["name"]):
                chosen.append(code)
            else:
                rural.append(code)
    rng = random.Random(f"{SEED}-points")
    chosen += rng.sample(rural, DISTRICT_POINTS - len(chosen))
    return frozenset(chosen)


def _province_code(province: dict) -> str:
    return f"LDLD{province['code']}"


def _district_code(province: dict, district: dict) -> str:
    return f"LDLD{province['code']}-{district['code']}"


def _province_federation_name(province: dict) -> str:
    return "Liên đoàn Lao động " + province["name"].replace("Tỉnh ", "tỉnh ")


def _district_federation_name(district: dict) -> str:
    name = district["name"]
    for prefix, lower in (
        ("Quận ", "quận "),
        ("Huyện ", "huyện "),
        ("Thị xã ", "thị xã "),
        ("Thành phố ", "thành phố "),
    ):
        if name.startswith(prefix):
            name = lower + name[len(prefix) :]
            break
    return "Liên đoàn Lao động " + name


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


def _small_members(rng: random.Random) -> int:
    return max(10, min(LARGE_UNION_MEMBERS - 1, int(rng.lognormvariate(4.1, 1.0))))


def _large_members(rng: random.Random) -> int:
    return min(30_000, int(LARGE_UNION_MEMBERS * rng.paretovariate(1.6)))


def _small_grassroots_name(rng: random.Random, wards: list[str], place: str) -> tuple[str, str]:
    ward = rng.choice(wards) if wards else place
    choice = rng.random()
    if choice < 0.22:
        return f"Công đoàn Trường {rng.choice(['Mầm non', 'Tiểu học', 'THCS'])} {ward}", Sector.ADMINISTRATIVE
    if choice < 0.34:
        return f"Công đoàn cơ sở {rng.choice(['Xã', 'Phường', 'Thị trấn'])} {ward}", Sector.ADMINISTRATIVE
    if choice < 0.40:
        return f"Công đoàn Trạm Y tế {ward}", Sector.ADMINISTRATIVE
    if choice < 0.52:
        return f"Công đoàn Công ty Cổ phần {rng.choice(ENTERPRISE_INDUSTRIES)} {place}", Sector.STATE
    kind = rng.choice(["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV"])
    return (
        f"Công đoàn {kind} {rng.choice(ENTERPRISE_INDUSTRIES)} {rng.choice(ENTERPRISE_BRANDS)}",
        Sector.NON_STATE,
    )


def _large_grassroots_name(rng: random.Random, place: str) -> tuple[str, str]:
    choice = rng.random()
    if choice < 0.75:
        return (
            f"Công đoàn Công ty TNHH {rng.choice(FOREIGN_BRANDS)} "
            f"{rng.choice(ENTERPRISE_INDUSTRIES)} Việt Nam",
            Sector.NON_STATE,
        )
    if choice < 0.9:
        return f"Công đoàn Công ty Cổ phần {rng.choice(ENTERPRISE_INDUSTRIES)} {place}", Sector.STATE
    return f"Công đoàn Bệnh viện Đa khoa {place}", Sector.ADMINISTRATIVE


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


def point_unit(unit: PlannedUnit) -> PlannedUnit:
    """The unit whose bridge point serves `unit`: its nearest ancestor (itself included) with one."""
    while not unit.has_point:
        unit = unit.parent
    return unit


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


def _batches(items: list, size: int = 2000) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def scenario_write(plan: Plan, *, progress=None) -> dict[str, int]:
    """Write a plan to the database: vocabularies, provinces, units, people and positions."""
    levels = {}
    for code, name, rank in LEVELS:
        levels[code], _ = Level.objects.update_or_create(code=code, defaults={"name": name, "rank": rank})
    kinds = {}
    for code, name, level in KINDS:
        kinds[code], _ = UnitKind.objects.update_or_create(
            code=code, defaults={"name": name, "level": levels[level]}
        )
    roles = {}
    for code, name, order in ROLES:
        roles[code], _ = PositionRole.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
    provinces = {}
    for province in administrative_divisions():
        provinces[province["code"]], _ = Province.objects.update_or_create(
            code=province["code"],
            defaults={
                "name": province["name"],
                "short_name": province["short_name"],
                "latitude": province["latitude"],
                "longitude": province["longitude"],
            },
        )

    # Ids are given here rather than by the database, so that every path is known before the
    # insert and the units go in with one bulk insert instead of an update per unit.
    next_id = (Unit.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    rows: dict[int, Unit] = {}
    for planned in plan.units:
        parent = rows[id(planned.parent)] if planned.parent is not None else None
        unit = Unit(
            id=next_id,
            code=planned.code,
            name=planned.name,
            short_name=planned.short_name,
            kind=kinds[planned.kind],
            parent=parent,
            sector=planned.sector,
            member_count=planned.member_count,
            worker_count=planned.worker_count,
            province=provinces.get(planned.province) if planned.province else None,
            path=path_child(parent.path if parent else "", next_id),
            depth=parent.depth + 1 if parent else 0,
        )
        rows[id(planned)] = unit_fill_derived(unit)
        next_id += 1
    units = list(rows.values())
    for batch in _batches(units):
        Unit.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Unit]):
            cursor.execute(statement)
    if progress:
        progress(f"{len(units):,} đơn vị")

    code_width = 7
    next_person = Person.objects.count() + 1
    people = []
    for index, planned in enumerate(plan.people):
        person = Person(
            code=f"CB{next_person + index:0{code_width}d}",
            family_name=planned.family_name,
            middle_name=planned.middle_name,
            given_name=planned.given_name,
            gender=planned.gender,
            birth_date=planned.birth_date,
            phone=planned.phone,
            email=planned.email,
            unit=rows[id(planned.unit)],
        )
        people.append(person_fill_derived(person))
    positions = []
    for batch_start in range(0, len(people), 2000):
        batch = people[batch_start : batch_start + 2000]
        Person.objects.bulk_create(batch)
        for person, planned in zip(batch, plan.people[batch_start : batch_start + 2000], strict=True):
            for role, is_full_time in planned.positions:
                positions.append(
                    Position(
                        person=person,
                        unit=person.unit,
                        role=roles[role],
                        is_full_time=is_full_time,
                        start_date=RESOLUTION_START,
                    )
                )
        if progress and (batch_start // 2000) % 5 == 4 or batch_start + 2000 >= len(people):
            if progress:
                progress(f"{batch_start + len(batch):,}/{len(people):,} cán bộ")
    for batch in _batches(positions, 5000):
        Position.objects.bulk_create(batch)
    counts = {"units": len(units), "people": len(people), "positions": len(positions)}
    audit(
        actor=None,
        type="demo.scenario.loaded",
        obj=rows[id(plan.root)],
        unit_path=rows[id(plan.root)].path,
        **counts,
    )
    return counts


def scenario_is_loaded() -> bool:
    return Unit.objects.filter(code=ROOT_CODE).exists()


DEMO_PASSWORD = "hoinghi-2018"
# username, full name, role, unit code, what the login is for
DEMO_LOGINS = (
    ("admin", "Quản trị hệ thống", "system_admin", ROOT_CODE, "quản trị toàn hệ thống"),
    ("bantochuc", "Ban Tổ chức hội nghị", "organiser", ROOT_CODE, "ban tổ chức Trung ương"),
    ("lanhdao", "Lãnh đạo Tổng Liên đoàn", "viewer", ROOT_CODE, "xem toàn quốc"),
    ("hanoi", "Ban Tổ chức LĐLĐ Hà Nội", "organiser", "LDLD01", "ban tổ chức thành phố Hà Nội"),
    ("giaoduc", "Ban Tổ chức CĐ Giáo dục VN", "organiser", "CDN-GD", "công đoàn ngành Giáo dục"),
    ("badinh", "Kỹ thuật điểm cầu Ba Đình", "site_operator", "LDLD01-001", "điểm cầu quận Ba Đình"),
)


@transaction.atomic
def demo_logins_ensure() -> list[tuple[str, str, str]]:
    """Create (once) the demo's staff users and their grants; return (username, role, unit) rows."""
    from hoinghi.accounts.models import Grant, User
    from hoinghi.accounts.services import grant_create

    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser("admin", password=DEMO_PASSWORD, full_name="Quản trị hệ thống")
    rows = []
    for username, full_name, role, unit_code, purpose in DEMO_LOGINS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username, password=DEMO_PASSWORD, full_name=full_name, is_staff=True
            )
        unit = Unit.objects.get(code=unit_code)
        if not Grant.objects.filter(user=user, role=role, unit=unit).exists():
            grant_create(actor=admin, user=user, role=role, unit=unit)
        rows.append((username, purpose, unit.name))
    return rows


# --- The conference of 6 December 2018 -----------------------------------------------------------

CONFERENCE_TITLE = "Hội nghị trực tuyến học tập, quán triệt Nghị quyết Đại hội XII Công đoàn Việt Nam"
POINT_LEVELS = (
    ("central", "Trung ương", 0),
    ("provincial", "Tỉnh, thành phố", 1),
    ("district", "Quận, huyện", 2),
)
# (kind, title, presenters by full name, minutes)
PROGRAMME_2018 = (
    ("opening", "Phát biểu khai mạc hội nghị", ("Bùi Văn Cường",), 15),
    (
        "topic",
        "Tư duy mới và những vấn đề lớn của Nghị quyết Đại hội Công đoàn Việt Nam lần thứ XII",
        ("Bùi Văn Cường",),
        45,
    ),
    (
        "topic",
        "Đổi mới việc thực hiện chức năng đại diện cho người lao động, chăm lo và bảo vệ quyền và lợi ích "
        "hợp pháp, chính đáng của người lao động",
        ("Trần Thanh Hải",),
        40,
    ),
    ("topic", "Việc tổ chức các phong trào thi đua yêu nước trong tình hình mới", ("Ngọ Duy Hiểu",), 30),
    (
        "topic",
        "Đổi mới tổ chức và hoạt động công đoàn; củng cố, kiện toàn và nâng cao chất lượng hoạt động "
        "của Ban nữ công quần chúng",
        ("Trần Thanh Hải",),
        35,
    ),
    ("topic", "Tăng cường công tác kiểm tra, giám sát công đoàn trong tình hình mới", ("Phan Văn Anh",), 30),
)
# The five categories of key officials invited in 2018 (DESIGN.md).
RULES_2018 = (
    (
        "Ủy viên Ban Chấp hành, Ủy viên Ủy ban Kiểm tra Tổng Liên đoàn",
        COMMITTEE_ROLES,
        ("national",),
        (),
        "any",
        None,
    ),
    (
        "Ủy viên Ban Chấp hành, Ủy viên Ủy ban Kiểm tra cấp tỉnh, thành phố, ngành Trung ương, "
        "công đoàn tổng công ty",
        COMMITTEE_ROLES,
        ("provincial",),
        (),
        "any",
        None,
    ),
    (
        "Ủy viên Ban Chấp hành, Ủy viên Ủy ban Kiểm tra cấp quận, huyện và tương đương",
        COMMITTEE_ROLES,
        ("district",),
        (),
        "any",
        None,
    ),
    ("Cán bộ công đoàn chuyên trách từ công đoàn cơ sở trở lên", (), (), (), "yes", None),
    (
        "Chủ tịch công đoàn cơ sở có từ 2.000 đoàn viên trở lên",
        ("grassroots_chair",),
        (),
        ("grassroots",),
        "any",
        LARGE_UNION_MEMBERS,
    ),
)


def conference_2018_create(*, actor):
    """The conference of 6-12-2018 as organisers would build it: 364 bridge points, the five
    categories of key officials, the programme, and invitations issued."""
    from zoneinfo import ZoneInfo

    from hoinghi.conferences import services as conferences
    from hoinghi.conferences.models import BridgePointLevel, Conference

    existing = Conference.objects.filter(title=CONFERENCE_TITLE).first()
    if existing is not None:
        return existing
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    starts = datetime(2018, 12, 6, 8, 0, tzinfo=zone)
    root = Unit.objects.get(code=ROOT_CODE)
    conference = conferences.conference_create(
        actor=actor,
        organising_unit=root,
        title=CONFERENCE_TITLE,
        starts_at=starts,
        ends_at=datetime(2018, 12, 6, 11, 30, tzinfo=zone),
        subject=(
            "Nghị quyết Đại hội Công đoàn Việt Nam lần thứ XII, nhiệm kỳ 2018–2023 (thông qua ngày 26-9-2018)"
        ),
    )
    levels = {}
    for code, name, rank in POINT_LEVELS:
        levels[code], _ = BridgePointLevel.objects.update_or_create(
            code=code, defaults={"name": name, "rank": rank}
        )

    clock = starts + timedelta(minutes=5)
    for kind, title, presenter_names, minutes in PROGRAMME_2018:
        item = conferences.programme_item_create(
            actor=actor,
            conference=conference,
            kind=kind,
            title=title,
            planned_start=clock,
            planned_end=clock + timedelta(minutes=minutes),
        )
        for full_name in presenter_names:
            person = Person.objects.get(unit=root, full_name=full_name)
            position = person.positions.select_related("role").first()
            conferences.presenter_add(
                actor=actor,
                item=item,
                person=person,
                title=f"{position.role.name} Tổng Liên đoàn Lao động Việt Nam",
            )
        clock += timedelta(minutes=minutes)

    rng = random.Random(f"{SEED}-points")
    conferences.point_create(
        actor=actor,
        conference=conference,
        unit=root,
        level=levels["central"],
        is_host=True,
        name="Điểm cầu Trung ương — Cung Văn hóa Hữu nghị Việt Xô",
        capacity=1_800,
        address="91 Trần Hưng Đạo, quận Hoàn Kiếm, Hà Nội",
        contact_name="Trung tâm Thông tin Tổng Liên đoàn",
        contact_phone="02439421234",
        contact_email="kythuat@congdoan.vn",
    )
    federations = Unit.objects.filter(kind__code="provincial_federation").exclude(code=f"LDLD{HANOI_CODE}")
    districts = Unit.objects.filter(code__in=district_point_codes())
    for units, level in ((federations, levels["provincial"]), (districts, levels["district"])):
        for unit in units.order_by("code"):
            place = unit.name.removeprefix("Liên đoàn Lao động ")
            place = place[0].upper() + place[1:]
            ready = rng.random()
            point = conferences.point_create(
                actor=actor,
                conference=conference,
                unit=unit,
                level=level,
                name=f"Điểm cầu {place}",
                address=f"Hội trường {unit.name}",
                capacity=rng.choice([60, 80, 100, 150, 200, 300, 500]),
                contact_name="" if ready < 0.03 else "Cán bộ kỹ thuật",
                contact_phone="" if ready < 0.03 else f"09{rng.randrange(10**8):08d}",
            )
            for item, threshold in (
                ("operator_confirmed_at", 0.05),
                ("equipment_ready_at", 0.08),
                ("link_tested_at", 0.12),
            ):
                if ready > threshold:
                    conferences.point_readiness_mark(
                        actor=actor,
                        point=point,
                        item=item,
                        done=True,
                        at=starts - timedelta(days=1, hours=rng.randrange(0, 48)),
                    )

    roles = {role.code: role for role in PositionRole.objects.all()}
    kinds = {kind.code: kind for kind in UnitKind.objects.all()}
    unit_levels = {level.code: level for level in Level.objects.all()}
    for name, role_codes, level_codes, kind_codes, full_time, min_members in RULES_2018:
        conferences.rule_save(
            actor=actor,
            conference=conference,
            name=name,
            roles=[roles[c] for c in role_codes],
            levels=[unit_levels[c] for c in level_codes],
            unit_kinds=[kinds[c] for c in kind_codes],
            full_time=full_time,
            min_member_count=min_members,
        )
    from hoinghi.accounts.models import User

    operator = User.objects.filter(username="badinh").first()
    ba_dinh = conference.points.filter(unit__code=f"LDLD{HANOI_CODE}-001").first()
    if operator is not None and ba_dinh is not None:
        conferences.point_operator_add(actor=actor, point=ba_dinh, user=operator)
    conferences.conference_issue(actor=actor, conference=conference)
    # The demo's history: the invitations went out ten days before the conference.
    conference.transitions.filter(to_status="invitations_issued").update(
        at=starts - timedelta(days=10, hours=-1)
    )
    return conference
