"""The import pages: refused files, scope, progress, and all-or-nothing apply."""

import pytest
from django.db import connection
from django.urls import reverse

from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.errors import ImportRowErrorCode, OrgsErrorCode
from hoinghi.orgs.importers import Progress
from hoinghi.orgs.models import ImportJob, ImportStatus, Person, Position, Unit
from hoinghi.orgs.tests.conftest import PEOPLE_HEADER, UNIT_HEADER, xlsx_bytes
from hoinghi.orgs.tests.factories import PersonFactory

PEOPLE = [
    ["CB001", "Nguyễn", "Văn", "An", "Nam", "05/03/1975", "", "", "HN", "chu-tich", "x"],
    ["CB002", "Trần", "Thị", "Bình", "Nữ", "", "", "", "HN-BD", "uy-vien-bch", ""],
]


def _snapshot():
    return Unit.objects.count(), Person.objects.count(), Position.objects.count()


def test_the_import_page_lists_columns_and_templates(client, small_tree, hanoi_organiser):
    response = client.get(reverse("orgs:import_start"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mã đơn vị cấp trên" in page and "Chuyên trách" in page
    assert reverse("orgs:import_template", args=["people"]) in page
    template = client.get(reverse("orgs:import_template", args=["units"]))
    assert template.status_code == 200
    assert b"".join(template.streaming_content).startswith(b"PK")


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("danh-sach.pdf", b"%PDF-1.4 not a table", OrgsErrorCode.IMPORT_FILE_TYPE),
        ("danh-sach.xlsx", b"", OrgsErrorCode.IMPORT_FILE_EMPTY),
    ],
)
def test_a_file_of_another_kind_is_refused_on_the_form_and_nothing_changes(
    small_tree, roles, hanoi_organiser, upload, name, content, code
):
    before = _snapshot()
    result = upload("people", content, small_tree.hanoi, name=name)
    assert result.response.status_code == 200
    assert result.file_error_codes == [code]
    assert result.job is None
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("danh-sach.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 broken", OrgsErrorCode.IMPORT_FILE_UNREADABLE),
        ("danh-sach.xlsx", b"PK\x03\x04 broken zip", OrgsErrorCode.IMPORT_FILE_UNREADABLE),
        ("danh-sach.csv", "Mã cán bộ;Tên\n".encode("utf-16"), OrgsErrorCode.IMPORT_FILE_UNREADABLE),
        ("danh-sach.xlsx", xlsx_bytes(PEOPLE_HEADER, []), OrgsErrorCode.IMPORT_FILE_EMPTY),
        ("danh-sach.xlsx", xlsx_bytes(UNIT_HEADER, [["HN", "Hà Nội"]]), OrgsErrorCode.IMPORT_BAD_HEADERS),
        ("danh-sach.csv", b"STT,Ho va ten\n1,An\n", OrgsErrorCode.IMPORT_BAD_HEADERS),
    ],
)
def test_a_malformed_file_is_refused_by_the_check_and_nothing_changes(
    client, small_tree, roles, hanoi_organiser, upload, name, content, code
):
    before = _snapshot()
    result = upload("people", content, small_tree.hanoi, name=name)
    assert result.response.status_code == 302  # the request only stores the file
    assert result.job.status == ImportStatus.INVALID
    assert [error["code"] for error in result.job.errors] == [code]
    page = client.get(reverse("orgs:import_detail", args=[result.job.pk])).content.decode()
    assert result.job.errors[0]["message"] in page
    assert _snapshot() == before


def test_the_upload_reads_nothing_of_the_file(client, small_tree, roles, hanoi_organiser):
    """Even a file with no header is stored and answered at once; the check says what is wrong."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = xlsx_bytes(["không", "phải", "tiêu đề"], [["a", "b", "c"]])
    response = client.post(
        reverse("orgs:import_start"),
        {"kind": "people", "unit": small_tree.hanoi.pk, "file": SimpleUploadedFile("a.xlsx", content)},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "orgs:import_detail", args=[job.pk]
    )
    assert job.status == ImportStatus.PENDING


def test_an_oversized_file_is_refused(small_tree, roles, hanoi_organiser, upload, settings):
    settings.HOINGHI_IMPORT_MAX_BYTES = 1000
    result = upload("people", xlsx_bytes(PEOPLE_HEADER, PEOPLE), small_tree.hanoi)
    assert result.file_error_codes == [OrgsErrorCode.IMPORT_FILE_TOO_LARGE]
    assert result.job is None


def test_too_many_rows_are_refused(small_tree, roles, hanoi_organiser, upload, settings):
    settings.HOINGHI_IMPORT_MAX_ROWS = 1
    before = _snapshot()
    for rows in (PEOPLE, PEOPLE * 3):
        job = upload("people", xlsx_bytes(PEOPLE_HEADER, rows), small_tree.hanoi).job  # found by the check
        assert job.status == ImportStatus.INVALID
        assert [error["code"] for error in job.errors] == [OrgsErrorCode.IMPORT_TOO_MANY_ROWS]
    assert _snapshot() == before


def test_a_viewer_cannot_import(client, small_tree, roles, make_user, upload):
    client.force_login(make_user(GrantRole.VIEWER, small_tree.hanoi))
    assert client.get(reverse("orgs:import_start")).context["can_import"] is False
    result = upload("people", xlsx_bytes(PEOPLE_HEADER, PEOPLE), small_tree.hanoi)
    assert result.job is None
    assert not Person.objects.exists()


def test_a_hanoi_organiser_cannot_import_into_hcm(client, small_tree, roles, hanoi_organiser, upload):
    assert upload("people", xlsx_bytes(PEOPLE_HEADER, PEOPLE), small_tree.hcm).job is None
    rows = [
        ["CB900", "Võ", "Văn", "Tần", "", "", "", "", "HCM-Q1-001", "chu-tich", ""],
        ["HN-Q9", "Quận 9", "", "HCM", "district", "", 1, "", ""],
    ]
    people = upload("people", xlsx_bytes(PEOPLE_HEADER, rows[:1]), small_tree.hanoi).job
    units = upload("units", xlsx_bytes(UNIT_HEADER, rows[1:]), small_tree.hanoi).job
    assert [(e["row"], e["code"]) for e in people.errors] == [(2, ImportRowErrorCode.OUTSIDE_SCOPE)]
    assert [(e["row"], e["code"]) for e in units.errors] == [(2, ImportRowErrorCode.OUTSIDE_SCOPE)]
    response = client.post(reverse("orgs:import_apply", args=[people.pk]), follow=True)
    assert "lỗi" in response.content.decode()
    people.refresh_from_db()
    assert people.status == ImportStatus.INVALID
    assert not Person.objects.filter(code="CB900").exists() and not Unit.objects.filter(code="HN-Q9").exists()


def test_another_province_cannot_see_the_job(client, small_tree, roles, hanoi_organiser, upload, make_user):
    job = upload("people", xlsx_bytes(PEOPLE_HEADER, PEOPLE), small_tree.hanoi).job
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hcm))
    assert client.get(reverse("orgs:import_detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("orgs:import_apply", args=[job.pk])).status_code == 404


def test_the_preview_shows_counts_and_every_error(client, small_tree, roles, hanoi_organiser, upload):
    rows = [[f"CB{n:03d}", "Nguyễn", "", "An", "", "99/99/1999", "", "", "HN", "", ""] for n in range(250)]
    job = upload("people", xlsx_bytes(PEOPLE_HEADER, rows), small_tree.hanoi).job
    assert job.error_count == 250
    page = client.get(reverse("orgs:import_detail", args=[job.pk]))
    assert page.context["errors"].paginator.count == 250
    assert len(page.context["errors"].object_list) == 200
    assert page.context["can_apply"] is False
    assert 'id="apply"' not in page.content.decode()
    second = client.get(reverse("orgs:import_detail", args=[job.pk]), {"page": 2})
    assert [error["row"] for error in second.context["errors"].object_list] == list(range(202, 252))


def test_progress_is_polled_while_the_job_runs(client, small_tree, roles, hanoi_organiser):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # Without running the on-commit callbacks, the check task is never started: the job waits.
    client.post(
        reverse("orgs:import_start"),
        {
            "kind": "people",
            "unit": small_tree.hanoi.pk,
            "file": SimpleUploadedFile("a.xlsx", xlsx_bytes(PEOPLE_HEADER, PEOPLE)),
        },
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PENDING
    progress = Progress(job.pk)
    progress.start("checking", 1000)
    progress.step(500)

    detail = client.get(reverse("orgs:import_detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in detail and "<progress" in detail
    response = client.get(reverse("orgs:import_progress", args=[job.pk]), headers={"HX-Request": "true"})
    state = response.context["progress"]
    assert (state.status, state.is_running, state.phase, state.done, state.total) == (
        ImportStatus.PENDING,
        True,
        "checking",
        500,
        1000,
    )
    assert "HX-Refresh" not in response

    job.status = ImportStatus.PREVIEWED
    job.save()
    done = client.get(reverse("orgs:import_progress", args=[job.pk]), headers={"HX-Request": "true"})
    assert done.context["progress"].is_running is False
    assert done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()


def _refuse_inserts_of_role(role_id: int) -> None:
    """A real database trigger that makes one position insert fail, half-way through an apply."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected'; "
                "END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER test_refuse BEFORE INSERT ON orgs_position FOR EACH ROW "
                f"WHEN (NEW.role_id = {int(role_id)}) EXECUTE FUNCTION test_refuse()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER test_refuse BEFORE INSERT ON orgs_position WHEN NEW.role_id = "
                f"{int(role_id)} BEGIN SELECT RAISE(ABORT, 'injected'); END"
            )


def test_apply_is_all_or_nothing(small_tree, roles, hanoi_organiser, upload, apply):
    PersonFactory(code="CB002", unit=small_tree.ba_dinh, given_name="Cũ")
    job = upload("people", xlsx_bytes(PEOPLE_HEADER, PEOPLE), small_tree.hanoi).job
    assert job.status == ImportStatus.PREVIEWED
    before = (list(Person.objects.values()), list(Position.objects.values()))
    _refuse_inserts_of_role(roles["uy-vien-bch"].pk)  # the people are written before their positions

    job = apply(job)
    assert job.status == ImportStatus.FAILED
    assert [error["code"] for error in job.errors] == [OrgsErrorCode.IMPORT_FAILED]
    assert "injected" not in job.errors[0]["message"]  # the database's words stay in the log
    assert (list(Person.objects.values()), list(Position.objects.values())) == before
    assert not AuditEntry.objects.filter(type="orgs.import.applied").exists()


def test_apply_checks_again_and_refuses_a_file_that_went_stale(
    small_tree, roles, hanoi_organiser, upload, apply
):
    job = upload("people", xlsx_bytes(PEOPLE_HEADER, PEOPLE), small_tree.hanoi).job
    PersonFactory(code="CB002", unit=small_tree.grassroots_b)  # meanwhile, the code is taken in HCM

    job = apply(job)
    assert job.status == ImportStatus.INVALID
    assert [error["code"] for error in job.errors] == [
        OrgsErrorCode.IMPORT_STALE,
        ImportRowErrorCode.OUTSIDE_SCOPE,
    ]
    assert not Person.objects.filter(code="CB001").exists()


def test_a_job_is_applied_once(client, small_tree, roles, hanoi_organiser, upload, apply):
    job = apply(upload("people", xlsx_bytes(PEOPLE_HEADER, PEOPLE), small_tree.hanoi).job)
    assert job.status == ImportStatus.APPLIED
    response = client.post(reverse("orgs:import_apply", args=[job.pk]))
    assert (response.status_code, response.context["code"]) == (400, OrgsErrorCode.IMPORT_NOT_READY)
    assert Person.objects.filter(code="CB001").count() == 1
    assert "applied" in [ImportJob.objects.get(pk=job.pk).status]
