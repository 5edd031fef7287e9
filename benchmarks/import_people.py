"""Import 25,000 people with their positions from one .xlsx, as an organiser at the top would.

The tree is the 2018 shape without the grassroots: national → 63 provinces → 10 districts
each. The file has 25,000 rows (the 2018 conference had 24,814 key officials) with Vietnamese
names, birth dates, phones and one or two positions for a third of the people. Timed, each
through the services the pages call (the task runs in-process, HOINGHI_TASKS=immediate):

- upload + check (the preview): read the file, check every row, count what would change;
- apply: the same check again, then every write in one transaction;
- re-import of the unchanged file: the preview must find 0 to add and 0 to change.

Peak memory is the process's maximum resident set size (getrusage), which includes Django
and the generated workbook.
"""

import io
import random
import resource
import time

from benchmarks._django import report, setup

ROWS = 25_000
PROVINCES = 63
DISTRICTS = 10
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Thanh", "Minh", "Ngọc", "Quốc", "Thu", "Xuân", "Hồng", "Kim", ""]
GIVEN = [
    "An",
    "Anh",
    "Bình",
    "Chi",
    "Cường",
    "Dũng",
    "Dung",
    "Đức",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Nga",
    "Ngọc",
    "Phong",
    "Phương",
    "Quang",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Thủy",
    "Trang",
    "Trung",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
]
ROLES = [
    ("chu-tich", "Chủ tịch"),
    ("pho-chu-tich", "Phó Chủ tịch"),
    ("uy-vien-bch", "Ủy viên Ban Chấp hành"),
    ("uy-vien-ubkt", "Ủy viên Ủy ban Kiểm tra"),
    ("truong-ban", "Trưởng ban"),
]
HEADER = [
    "Mã cán bộ",
    "Họ",
    "Tên đệm",
    "Tên",
    "Giới tính",
    "Ngày sinh",
    "Điện thoại",
    "Thư điện tử",
    "Mã đơn vị",
    "Chức vụ",
    "Chuyên trách",
]


def _peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def build_tree():
    from hoinghi.core.tree import path_child
    from hoinghi.orgs.models import Level, PositionRole, Province, Unit, UnitKind, unit_fill_derived

    levels = [
        Level.objects.create(code=code, name=name, rank=rank)
        for rank, (code, name) in enumerate(
            [("national", "Trung ương"), ("provincial", "Tỉnh"), ("district", "Huyện")]
        )
    ]
    kinds = [
        UnitKind.objects.create(code=level.code, name=f"Liên đoàn Lao động cấp {level.name}", level=level)
        for level in levels
    ]
    for index, (code, name) in enumerate(ROLES):
        PositionRole.objects.create(code=code, name=name, sort_order=index)
    top = Unit(code="TLD", name="Tổng Liên đoàn Lao động Việt Nam", kind=kinds[0], depth=0, path="/pending/")
    unit_fill_derived(top).save()
    Unit.objects.filter(pk=top.pk).update(path=path_child("", top.pk))
    top.refresh_from_db()
    district_codes = []
    for p in range(1, PROVINCES + 1):
        province = Province.objects.create(code=f"{p:02d}", name=f"Tỉnh {p:02d}", short_name=f"Tỉnh {p:02d}")
        federation = Unit(
            code=f"T{p:02d}",
            name=f"Liên đoàn Lao động tỉnh {p:02d}",
            kind=kinds[1],
            parent=top,
            depth=1,
            path=f"/pending-{p}/",
            province=province,
        )
        unit_fill_derived(federation).save()
        federation.path = path_child(top.path, federation.pk)
        Unit.objects.filter(pk=federation.pk).update(path=federation.path)
        districts = [
            unit_fill_derived(
                Unit(
                    code=f"T{p:02d}-H{d:02d}",
                    name=f"Liên đoàn Lao động huyện {d:02d} tỉnh {p:02d}",
                    kind=kinds[2],
                    parent=federation,
                    depth=2,
                    path=f"/pending-{p}-{d}/",
                    province=province,
                )
            )
            for d in range(1, DISTRICTS + 1)
        ]
        Unit.objects.bulk_create(districts)
        for district in districts:
            district.path = path_child(federation.path, district.pk)
            district_codes.append(district.code)
        Unit.objects.bulk_update(districts, ["path"])
        district_codes.append(federation.code)
    return top, district_codes


def write_file(unit_codes: list[str]) -> bytes:
    from openpyxl import Workbook

    generator = random.Random(2018)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Cán bộ")
    sheet.append(HEADER)
    role_codes = [code for code, _name in ROLES]
    for n in range(ROWS):
        family, middle, given = generator.choice(FAMILY), generator.choice(MIDDLE), generator.choice(GIVEN)
        gender = "Nữ" if middle == "Thị" or generator.random() < 0.4 else "Nam"
        roles = ""
        if n % 3 == 0:
            roles = "; ".join(generator.sample(role_codes, generator.choice((1, 1, 2))))
        birth = (
            f"{generator.randint(1, 28):02d}/{generator.randint(1, 12):02d}/{generator.randint(1962, 1998)}"
        )
        sheet.append(
            [
                f"CB{n:06d}",
                family,
                middle,
                given,
                gender,
                birth,
                f"09{generator.randint(10_000_000, 99_999_999)}",
                f"cb{n}@congdoan.vn" if n % 4 else "",
                generator.choice(unit_codes),
                roles,
                "x" if roles and n % 2 == 0 else "",
            ]
        )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def main() -> None:
    setup()
    from hoinghi.accounts.models import User
    from hoinghi.orgs import services
    from hoinghi.orgs.models import ImportJob, Person, Position

    top, unit_codes = build_tree()
    actor = User.objects.create_user("bench-importer", is_superuser=True)
    content = write_file(unit_codes)
    report(
        benchmark="import_people_file",
        rows=ROWS,
        units=len(unit_codes) + 1,
        megabytes=round(len(content) / 2**20, 2),
        peak_rss_mib=_peak_mib(),
    )

    def preview(label: str) -> ImportJob:
        started = time.perf_counter()
        job = services.import_job_create(
            actor=actor, kind="people", scope_unit=top, file_name="can-bo.xlsx", content=content
        )
        seconds = time.perf_counter() - started
        job.refresh_from_db()
        report(
            benchmark=label,
            seconds=round(seconds, 2),
            status=job.status,
            errors=job.error_count,
            added=job.summary["added"],
            changed=job.summary["changed"],
            unchanged=job.summary["unchanged"],
            positions_added=job.summary["positions_added"],
            peak_rss_mib=_peak_mib(),
        )
        return job

    job = preview("import_people_preview")
    started = time.perf_counter()
    services.import_job_request_apply(actor=actor, job=job)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    report(
        benchmark="import_people_apply",
        seconds=round(seconds, 2),
        status=job.status,
        people=Person.objects.count(),
        positions=Position.objects.count(),
        peak_rss_mib=_peak_mib(),
    )
    again = preview("import_people_reimport_preview")
    assert (again.summary["added"], again.summary["changed"]) == (0, 0), again.summary


if __name__ == "__main__":
    main()
