"""Export pages: scope, formats, Vietnamese order, and export → import changing nothing."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.importers import PEOPLE_COLUMNS, UNIT_COLUMNS
from hoinghi.orgs.models import Gender, ImportStatus, Person, Position, Sector, Unit
from hoinghi.orgs.tests.factories import PersonFactory, PositionFactory, UnitFactory


def _download(client, kind: str, file_format: str, **params):
    response = client.get(reverse("orgs:export_download", args=[kind, file_format]), params)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def _table(content: bytes, file_format: str) -> list[list]:
    if file_format == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def filled_tree(small_tree, roles):
    school = UnitFactory(
        code="HN-BD-002",
        name="Công đoàn Trường Tiểu học Ba Đình",
        kind=small_tree.grassroots_a.kind,
        parent=small_tree.ba_dinh,
        sector=Sector.ADMINISTRATIVE,
        member_count=1234,
        worker_count=None,
    )
    people = [
        PersonFactory(
            code="CB1",
            family_name="Trần",
            middle_name="Thị",
            given_name="Ánh",
            unit=small_tree.hanoi,
            gender=Gender.FEMALE,
            birth_date=date(1979, 1, 31),
            phone="0912000111",
            email="anh@ldld.vn",
        ),
        PersonFactory(
            code="CB2", family_name="Nguyễn", middle_name="Văn", given_name="An", unit=small_tree.ba_dinh
        ),
        PersonFactory(code="CB3", family_name="Lê", middle_name="", given_name="Ăn", unit=school),
        PersonFactory(
            code="CB4", family_name="Võ", middle_name="", given_name="Anh", unit=small_tree.grassroots_b
        ),
    ]
    PositionFactory(person=people[0], unit=small_tree.hanoi, role=roles["chu-tich"], is_full_time=True)
    PositionFactory(person=people[0], unit=small_tree.national, role=roles["uy-vien-bch"])  # outside Hà Nội
    PositionFactory(person=people[1], unit=small_tree.ba_dinh, role=roles["pho-chu-tich"])
    PositionFactory(person=people[1], unit=small_tree.hanoi, role=roles["uy-vien-bch"])  # in another unit
    PositionFactory(
        person=people[1], unit=small_tree.ba_dinh, role=roles["chu-tich"], end_date=date(2020, 1, 1)
    )
    return small_tree


def test_people_export_has_the_import_columns_in_vietnamese_order(client, filled_tree, hanoi_organiser):
    rows = _table(_download(client, "people", "xlsx"), "xlsx")
    assert rows[0] == [column.header for column in PEOPLE_COLUMNS]
    assert [row[0] for row in rows[1:]] == ["CB2", "CB1", "CB3"]  # An < Ánh < Ăn; CB4 is in HCM
    first = dict(zip(rows[0], rows[2], strict=True))
    assert first["Ngày sinh"].date() == date(1979, 1, 31)
    assert (first["Giới tính"], first["Chức vụ"], first["Chuyên trách"]) == ("Nữ", "chu-tich", "x")
    second = dict(zip(rows[0], rows[1], strict=True))
    assert second["Chức vụ"] == "pho-chu-tich; uy-vien-bch@HN"


def test_csv_export_starts_with_a_byte_order_mark(client, filled_tree, hanoi_organiser):
    content = _download(client, "units", "csv", unit=filled_tree.ba_dinh.pk)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = _table(content, "csv")
    assert rows[0] == [column.header for column in UNIT_COLUMNS]
    assert [row[0] for row in rows[1:]] == ["HN-BD", "HN-BD-001", "HN-BD-002"]
    school = dict(zip(rows[0], rows[3], strict=True))
    assert (
        school["Mã đơn vị cấp trên"],
        school["Khu vực"],
        school["Số đoàn viên"],
        school["Số lao động"],
    ) == (
        "HN-BD",
        "Hành chính sự nghiệp",
        "1234",
        "",
    )


def test_a_hanoi_organiser_cannot_export_hcm(client, filled_tree, hanoi_organiser):
    for kind in ("people", "units"):
        for file_format in ("xlsx", "csv"):
            url = reverse("orgs:export_download", args=[kind, file_format])
            assert client.get(url, {"unit": filled_tree.hcm.pk}).status_code == 404
    content = _download(client, "people", "csv").decode("utf-8-sig")
    assert "CB4" not in content and "Võ" not in content
    units = _download(client, "units", "csv").decode("utf-8-sig")
    assert "HCM" not in units


def test_without_an_export_grant_there_is_nothing_to_download(client, filled_tree, make_user):
    client.force_login(make_user(GrantRole.SITE_OPERATOR, filled_tree.hanoi))
    assert client.get(reverse("orgs:export_download", args=["people", "csv"])).status_code == 404
    assert client.get(reverse("orgs:export_download", args=["people", "pdf"])).status_code == 404


def test_the_export_page_redirects_to_the_file(client, filled_tree, hanoi_organiser):
    page = client.get(reverse("orgs:export"), {"unit": filled_tree.ba_dinh.pk})
    assert page.status_code == 200
    response = client.get(
        reverse("orgs:export"), {"kind": "units", "file_format": "csv", "unit": filled_tree.ba_dinh.pk}
    )
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("orgs:export_download", args=["units", "csv"]) + f"?unit={filled_tree.ba_dinh.pk}"
    )


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize("grant_unit", ["hanoi", "national"])
def test_export_then_import_changes_nothing(
    client, filled_tree, make_user, upload, apply, file_format, grant_unit
):
    unit = getattr(filled_tree, grant_unit)
    client.force_login(make_user(GrantRole.ORGANISER, unit))
    before = (
        list(Unit.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values()),
        list(Position.objects.order_by("pk").values()),
    )
    for kind in ("units", "people"):
        content = _download(client, kind, file_format)
        job = upload(kind, content, unit, name=f"{kind}.{file_format}").job
        assert job.status == ImportStatus.PREVIEWED, job.errors
        assert (job.summary["added"], job.summary["changed"]) == (0, 0)
        assert job.summary["unchanged"] == job.summary["rows"] > 0
        assert apply(job).status == ImportStatus.APPLIED
    after = (
        list(Unit.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values()),
        list(Position.objects.order_by("pk").values()),
    )
    assert after == before


def test_an_edited_export_imports_as_a_change(client, filled_tree, hanoi_organiser, upload, apply):
    content = _download(client, "people", "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    sheet["D2"] = "Ân"  # CB2's given name
    output = io.BytesIO()
    workbook.save(output)
    job = upload("people", output.getvalue(), filled_tree.hanoi).job
    assert (job.summary["changed"], job.summary["unchanged"]) == (1, 2)
    apply(job)
    assert Person.objects.get(code="CB2").full_name == "Nguyễn Văn Ân"


def test_an_upload_keeps_its_file_name(
    client, filled_tree, hanoi_organiser, django_capture_on_commit_callbacks
):
    content = _download(client, "units", "xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("orgs:import_start"),
            {
                "kind": "units",
                "unit": filled_tree.hanoi.pk,
                "file": SimpleUploadedFile("Đơn vị HN.xlsx", content),
            },
        )
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert detail.context["job"].file_name == "Đơn vị HN.xlsx"


FORMULA_NAME = '=HYPERLINK("http://xau.example/","Bấm vào đây")'


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_a_formula_like_name_comes_back_unchanged_through_export_and_import(
    client, filled_tree, make_user, upload, file_format
):
    PersonFactory(code="F1", family_name="", middle_name="", given_name=FORMULA_NAME, unit=filled_tree.hanoi)
    client.force_login(make_user(GrantRole.ORGANISER, filled_tree.hanoi))
    content = _download(client, "people", file_format)
    job = upload("people", content, filled_tree.hanoi, name=f"people.{file_format}").job
    assert job.status == ImportStatus.PREVIEWED, job.errors
    assert (job.summary["added"], job.summary["changed"]) == (0, 0)


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_a_name_that_looks_like_a_formula_is_exported_as_text(client, small_tree, superuser, file_format):
    PersonFactory(code="F1", family_name="", middle_name="", given_name=FORMULA_NAME, unit=small_tree.hanoi)
    PersonFactory(code="F2", family_name="Lê", given_name="@SUM(A1:A9)", unit=small_tree.hanoi)
    client.force_login(superuser)
    content = _download(client, "people", file_format)
    if file_format == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
        formulas = [cell.value for cell in cells if cell.data_type == "f"]
        assert formulas == []
        assert any(cell.value == FORMULA_NAME for cell in cells)
    else:
        fields = [field for row in _table(content, "csv") for field in row]
        assert not any(field.startswith(("=", "+", "-", "@")) for field in fields)
        assert "'" + FORMULA_NAME in fields
