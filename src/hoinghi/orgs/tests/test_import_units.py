"""Importing units through the real pages: preview, apply, re-import, and every kind of error."""

from hoinghi.core.models import AuditEntry
from hoinghi.orgs.errors import ImportRowErrorCode
from hoinghi.orgs.models import ImportStatus, Sector, Unit
from hoinghi.orgs.tests.conftest import UNIT_HEADER, csv_bytes, xlsx_bytes

NEW_UNITS = [
    # a child before its parent: order in the file does not matter
    [
        "HN-CG-001",
        "Công đoàn Trường THCS Dịch Vọng",
        "",
        "HN-CG",
        "grassroots",
        "Hành chính sự nghiệp",
        45,
        60,
        "01",
    ],
    ["HN-CG", "Liên đoàn Lao động quận Cầu Giấy", "LĐLĐ Cầu Giấy", "HN", "district", "", "1.250", "", "1"],
]


def _errors(job) -> set[tuple[int, str, str]]:
    return {(error["row"], error["column"], error["code"]) for error in job.errors}


def test_new_units_are_previewed_then_created_with_paths(small_tree, hanoi_organiser, upload, apply):
    job = upload("units", xlsx_bytes(UNIT_HEADER, NEW_UNITS), small_tree.hanoi).job
    assert job.status == ImportStatus.PREVIEWED
    assert (job.summary["added"], job.summary["changed"], job.summary["unchanged"]) == (2, 0, 0)
    assert not Unit.objects.filter(code="HN-CG").exists()

    job = apply(job)
    assert job.status == ImportStatus.APPLIED
    district = Unit.objects.get(code="HN-CG")
    school = Unit.objects.get(code="HN-CG-001")
    assert district.path == f"{small_tree.hanoi.path}{district.pk}/" and district.depth == 2
    assert school.path == f"{district.path}{school.pk}/" and school.depth == 3
    assert (district.member_count, district.worker_count, district.province.code) == (1250, None, "01")
    assert (school.sector, school.short_name, school.kind.code) == (Sector.ADMINISTRATIVE, "", "grassroots")
    assert school.name_sort_key and "dich vong" in school.search_text
    assert AuditEntry.objects.filter(type="orgs.import.applied", actor=hanoi_organiser).count() == 1


def test_reimporting_the_same_file_changes_nothing(small_tree, hanoi_organiser, upload, apply):
    content = xlsx_bytes(UNIT_HEADER, NEW_UNITS)
    apply(upload("units", content, small_tree.hanoi).job)
    before = list(Unit.objects.order_by("pk").values())

    again = upload("units", content, small_tree.hanoi).job
    assert (again.summary["added"], again.summary["changed"], again.summary["unchanged"]) == (0, 0, 2)
    assert apply(again).status == ImportStatus.APPLIED
    assert list(Unit.objects.order_by("pk").values()) == before


def test_a_changed_file_updates_units_in_place_and_moves_subtrees(small_tree, hanoi_organiser, upload, apply):
    apply(upload("units", xlsx_bytes(UNIT_HEADER, NEW_UNITS), small_tree.hanoi).job)
    district = Unit.objects.get(code="HN-CG")
    changed = [
        ["HN-CG", "Liên đoàn Lao động quận Cầu Giấy (mới)", "", "HN", "district", "", 1300, 10, "01"],
        # Ba Đình moves under Cầu Giấy, with its grassroots union
        ["HN-BD", small_tree.ba_dinh.name, "", "HN-CG", "district", "", 100, "", ""],
    ]
    job = upload("units", xlsx_bytes(UNIT_HEADER, changed), small_tree.hanoi).job
    assert (job.summary["added"], job.summary["changed"], job.summary["moved"]) == (0, 2, 1)
    apply(job)

    district.refresh_from_db()
    assert (district.pk, district.name, district.member_count, district.worker_count) == (
        Unit.objects.get(code="HN-CG").pk,
        "Liên đoàn Lao động quận Cầu Giấy (mới)",
        1300,
        10,
    )
    for unit in Unit.objects.select_related("parent"):
        assert unit.path == (unit.parent.path if unit.parent else "/") + f"{unit.pk}/"
        assert unit.depth == (unit.parent.depth + 1 if unit.parent else 0)
    assert Unit.objects.get(code="HN-BD-001").path.startswith(district.path)


def test_each_unit_error_is_reported_with_row_and_column(small_tree, hanoi_organiser, upload):
    rows = [
        ["HN-X1", "", "", "HN", "grassroots", "", 1, "", ""],  # 2: missing name
        ["HN-X2", "Tên", "", "KHONG-CO", "grassroots", "", 1, "", ""],  # 3: unknown parent
        ["HN-X3", "Tên", "", "HN", "khong-co", "", 1, "", ""],  # 4: unknown kind
        ["HN-X4", "Tên", "", "HN", "grassroots", "Khu vực mặt trăng", 1, "", ""],  # 5: unknown sector
        ["HN-X5", "Tên", "", "HN", "grassroots", "", "nhiều", "-3", ""],  # 6: two bad numbers
        ["HN-X6", "Tên", "", "HN", "grassroots", "", 1, "", "99"],  # 7: unknown province
        ["HN-X1", "Trùng", "", "HN", "grassroots", "", 1, "", ""],  # 8: duplicate code
        ["HCM-Q1", "Quận 1", "", "HCM", "district", "", 1, "", ""],  # 9: outside scope
        ["HN-X7", "Tên", "", "HCM", "grassroots", "", 1, "", ""],  # 10: parent outside scope
        ["HN-X8", "Tên", "", "HN-X9", "grassroots", "", 1, "", ""],  # 11: a cycle of two
        ["HN-X9", "Tên", "", "HN-X8", "grassroots", "", 1, "", ""],  # 12
        ["HN-BD", "Ba Đình", "", "HN-BD-001", "district", "", 1, "", ""],  # 13: under its own child
        ["HN-X10", "Tên", "", "", "grassroots", "", 1, "", ""],  # 14: no parent
        ["", "Không mã", "", "HN", "grassroots", "", 1, "", ""],  # 15: no code
    ]
    job = upload("units", xlsx_bytes(UNIT_HEADER, rows), small_tree.hanoi).job
    assert job.status == ImportStatus.INVALID
    assert _errors(job) == {
        (2, "Tên đơn vị", ImportRowErrorCode.REQUIRED),
        (3, "Mã đơn vị cấp trên", ImportRowErrorCode.UNKNOWN_PARENT),
        (4, "Loại đơn vị", ImportRowErrorCode.UNKNOWN_KIND),
        (5, "Khu vực", ImportRowErrorCode.UNKNOWN_SECTOR),
        (6, "Số đoàn viên", ImportRowErrorCode.BAD_NUMBER),
        (6, "Số lao động", ImportRowErrorCode.BAD_NUMBER),
        (7, "Mã tỉnh", ImportRowErrorCode.UNKNOWN_PROVINCE),
        (8, "Mã đơn vị", ImportRowErrorCode.DUPLICATE_CODE),
        (9, "Mã đơn vị", ImportRowErrorCode.OUTSIDE_SCOPE),
        (10, "Mã đơn vị cấp trên", ImportRowErrorCode.OUTSIDE_SCOPE),
        (11, "Mã đơn vị cấp trên", ImportRowErrorCode.CYCLE),
        (12, "Mã đơn vị cấp trên", ImportRowErrorCode.CYCLE),
        (13, "Mã đơn vị cấp trên", ImportRowErrorCode.CYCLE),
        (14, "Mã đơn vị cấp trên", ImportRowErrorCode.ROOT_NOT_ALLOWED),
        (15, "Mã đơn vị", ImportRowErrorCode.REQUIRED),
    }
    assert job.error_count == 15
    assert all(error["message"] for error in job.errors)


def test_a_nul_in_a_cell_is_dropped_and_a_count_past_the_database_integer_is_an_error(
    small_tree, hanoi_organiser, upload, apply
):
    """Neither may reach PostgreSQL, which refuses both: the whole apply failed there."""
    rows = [["HN-N1", "Công đoàn\x00 Trường A", "", "HN", "grassroots", "", 1, "", ""]]
    job = apply(upload("units", csv_bytes(UNIT_HEADER, rows), small_tree.hanoi, name="units.csv").job)
    assert job.status == ImportStatus.APPLIED
    assert Unit.objects.get(code="HN-N1").name == "Công đoàn Trường A"

    rows = [["HN-N2", "Tên", "", "HN", "grassroots", "", "3.000.000.000", "", ""]]
    job = upload("units", xlsx_bytes(UNIT_HEADER, rows), small_tree.hanoi).job
    assert job.status == ImportStatus.INVALID
    assert _errors(job) == {(2, "Số đoàn viên", ImportRowErrorCode.BAD_NUMBER)}
