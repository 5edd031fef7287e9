"""Office files as they really come: limits, sheets, row numbers, formats (issue 16, items 1, 2, 4, 9)."""

import time

from django.urls import reverse

from hoinghi.orgs.errors import ImportRowErrorCode, OrgsErrorCode
from hoinghi.orgs.models import ImportStatus, Person
from hoinghi.orgs.tests.conftest import (
    PEOPLE_HEADER,
    encrypted_workbook_bytes,
    ods_bytes,
    with_blank_rows,
    workbook_bytes,
    xls_bytes,
    xlsx_bytes,
)

ROWS = [
    ["CB001", "Nguyễn", "Văn", "An", "Nam", "05/03/1975", "", "", "HN", "chu-tich", "x"],
    ["CB002", "Trần", "Thị", "Bình", "Nữ", "", "", "", "HN-BD", "uy-vien-bch", ""],
]


def _codes(job) -> list[str]:
    return [error["code"] for error in job.errors]


def test_a_workbook_of_blank_rows_is_read_by_the_task_and_blank_rows_do_not_count(
    small_tree, roles, hanoi_organiser, upload, settings
):
    """A sheet formatted far down: 300,000 rows of empty cells below two people (main refused
    it at upload as "too many rows", having counted the blank rows in the request)."""
    settings.HOINGHI_IMPORT_MAX_ROWS = 10
    content = with_blank_rows(xlsx_bytes(PEOPLE_HEADER, ROWS), 300_000)
    started = time.monotonic()
    result = upload("people", content, small_tree.hanoi)
    assert result.response.status_code == 302
    assert result.job.status == ImportStatus.PREVIEWED, result.job.errors
    assert result.job.summary["rows"] == result.job.summary["added"] == 2
    assert time.monotonic() - started < 30


def test_a_zip_bomb_is_refused_before_it_is_opened(small_tree, roles, hanoi_organiser, upload, settings):
    settings.HOINGHI_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    content = with_blank_rows(xlsx_bytes(PEOPLE_HEADER, ROWS), 50_000)  # ~3 MB of XML in ~100 KB
    assert len(content) < settings.HOINGHI_IMPORT_MAX_UNCOMPRESSED_BYTES
    job = upload("people", content, small_tree.hanoi).job
    assert job.status == ImportStatus.INVALID
    assert _codes(job) == [OrgsErrorCode.IMPORT_FILE_UNCOMPRESSED_TOO_LARGE]
    assert "MB" in job.errors[0]["message"]


def test_too_many_columns_are_refused_naming_the_row(small_tree, roles, hanoi_organiser, upload, settings):
    settings.HOINGHI_IMPORT_MAX_COLUMNS = 12
    rows = [ROWS[0], [*ROWS[1], "", "", "", "lạc chỗ"]]
    job = upload("people", xlsx_bytes(PEOPLE_HEADER, rows), small_tree.hanoi).job
    assert _codes(job) == [OrgsErrorCode.IMPORT_TOO_MANY_COLUMNS]
    assert job.errors[0]["message"].startswith("Dòng 3 ")


def test_a_hidden_sheet_is_not_imported(small_tree, roles, hanoi_organiser, upload, apply):
    hidden = [PEOPLE_HEADER, ["CB900", "Ẩn", "", "Danh", "", "", "", "", "HN", "", ""]]
    content = workbook_bytes(
        ("Dữ liệu cũ", hidden), ("Danh sách", [PEOPLE_HEADER, *ROWS]), hidden=("Dữ liệu cũ",)
    )
    job = upload("people", content, small_tree.hanoi).job
    assert job.status == ImportStatus.PREVIEWED, job.errors
    apply(job)
    assert set(Person.objects.values_list("code", flat=True)) == {"CB001", "CB002"}


def test_several_sheets_with_lists_ask_which_one(
    client, small_tree, roles, hanoi_organiser, upload, apply, choose
):
    other = [PEOPLE_HEADER, ["CB777", "Lê", "", "Khác", "", "", "", "", "HN", "", ""]]
    content = workbook_bytes(("Quý 1", [PEOPLE_HEADER, *ROWS]), ("Quý 2", other), active=1)
    job = upload("people", content, small_tree.hanoi).job
    assert job.status == ImportStatus.INVALID
    assert _codes(job) == [OrgsErrorCode.IMPORT_CHOOSE_SHEET]
    assert "Quý 1" in job.errors[0]["message"] and "Quý 2" in job.errors[0]["message"]
    assert (job.summary["sheets"], job.summary["sheet"]) == (["Quý 1", "Quý 2"], "Quý 2")
    page = client.get(reverse("orgs:import_detail", args=[job.pk])).content.decode()
    assert 'id="choose-sheet"' in page

    job = choose(job, {"sheet": "Quý 2"})
    assert job.status == ImportStatus.PREVIEWED and job.summary["sheet"] == "Quý 2"
    apply(job)
    assert list(Person.objects.values_list("code", flat=True)) == ["CB777"]


def test_row_numbers_in_errors_are_the_sheets_own(small_tree, roles, hanoi_organiser, upload):
    """Two blank rows and a title above the header: the bad date is on the sheet's row 6."""
    sheet = [
        [],
        [],
        ["DANH SÁCH CÁN BỘ"],
        PEOPLE_HEADER,
        ROWS[0],
        ["CB003", "Lê", "", "Cường", "", "31/02/1990", "", "", "HN", "", ""],
    ]
    for content, name in ((workbook_bytes(("Sheet1", sheet)), "a.xlsx"), (_csv(sheet), "a.csv")):
        job = upload("people", content, small_tree.hanoi, name=name).job
        assert [(error["row"], error["code"]) for error in job.errors] == [(6, ImportRowErrorCode.BAD_DATE)]
        assert job.summary["header_row"] == 4


def _csv(rows: list[list]) -> bytes:
    import csv
    import io

    output = io.StringIO()
    csv.writer(output).writerows(rows)
    return output.getvalue().encode()


def test_a_password_protected_workbook_is_said_to_have_a_password(small_tree, roles, hanoi_organiser, upload):
    job = upload("people", encrypted_workbook_bytes(), small_tree.hanoi, name="bao-mat.xlsx").job
    assert _codes(job) == [OrgsErrorCode.IMPORT_FILE_PASSWORD]
    assert "mật khẩu" in job.errors[0]["message"]


def test_legacy_xls_and_ods_files_are_read(small_tree, roles, hanoi_organiser, upload, apply):
    xls = upload("people", xls_bytes(PEOPLE_HEADER, ROWS[:1]), small_tree.hanoi, name="cu.xls").job
    assert xls.status == ImportStatus.PREVIEWED, xls.errors
    apply(xls)
    ods = upload("people", ods_bytes([PEOPLE_HEADER, ROWS[1]]), small_tree.hanoi, name="libre.ods").job
    assert ods.status == ImportStatus.PREVIEWED, ods.errors
    apply(ods)
    assert set(Person.objects.values_list("code", "given_name")) == {("CB001", "An"), ("CB002", "Bình")}
    assert Person.objects.get(code="CB001").birth_date.year == 1975
