"""The attendance report through its real URLs: the figures, the scoping, the .xlsx and the PDF.

The morning: at Ba Đình, Chi and Lan (invited there) and An (invited to the host point) check
in, and a walk-in guest; An checks in at the host point too; Dũng at Hồ Chí Minh. Bình (host)
and Hà (Hồ Chí Minh) never come. So 6 invited, 4 of them present, 2 absent, 1 guest.
"""

import io
import uuid
from datetime import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hoinghi.attendance.services import ScanInput, checkins_record
from hoinghi.conferences.models import Invitation
from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.tests.factories import PersonFactory

from .test_views_questions import ZONE


def _at(hour: int, minute: int) -> datetime:
    return datetime(2018, 12, 6, hour, minute, tzinfo=ZONE)


def _qr(conference, person, at):
    token = Invitation.objects.get(conference=conference, person=person).token
    return ScanInput(id=uuid.uuid4(), method="qr", token=token, scanned_at=at)


@pytest.fixture
def morning(issued, ba_dinh_operator, superuser, small_tree):
    conference, people = issued.conference, issued.people
    guest = PersonFactory(unit=small_tree.ba_dinh, given_name="Khách")
    checkins_record(
        actor=ba_dinh_operator,
        point=issued.ba_dinh_point,
        scans=[
            _qr(conference, people["HN-BD"], _at(7, 30)),
            _qr(conference, people["chair-a"], _at(7, 45)),
            _qr(conference, people["TLD"], _at(7, 50)),  # invited to the host point
            ScanInput(id=uuid.uuid4(), method="search", person_id=guest.pk, scanned_at=_at(7, 55)),
        ],
    )
    checkins_record(actor=superuser, point=issued.host, scans=[_qr(conference, people["TLD"], _at(7, 40))])
    checkins_record(
        actor=superuser, point=issued.hcm_point, scans=[_qr(conference, people["HCM"], _at(7, 35))]
    )
    return issued


def _urls(conference):
    return {
        name: reverse(f"attendance:{name}", args=[conference.pk])
        for name in ("report", "report_xlsx", "report_pdf")
    }


def _points(response) -> dict[str, tuple]:
    return {
        row.name: (row.invited, row.present, row.elsewhere, row.rate, row.first_at, row.last_at)
        for row in response.context["report"].points
    }


def _groups(rows) -> dict[str, tuple[int, int, int]]:
    return {row.name: (row.invited, row.present, row.absent) for row in rows}


def test_the_figures_count_people_once_and_absentees_are_invited_minus_present(
    client, morning, make_user, small_tree, django_assert_max_num_queries
):
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.national))
    with django_assert_max_num_queries(16):
        response = client.get(_urls(morning.conference)["report"])
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.totals.invited, report.totals.present, report.absent, report.uninvited_present) == (
        6,
        4,
        2,
        1,
    )
    assert _points(response) == {
        "Điểm cầu Trung ương": (2, 1, 0, 50.0, _at(7, 40), _at(7, 40)),
        "Điểm cầu Ba Đình": (2, 4, 2, 100.0, _at(7, 30), _at(7, 55)),
        "Điểm cầu Hồ Chí Minh": (2, 1, 0, 50.0, _at(7, 35), _at(7, 35)),
    }
    # An, present at two points, is one person in the total row: An, Chi, Lan, Dũng, the guest.
    total = report.points_total
    assert (total.invited, total.present, total.present_invited, total.elsewhere) == (6, 5, 4, 1)
    assert total.rate == report.totals.rate == 66.7
    assert _groups(report.provinces) == {
        "Trung ương, ngành": (1, 1, 0),
        "Hà Nội": (3, 2, 1),
        "Hồ Chí Minh": (2, 1, 1),
    }
    assert _groups(report.categories) == {"Ủy viên BCH": (5, 3, 2), "Chủ tịch CĐCS lớn": (1, 1, 0)}
    # Vietnamese order: by given name, Bình before Hà.
    names = [person.full_name for person in response.context["absentees"]]
    assert names == [morning.people["HN"].full_name, morning.people["HCM-Q1"].full_name]


def test_a_provincial_organiser_reports_on_their_subtree_only(client, morning, make_user, small_tree):
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hanoi))
    response = client.get(_urls(morning.conference)["report"])
    assert response.status_code == 200
    report = response.context["report"]
    assert list(_points(response)) == ["Điểm cầu Ba Đình"]
    assert _groups(report.provinces) == {"Hà Nội": (3, 2, 1)}
    assert (report.totals.invited, report.totals.present, report.absent) == (3, 2, 1)
    assert [person.full_name for person in response.context["absentees"]] == [morning.people["HN"].full_name]
    assert report.scope == [small_tree.hanoi.name]


def test_unlisted_guests_are_listed_by_name_for_the_organisers_of_their_point(
    client, morning, ba_dinh_operator, make_user, small_tree
):
    checkins_record(
        actor=ba_dinh_operator,
        point=morning.ba_dinh_point,
        scans=[
            ScanInput(id=uuid.uuid4(), method="guest", guest_name="Trần Thị Vãng Lai", scanned_at=_at(8, 5))
        ],
    )
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hanoi))
    response = client.get(_urls(morning.conference)["report"])
    report = response.context["report"]
    assert [(g.name, g.point, g.at) for g in report.unlisted_guests] == [
        ("Trần Thị Vãng Lai", "Điểm cầu Ba Đình", _at(8, 5))
    ]
    assert report.uninvited_present == 1  # the walk-in of the tree; the unlisted guest is apart
    content = response.content.decode()
    assert "khách ngoài danh sách" in content and "Trần Thị Vãng Lai" in content
    workbook = load_workbook(io.BytesIO(client.get(_urls(morning.conference)["report_xlsx"]).content))
    rows = list(workbook["Khách ngoài danh sách"].iter_rows(min_row=3, values_only=True))
    assert rows == [(1, "Trần Thị Vãng Lai", "Điểm cầu Ba Đình", datetime(2018, 12, 6, 8, 5))]
    # Hồ Chí Minh's organisers do not see Ba Đình's guests.
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hcm))
    assert client.get(_urls(morning.conference)["report"]).context["report"].unlisted_guests == []


@pytest.mark.parametrize(
    ("role", "unit", "status"),
    [
        (GrantRole.ORGANISER, "national", 200),
        (GrantRole.VIEWER, "national", 200),
        (GrantRole.VIEWER, "hcm", 200),
        (None, None, 404),
    ],
)
def test_who_reads_the_report(client, morning, make_user, small_tree, role, unit, status):
    client.force_login(make_user(role, getattr(small_tree, unit) if unit else None))
    for url in _urls(morning.conference).values():
        assert client.get(url).status_code == status


def test_a_points_operator_without_a_grant_gets_no_report(client, morning, ba_dinh_operator):
    client.force_login(ba_dinh_operator)
    for url in _urls(morning.conference).values():
        assert client.get(url).status_code == 404


def test_the_spreadsheet_has_one_sheet_per_table_with_local_times(client, morning, make_user, small_tree):
    client.force_login(make_user(GrantRole.VIEWER, small_tree.national))
    response = client.get(_urls(morning.conference)["report_xlsx"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Theo điểm cầu", "Theo tỉnh, thành phố", "Theo nhóm đối tượng", "Vắng mặt"]
    points = list(workbook["Theo điểm cầu"].iter_rows(values_only=True))
    assert points[1][:3] == ("STT", "Điểm cầu", "Được mời")
    assert workbook["Theo điểm cầu"]["A2"].font.b
    ba_dinh = next(row for row in points if row[1] == "Điểm cầu Ba Đình")
    assert ba_dinh[2:] == (2, 4, 2, None, 100.0, datetime(2018, 12, 6, 7, 30), datetime(2018, 12, 6, 7, 55))
    assert workbook["Theo điểm cầu"]["H3"].number_format == "dd/mm/yyyy hh:mm"
    assert points[-1][1:7] == ("Tổng cộng", 6, 5, 1, None, 66.7)
    provinces = list(workbook["Theo tỉnh, thành phố"].iter_rows(min_row=3, values_only=True))
    assert [row[1:5] for row in provinces] == [
        ("Trung ương, ngành", 1, 1, 0),
        ("Hà Nội", 3, 2, 1),
        ("Hồ Chí Minh", 2, 1, 1),
        ("Tổng cộng", 6, 4, 2),
    ]
    absent = list(workbook["Vắng mặt"].iter_rows(min_row=3, values_only=True))
    assert [(row[0], row[1], row[4]) for row in absent] == [
        (1, morning.people["HN"].full_name, "Điểm cầu Trung ương"),
        (2, morning.people["HCM-Q1"].full_name, "Điểm cầu Hồ Chí Minh"),
    ]


def test_the_pdf_is_an_a4_document_with_the_font_embedded(client, morning, make_user, small_tree):
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.national))
    response = client.get(_urls(morning.conference)["report_pdf"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"NotoSerif" in response.content and b"/FontFile2" in response.content
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in response.content


def test_the_pdf_repeats_its_headers_on_every_page_of_thousands_of_absentees():
    """Drawn without the database: 3,000 absentees make many pages, each opening on the header row."""
    import re
    from datetime import date

    from hoinghi.attendance import documents
    from hoinghi.attendance.reports import Absentee, AttendanceReport, GroupRow, PointRow
    from hoinghi.conferences.documents import Letterhead
    from hoinghi.conferences.models import Conference
    from hoinghi.core.printing import paginate

    conference = Conference(title="Hội nghị thử", starts_at=_at(8, 0))
    report = AttendanceReport(
        conference=conference,
        scope=[],
        points=[],
        points_total=PointRow(0, "Tổng cộng", "", 3000, 0, 0, None, None, None),
        provinces=[],
        categories=[],
        totals=GroupRow("Tổng cộng", 3000, 0),
        uninvited_present=0,
    )
    absentees = [
        Absentee(f"CB{n}", f"Nguyễn Văn {n}", "Công đoàn cơ sở", "Điểm cầu", "") for n in range(3000)
    ]
    letterhead = Letterhead("Tổng Liên đoàn", "Ban Tổ chức", "Hà Nội", date(2018, 12, 6))
    content = documents.report_pdf(report, iter(absentees), letterhead=letterhead)
    pages = paginate(documents._tables(report, absentees), 600)
    assert len(pages) > 20
    assert len(re.findall(rb"/Type /Page[^s]", content)) == len(pages)
    assert all(page[0].kind == "header" and page[0].cells[1] == ("Họ và tên",) for page in pages[2:])
    rows = [line for page in pages for line in page if line.kind == "row"]
    assert rows[-1].cells[1] == ("Nguyễn Văn 2999",)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_screenshots_of_the_report(page_for, live_server, morning, make_user, small_tree):
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    for width in (1280, 390):
        page = page_for(organiser, width=width)
        page.goto(f"{live_server.url}{_urls(morning.conference)['report']}")
        page.locator("#table-points").wait_for()
        page.locator("#table-points th", has_text="Có mặt").click()  # sort, ascending
        first = page.locator("#table-points tbody tr").first
        assert "Trung ương" in first.inner_text() or "Hồ Chí Minh" in first.inner_text()
        screenshot(page, f"attendance-report-{width}")


def test_an_absentee_whose_name_looks_like_a_formula_stays_text_in_the_spreadsheet(
    client, morning, make_user, small_tree
):
    from hoinghi.attendance.models import Attendance
    from hoinghi.orgs.models import Person

    present = Attendance.objects.filter(conference=morning.conference).values("person_id")
    absent = Invitation.objects.filter(conference=morning.conference).exclude(person_id__in=present).first()
    formula = '=HYPERLINK("http://example.invalid","Bấm vào đây")'
    Person.objects.filter(pk=absent.person_id).update(full_name=formula)
    client.force_login(make_user(GrantRole.VIEWER, small_tree.national))

    workbook = load_workbook(io.BytesIO(client.get(_urls(morning.conference)["report_xlsx"]).content))

    cell = next(row[1] for row in workbook["Vắng mặt"].iter_rows(min_row=3) if row[1].value == formula)
    assert cell.data_type == "s"  # text, as typed: Excel does not evaluate it
