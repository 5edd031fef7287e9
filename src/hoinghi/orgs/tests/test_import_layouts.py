"""The offices' own layouts, abbreviations and unit names (issue 16, items 7 and 8)."""

import pytest

from hoinghi.orgs.errors import ImportRowErrorCode, OrgsErrorCode
from hoinghi.orgs.models import Gender, ImportColumnMapping, ImportStatus, Person, Position, PositionRoleAlias
from hoinghi.orgs.models import alias_key as key_of
from hoinghi.orgs.tests.conftest import workbook_bytes, xlsx_bytes
from hoinghi.orgs.tests.factories import UnitFactory

OFFICIAL_LETTER = [
    ["LIÊN ĐOÀN LAO ĐỘNG QUẬN BA ĐÌNH", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    [None, None, None, None, "Độc lập - Tự do - Hạnh phúc"],
    [],
    ["DANH SÁCH CÁN BỘ CÔNG ĐOÀN DỰ HỘI NGHỊ"],
    ["STT", "Họ và tên", "Năm sinh", None, "Chức vụ", "Đơn vị", "SĐT"],
    [None, None, "Nam", "Nữ"],
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
    [1, "Nguyễn Văn An", 1975, None, "CT", "Liên đoàn Lao động quận Ba Đình", 912345678],
    [2, "TRẦN THỊ BÌNH", None, 1980, "P.CT", "HN-BD", "0912 345 679"],
    [3, "Lê Hoàng Minh Cường", 1990, None, "UV BCH", "HN-BD-001", None],
    [],
    [None, None, None, None, "Ba Đình, ngày 5 tháng 3 năm 2024"],
    [None, None, None, None, "Người lập biểu"],
]


@pytest.fixture
def aliases(small_tree, roles):
    """The Confederation's abbreviations, on its root: they hold in every province."""
    for role, names in (
        ("chu-tich", ["CT"]),
        ("pho-chu-tich", ["P.CT", "Phó CT"]),
        ("uy-vien-bch", ["UV BCH"]),
    ):
        for name in names:
            PositionRoleAlias.objects.create(
                role=roles[role], name=name, key=key_of(name), unit=small_tree.national
            )


def _people() -> dict[str, tuple]:
    return {
        person.full_name: (person.gender, person.birth_year, person.unit.code, person.phone)
        for person in Person.objects.select_related("unit")
    }


def test_the_official_letter_form_on_a_second_sheet_imports(
    small_tree, roles, aliases, hanoi_organiser, upload, apply
):
    content = workbook_bytes(("Hướng dẫn", [["Điền danh sách ở trang sau."]]), ("Danh sách", OFFICIAL_LETTER))
    job = upload("people", content, small_tree.hanoi).job
    assert job.status == ImportStatus.PREVIEWED, job.errors
    assert (job.summary["added"], job.summary["codes_made"], job.summary["header_row"]) == (3, 3, 5)
    apply(job)
    assert _people() == {
        "Nguyễn Văn An": (Gender.MALE, 1975, "HN-BD", "0912345678"),
        "Trần Thị Bình": (Gender.FEMALE, 1980, "HN-BD", "0912345679"),
        "Lê Hoàng Minh Cường": (Gender.MALE, 1990, "HN-BD-001", ""),
    }
    cuong = Person.objects.get(given_name="Cường")
    assert (cuong.family_name, cuong.middle_name, cuong.code) == ("Lê", "Hoàng Minh", "HN-BD-001-0001")
    assert set(Position.objects.values_list("person__given_name", "role__code", "unit__code")) == {
        ("An", "chu-tich", "HN-BD"),
        ("Bình", "pho-chu-tich", "HN-BD"),
        ("Cường", "uy-vien-bch", "HN-BD-001"),
    }

    again = upload("people", content, small_tree.hanoi).job  # no codes: matched by name, year and unit
    assert (again.summary["added"], again.summary["unchanged"], again.summary["matched"]) == (0, 3, 3)
    assert [match["code"] for match in again.details["matched"]] == [
        "HN-BD-0001",
        "HN-BD-0002",
        "HN-BD-001-0001",
    ]


def test_usual_headings_and_their_variants_are_recognised(
    small_tree, roles, aliases, hanoi_organiser, upload
):
    header = [
        "TT",
        "Mã CB",
        "Họ tên",
        "Giới",
        "Ngày, tháng, năm sinh",
        "Điện thoại di động",
        "E-mail",
        "Đơn vị công tác",
        "Chức danh",
    ]
    row = [1, "CB9", "Phạm Thu Hà", "Nữ", "02/09/1985", "0987654321", "ha@ldld.vn", "HN", "Phó CT"]
    job = upload("people", xlsx_bytes(header, [row]), small_tree.hanoi).job
    assert job.status == ImportStatus.PREVIEWED, job.errors
    assert job.summary["ignored_headers"] == []


def test_a_column_the_importer_cannot_place_is_mapped_by_the_clerk_and_remembered(
    client, small_tree, roles, hanoi_organiser, upload, choose
):
    header = ["Họ và tên", "Năm sinh", "Cơ sở"]
    job = upload("people", xlsx_bytes(header, [["Đỗ Văn Nam", 1970, "HN-BD"]]), small_tree.hanoi).job
    assert [error["code"] for error in job.errors] == [OrgsErrorCode.IMPORT_BAD_HEADERS]
    assert "Mã đơn vị" in job.errors[0]["message"]
    assert [(cell["letter"], cell["key"]) for cell in job.summary["headers"]] == [
        ("A", "full_name"),
        ("B", "birth_date"),
        ("C", ""),
    ]
    job = choose(
        job, {"header_row": "1", "column-0": "full_name", "column-1": "birth_date", "column-2": "unit"}
    )
    assert job.status == ImportStatus.PREVIEWED, job.errors
    assert ImportColumnMapping.objects.filter(unit=small_tree.hanoi, heading="co so", column="unit").exists()

    later = upload("people", xlsx_bytes(header, [["Vũ Thị Hạnh", 1982, "HN"]]), small_tree.hanoi).job
    assert later.status == ImportStatus.PREVIEWED, later.errors


def test_role_abbreviations_hold_where_the_organisation_defined_them(
    small_tree, roles, hanoi_organiser, upload
):
    PositionRoleAlias.objects.create(role=roles["chu-tich"], name="CT", key="ct", unit=small_tree.hcm)
    header = ["Họ và tên", "Đơn vị", "Chức vụ"]
    job = upload("people", xlsx_bytes(header, [["Đỗ Văn Nam", "HN", "CT"]]), small_tree.hanoi).job
    assert [(error["row"], error["code"]) for error in job.errors] == [(2, ImportRowErrorCode.UNKNOWN_ROLE)]
    PositionRoleAlias.objects.create(role=roles["chu-tich"], name="C.T", key="ct", unit=small_tree.national)
    job = upload("people", xlsx_bytes(header, [["Đỗ Văn Nam", "HN", "C. T"]]), small_tree.hanoi).job
    assert job.status == ImportStatus.PREVIEWED, job.errors


def test_units_are_found_by_name_inside_the_scope_and_an_ambiguous_name_names_the_candidates(
    small_tree, roles, hanoi_organiser, upload
):
    for code in ("HN-BD-101", "HN-BD-102"):
        UnitFactory(
            code=code,
            name="Công đoàn Trường Tiểu học Kim Liên",
            kind=small_tree.grassroots_a.kind,
            parent=small_tree.ba_dinh,
        )
    header = ["Họ và tên", "Đơn vị"]
    rows = [
        ["Đỗ Văn Nam", "lien doan lao dong quan ba dinh"],  # 2: found without diacritics or case
        ["Vũ Thị Hạnh", "Công đoàn Trường Tiểu học Kim Liên"],  # 3: two units have that name
        ["Lý Văn Tài", "Liên đoàn Lao động Quận 1"],  # 4: a unit of another province
    ]
    job = upload("people", xlsx_bytes(header, rows), small_tree.hanoi).job
    errors = {error["row"]: error for error in job.errors}
    assert {row: error["code"] for row, error in errors.items()} == {
        3: ImportRowErrorCode.AMBIGUOUS_UNIT,
        4: ImportRowErrorCode.UNKNOWN_UNIT,
    }
    assert "HN-BD-101" in errors[3]["message"] and "HN-BD-102" in errors[3]["message"]
    assert errors[3]["heading"] == "Đơn vị (B)"
