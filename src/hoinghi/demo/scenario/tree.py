"""The Confederation's tree as it stood in 2018: levels, kinds of unit, roles, the central sector
and corporation unions, the administrative map of 63 provinces and 705 districts, and how units
are named and drawn."""

import json
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from hoinghi.orgs.models import Sector

DATA_FILE = Path(__file__).parents[1] / "data" / "vn_admin_2018.json"

SEED = 2018
ROOT_CODE = "TLD"
HANOI_CODE = "01"
DISTRICT_POINTS = 301
LARGE_UNION_MEMBERS = 2_000

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
    place: str = ""
    member_count: int = 0
    worker_count: int | None = None
    has_point: bool = False
    children: list["PlannedUnit"] = field(default_factory=list)


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


def point_unit(unit: PlannedUnit) -> PlannedUnit:
    """The unit whose bridge point serves `unit`: its nearest ancestor (itself included) with one."""
    while not unit.has_point:
        unit = unit.parent
    return unit
