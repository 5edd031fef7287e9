"""What a people file's cells mean: positions kept, years, phones, text, legacy fonts, duplicates
(issue 16, items 3, 5, 6)."""

import unicodedata
from datetime import date

from django.urls import reverse
from django.utils import timezone

from hoinghi.orgs.errors import OrgsErrorCode
from hoinghi.orgs.models import ImportStatus, Person, Position
from hoinghi.orgs.tests.conftest import PEOPLE_HEADER, csv_bytes, xlsx_bytes
from hoinghi.orgs.tests.factories import PersonFactory, PositionFactory


def _row(
    code="CB001",
    family="Nguyễn",
    middle="Thị",
    given="Lan",
    gender="Nữ",
    birth="",
    phone="",
    unit="HN",
    roles="",
):
    return [code, family, middle, given, gender, birth, phone, "", unit, roles, ""]


def _current(code: str) -> set[str]:
    return set(
        Position.objects.filter(person__code=code, end_date__isnull=True).values_list("role__code", flat=True)
    )


def test_a_blank_position_cell_keeps_the_positions_and_an_explicit_value_ends_them(
    client, small_tree, roles, hanoi_organiser, upload, apply
):
    lan = PersonFactory(
        code="CB001", family_name="Nguyễn", middle_name="Thị", given_name="Lan", unit=small_tree.hanoi
    )
    PositionFactory(person=lan, unit=small_tree.hanoi, role=roles["pho-chu-tich"])
    job = upload("people", xlsx_bytes(PEOPLE_HEADER, [_row(phone="0912345678")]), small_tree.hanoi).job
    assert (job.summary["changed"], job.summary["positions_ended"]) == (1, 0)
    apply(job)
    assert Person.objects.get(code="CB001").phone == "0912345678"
    assert _current("CB001") == {"pho-chu-tich"}

    for ending in ("-", "(thôi)"):
        PositionFactory(person=lan, unit=small_tree.hanoi, role=roles["uy-vien-bch"])
        job = upload("people", xlsx_bytes(PEOPLE_HEADER, [_row(roles=ending)]), small_tree.hanoi).job
        assert job.summary["positions_ended"] >= 1
        assert [change["name"] for change in job.details["position_changes"]] == ["Nguyễn Thị Lan"]
        page = client.get(reverse("orgs:import_detail", args=[job.pk])).content.decode()
        assert 'id="position-changes"' in page and "Nguyễn Thị Lan" in page
        apply(job)
        assert _current("CB001") == set()


def test_the_preview_names_whoever_changes_position(client, small_tree, roles, hanoi_organiser, upload):
    lan = PersonFactory(
        code="CB001", family_name="Nguyễn", middle_name="Thị", given_name="Lan", unit=small_tree.hanoi
    )
    PositionFactory(person=lan, unit=small_tree.hanoi, role=roles["pho-chu-tich"])
    job = upload("people", xlsx_bytes(PEOPLE_HEADER, [_row(roles="chu-tich")]), small_tree.hanoi).job
    (change,) = job.details["position_changes"]
    assert (change["row"], change["code"], change["ended"], change["added"]) == (
        2,
        "CB001",
        ["Phó Chủ tịch (HN)"],
        ["Chủ tịch (HN)"],
    )


def test_a_bare_year_of_birth_stays_a_year(small_tree, roles, hanoi_organiser, upload, apply):
    rows = [
        _row(code="CB001", birth=1980),
        _row(code="CB002", given="Mai", birth="1975"),
        _row(code="CB003", given="Hoa", birth=date(1990, 4, 30)),
    ]
    apply(upload("people", xlsx_bytes(PEOPLE_HEADER, rows), small_tree.hanoi).job)
    years = dict(Person.objects.values_list("code", "birth_year"))
    dates = dict(Person.objects.values_list("code", "birth_date"))
    assert years == {"CB001": 1980, "CB002": 1975, "CB003": 1990}
    assert dates == {"CB001": None, "CB002": None, "CB003": date(1990, 4, 30)}


def test_a_year_alone_does_not_erase_a_stored_birth_date(small_tree, roles, hanoi_organiser, upload, apply):
    PersonFactory(
        code="CB001",
        family_name="Nguyễn",
        middle_name="Thị",
        given_name="Lan",
        unit=small_tree.hanoi,
        birth_date=date(1980, 5, 1),
        birth_year=1980,
        gender="female",
    )
    job = upload("people", xlsx_bytes(PEOPLE_HEADER, [_row(birth=1980)]), small_tree.hanoi).job
    assert job.summary["unchanged"] == 1


def test_phones_keep_their_leading_zero_and_lose_the_country_code(
    small_tree, roles, hanoi_organiser, upload, apply
):
    rows = [
        _row(code="CB001", phone=912345678),  # a number cell
        _row(code="CB002", given="Mai", phone="+84 912 345 679"),
        _row(code="CB003", given="Hoa", phone="0243.826.1234"),  # a Hà Nội landline
    ]
    apply(upload("people", xlsx_bytes(PEOPLE_HEADER, rows), small_tree.hanoi).job)
    assert dict(Person.objects.values_list("code", "phone")) == {
        "CB001": "0912345678",
        "CB002": "0912345679",
        "CB003": "02438261234",
    }
    bad = upload("people", xlsx_bytes(PEOPLE_HEADER, [_row(phone="12345")]), small_tree.hanoi).job
    assert [(error["row"], error["column"], error["code"]) for error in bad.errors] == [
        (2, "Điện thoại", "bad_phone")
    ]


def test_text_is_stored_composed_with_single_spaces(small_tree, roles, hanoi_organiser, upload, apply):
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    rows = [_row(family=decomposed, middle="Thị\u00a0 ", given="  Lan  Anh ")]
    apply(upload("people", csv_bytes(PEOPLE_HEADER, rows), small_tree.hanoi, name="a.csv").job)
    person = Person.objects.get()
    assert (person.family_name, person.middle_name, person.given_name) == ("Nguyễn", "Thị", "Lan Anh")
    assert unicodedata.is_normalized("NFC", person.full_name)


def test_legacy_vni_and_tcvn3_text_is_converted_and_the_font_named(
    small_tree, roles, hanoi_organiser, upload, apply
):
    vni = [
        _row(code="CB001", family="Traàn", middle="Ñöùc", given="Thaéng", gender="Nam"),
        _row(code="CB002", family="Nguyeãn", middle="Thò", given="Hoàng"),
    ]
    job = upload("people", xlsx_bytes(PEOPLE_HEADER, vni), small_tree.hanoi).job
    assert "VNI" in job.summary["legacy_font"]
    apply(job)
    tcvn3 = [_row(code="CB003", family="Lª", middle="V¨n", given="Hïng", gender="Nam")]
    job = upload("people", xlsx_bytes(PEOPLE_HEADER, tcvn3), small_tree.hanoi).job
    assert "TCVN3" in job.summary.get("legacy_font", ""), job.errors
    apply(job)
    assert set(Person.objects.values_list("full_name", flat=True)) == {
        "Trần Đức Thắng",
        "Nguyễn Thị Hồng",
        "Lê Văn Hùng",
    }


def test_the_same_person_twice_in_a_file_waits_for_the_clerks_choice(
    client, small_tree, roles, hanoi_organiser, upload, apply, choose
):
    rows = [_row(code="CB001", birth="05/03/1980"), _row(code="CB901", birth="05/03/1980")]
    job = upload("people", xlsx_bytes(PEOPLE_HEADER, rows), small_tree.hanoi).job
    assert job.status == ImportStatus.PREVIEWED
    assert (job.summary["duplicates"], job.summary["undecided"]) == (1, 1)
    assert job.details["duplicates"][0]["row"] == 3
    page = client.get(reverse("orgs:import_detail", args=[job.pk]))
    assert page.context["can_apply"] is False and 'id="duplicates"' in page.content.decode()
    refused = client.post(reverse("orgs:import_apply", args=[job.pk]))
    assert refused.context["code"] == OrgsErrorCode.IMPORT_NEEDS_CHOICE

    job = choose(job, {"duplicate-3": "skip"})
    assert (job.status, job.summary["undecided"], job.summary["added"], job.summary["skipped"]) == (
        ImportStatus.PREVIEWED,
        0,
        1,
        1,
    )
    apply(job)
    assert list(Person.objects.values_list("code", flat=True)) == ["CB001"]


def test_a_row_like_a_stored_person_can_update_them(
    small_tree, roles, hanoi_organiser, upload, apply, choose
):
    stored = PersonFactory(
        code="CB001",
        family_name="Nguyễn",
        middle_name="Thị",
        given_name="Lan",
        unit=small_tree.hanoi,
        birth_date=date(1980, 3, 5),
    )
    job = upload(
        "people",
        xlsx_bytes(PEOPLE_HEADER, [_row(code="HN-77", birth="05/03/1980", phone="0987654321")]),
        small_tree.hanoi,
    ).job
    (duplicate,) = job.details["duplicates"]
    assert duplicate["choices"] == ["keep", "skip", "merge"] and "CB001" in duplicate["other"]
    job = choose(job, {"duplicate-2": "merge"})
    assert (job.summary["added"], job.summary["changed"]) == (0, 1)
    apply(job)
    stored.refresh_from_db()
    assert (Person.objects.count(), stored.code, stored.phone) == (1, "CB001", "0987654321")


def test_keeping_both_creates_the_second_person(small_tree, roles, hanoi_organiser, upload, apply, choose):
    PersonFactory(
        code="CB001", family_name="Nguyễn", middle_name="Thị", given_name="Lan", unit=small_tree.hanoi
    )
    job = upload("people", xlsx_bytes(PEOPLE_HEADER, [_row(code="CB002")]), small_tree.hanoi).job
    job = apply(choose(job, {"duplicate-2": "keep"}))
    assert job.status == ImportStatus.APPLIED
    assert Person.objects.count() == 2
    assert timezone.now()
