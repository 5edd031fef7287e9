"""Importing people and their positions through the real pages."""

from datetime import date

from django.utils import timezone

from hoinghi.orgs.errors import ImportRowErrorCode
from hoinghi.orgs.models import Gender, ImportStatus, Person, Position
from hoinghi.orgs.tests.conftest import PEOPLE_HEADER, csv_bytes, xlsx_bytes
from hoinghi.orgs.tests.factories import PersonFactory, PositionFactory

PEOPLE = [
    [
        "CB001",
        "Nguyễn",
        "Văn",
        "An",
        "Nam",
        "05/03/1975",
        "0912345678",
        "an@example.vn",
        "HN",
        "chu-tich",
        "x",
    ],
    [
        "CB002",
        "Trần",
        "Thị",
        "Bình",
        "Nữ",
        date(1980, 12, 1),
        "",
        "",
        "HN-BD",
        "Phó Chủ tịch; uy-vien-bch",
        "",
    ],
    ["CB003", "Lê", "", "Cường", "", "", "", "", "HN-BD-001", "", ""],
]


def _errors(job) -> set[tuple[int, str, str]]:
    return {(error["row"], error["column"], error["code"]) for error in job.errors}


def _current(code: str) -> set[tuple[str, str, bool]]:
    positions = Position.objects.filter(person__code=code, end_date__isnull=True)
    return {(p.unit.code, p.role.code, p.is_full_time) for p in positions.select_related("unit", "role")}


def test_new_people_and_positions_are_created(small_tree, roles, hanoi_organiser, upload, apply):
    job = upload("people", xlsx_bytes(PEOPLE_HEADER, PEOPLE), small_tree.hanoi).job
    assert job.status == ImportStatus.PREVIEWED
    assert (job.summary["added"], job.summary["positions_added"]) == (3, 3)
    assert apply(job).status == ImportStatus.APPLIED

    an = Person.objects.get(code="CB001")
    assert (an.full_name, an.gender, an.birth_date, an.unit.code) == (
        "Nguyễn Văn An",
        Gender.MALE,
        date(1975, 3, 5),
        "HN",
    )
    assert an.sort_key and "nguyen van an" in an.search_text
    assert Person.objects.get(code="CB002").birth_date == date(1980, 12, 1)  # an Excel date cell
    assert _current("CB001") == {("HN", "chu-tich", True)}
    assert _current("CB002") == {("HN-BD", "pho-chu-tich", False), ("HN-BD", "uy-vien-bch", False)}
    assert _current("CB003") == set()


def test_reimporting_the_same_people_changes_nothing(small_tree, roles, hanoi_organiser, upload, apply):
    content = xlsx_bytes(PEOPLE_HEADER, PEOPLE)
    apply(upload("people", content, small_tree.hanoi).job)
    people = list(Person.objects.order_by("pk").values())
    positions = list(Position.objects.order_by("pk").values())

    again = upload("people", content, small_tree.hanoi).job
    assert (again.summary["added"], again.summary["changed"], again.summary["unchanged"]) == (0, 0, 3)
    assert (again.summary["positions_added"], again.summary["positions_ended"]) == (0, 0)
    apply(again)
    assert list(Person.objects.order_by("pk").values()) == people
    assert list(Position.objects.order_by("pk").values()) == positions


def test_a_changed_file_updates_people_and_replaces_their_positions(
    small_tree, roles, hanoi_organiser, upload, apply
):
    apply(upload("people", xlsx_bytes(PEOPLE_HEADER, PEOPLE), small_tree.hanoi).job)
    an_pk = Person.objects.get(code="CB001").pk
    # A position in a unit the file does not name is left alone.
    PositionFactory(
        person=Person.objects.get(code="CB002"), unit=small_tree.grassroots_a, role=roles["uy-vien-bch"]
    )
    changed = [
        [
            "CB001",
            "Nguyễn",
            "Văn",
            "Anh",
            "Nam",
            "05/03/1975",
            "0912345678",
            "an@example.vn",
            "HN",
            "pho-chu-tich",
            "",
        ],
        ["CB002", "Trần", "Thị", "Bình", "Nữ", "01/12/1980", "", "", "HN-BD", "uy-vien-bch", ""],
        ["CB003", "Lê", "", "Cường", "", "", "", "", "HN-BD", "chu-tich", "x"],  # moved to Ba Đình
    ]
    job = upload("people", csv_bytes(PEOPLE_HEADER, changed), small_tree.hanoi, name="people.csv").job
    assert (job.summary["added"], job.summary["changed"], job.summary["unchanged"]) == (0, 3, 0)
    assert (job.summary["positions_added"], job.summary["positions_ended"]) == (2, 2)
    apply(job)

    an = Person.objects.get(code="CB001")
    assert (an.pk, an.given_name, an.full_name) == (an_pk, "Anh", "Nguyễn Văn Anh")
    assert _current("CB001") == {("HN", "pho-chu-tich", False)}
    assert _current("CB002") == {("HN-BD", "uy-vien-bch", False), ("HN-BD-001", "uy-vien-bch", False)}
    assert _current("CB003") == {("HN-BD", "chu-tich", True)}
    ended = Position.objects.get(person=an, role=roles["chu-tich"])
    assert ended.end_date == timezone.localdate()


def test_positions_in_another_unit_are_written_role_at_unit(
    small_tree, roles, hanoi_organiser, upload, apply
):
    rows = [["CB010", "Phạm", "", "Dung", "Nữ", "", "", "", "HN-BD-001", "chu-tich; uy-vien-bch@HN", "x"]]
    apply(upload("people", xlsx_bytes(PEOPLE_HEADER, rows), small_tree.hanoi).job)
    assert _current("CB010") == {("HN-BD-001", "chu-tich", True), ("HN", "uy-vien-bch", False)}


def test_each_person_error_is_reported_with_row_and_column(small_tree, roles, hanoi_organiser, upload):
    PersonFactory(code="CB-HCM", unit=small_tree.grassroots_b)
    rows = [
        ["CB101", "Nguyễn", "", "", "", "", "", "", "HN", "", ""],  # 2: missing given name
        ["CB102", "Nguyễn", "", "An", "", "31/02/1990", "", "", "HN", "", ""],  # 3: bad date
        ["CB103", "Nguyễn", "", "An", "", "", "", "khong-phai-email", "HN", "", ""],  # 4: bad email
        ["CB104", "Nguyễn", "", "An", "", "", "", "", "KHONG-CO", "", ""],  # 5: unknown unit
        ["CB105", "Nguyễn", "", "An", "", "", "", "", "HN", "giam-doc", ""],  # 6: unknown role
        ["CB106", "Nguyễn", "", "An", "Không rõ", "", "", "", "HN", "", ""],  # 7: unknown gender
        ["CB107", "Nguyễn", "", "An", "", "", "", "", "HN", "chu-tich", "có lẽ"],  # 8: bad flag
        ["CB101", "Trùng", "", "Mã", "", "", "", "", "HN", "", ""],  # 9: duplicate code
        ["CB108", "Nguyễn", "", "An", "", "", "", "", "HCM-Q1", "", ""],  # 10: unit outside scope
        ["CB-HCM", "Nguyễn", "", "An", "", "", "", "", "HN", "", ""],  # 11: person outside scope
        [
            "CB109",
            "Nguyễn",
            "",
            "An",
            "",
            "",
            "",
            "",
            "HN",
            "chu-tich@HCM",
            "",
        ],  # 12: role in a unit outside scope
        ["CB110", "Nguyễn", "", "An", "", "", "", "", "HN", "", "x"],  # 13: full-time without a role
        ["", "Nguyễn", "", "An", "", "", "", "", "HN", "", ""],  # 14: no code: one is made, no error
    ]
    job = upload("people", xlsx_bytes(PEOPLE_HEADER, rows), small_tree.hanoi).job
    assert job.status == ImportStatus.INVALID
    assert _errors(job) == {
        (2, "Tên", ImportRowErrorCode.REQUIRED),
        (3, "Ngày sinh", ImportRowErrorCode.BAD_DATE),
        (4, "Thư điện tử", ImportRowErrorCode.BAD_EMAIL),
        (5, "Mã đơn vị", ImportRowErrorCode.UNKNOWN_UNIT),
        (6, "Chức vụ", ImportRowErrorCode.UNKNOWN_ROLE),
        (7, "Giới tính", ImportRowErrorCode.UNKNOWN_GENDER),
        (8, "Chuyên trách", ImportRowErrorCode.BAD_FLAG),
        (9, "Mã cán bộ", ImportRowErrorCode.DUPLICATE_CODE),
        (10, "Mã đơn vị", ImportRowErrorCode.OUTSIDE_SCOPE),
        (11, "Mã cán bộ", ImportRowErrorCode.OUTSIDE_SCOPE),
        (12, "Chức vụ", ImportRowErrorCode.OUTSIDE_SCOPE),
        (13, "Chuyên trách", ImportRowErrorCode.FLAG_WITHOUT_ROLE),
    }
    assert not Person.objects.filter(code__startswith="CB1").exists()


def test_csv_with_a_byte_order_mark_and_semicolons_parses(small_tree, roles, hanoi_organiser, upload):
    for content in (
        csv_bytes(PEOPLE_HEADER, PEOPLE[2:], bom=True),
        csv_bytes(PEOPLE_HEADER, PEOPLE[:1] + PEOPLE[2:], delimiter=";", bom=True),
        csv_bytes(PEOPLE_HEADER, PEOPLE[2:], delimiter=";"),
    ):
        job = upload("people", content, small_tree.hanoi, name="can-bo.csv").job
        assert job.status == ImportStatus.PREVIEWED, job.errors
        assert job.summary["rows"] == job.summary["added"] > 0


def test_headers_match_without_case_or_diacritics(small_tree, roles, hanoi_organiser, upload):
    header = [
        "MA CAN BO",
        "ho",
        "Ten Dem",
        "TÊN",
        "gioi tinh",
        "Ngay sinh",
        "dien thoai",
        "THU DIEN TU",
        "ma don vi",
        "Chuc vu",
        "chuyen trach",
        "Ghi chú",
    ]
    job = upload("people", xlsx_bytes(header, [[*PEOPLE[2], "bỏ qua"]]), small_tree.hanoi).job
    assert job.status == ImportStatus.PREVIEWED
    assert job.summary["ignored_headers"] == ["Ghi chú"]
