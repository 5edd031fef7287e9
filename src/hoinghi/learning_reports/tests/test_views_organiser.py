"""The organisers' page of a conference's reports, and who sees which report."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from hoinghi.conferences import services as conferences
from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import GrantRole
from hoinghi.learning_reports import services
from hoinghi.learning_reports.models import Assignment
from hoinghi.learning_reports.tests.conftest import plan, sections

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def _write(client, invitation):
    body = {"revision": 0, "sections": sections(), "plans": [plan()]}
    client.put(
        f"/api/invitations/{invitation.token}/report", data=json.dumps(body), content_type="application/json"
    )
    services.report_submit(
        invitation=invitation, assignment=invitation.conference.assignments.get(), revision=1
    )


def test_the_organiser_sees_the_counts_and_the_reports(client, writing, superuser):
    _write(client, writing.invitations["Chi"])
    client.force_login(superuser)
    page = client.get(reverse("learning_reports:manage", args=[writing.conference.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="report-counts"' in body and 'data-state="submitted">1<' in body
    assert "Phải viết</th><td>2<" in body  # Chi and Lan were present
    assert writing.invitations["Chi"].person.full_name in body
    # The conference's tab bar links here (conferences.tabs).
    tabs = client.get(reverse("conferences:detail", args=[writing.conference.pk])).content.decode()
    assert reverse("learning_reports:manage", args=[writing.conference.pk]) in tabs


def test_an_organiser_creates_the_assignment_from_the_page(client, small_conference, superuser):
    client.force_login(superuser)
    url = reverse("learning_reports:manage", args=[small_conference.conference.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Bài thu hoạch",
            "prompt": "",
            "learned_title": "Tiếp thu",
            "plans_title": "Kế hoạch",
            "extra_titles": "Kiến nghị",
            "min_syllables": 500,
            "max_syllables": 2000,
            "opens_at": "2018-12-06T08:00",
            "due_at": "2018-12-20T17:00",
            "late_policy": "refuse",
            "who_must_write": "all_invitees",
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.section_keys == ["learned", "plans", "extra-1"]
    assert assignment.due_at == datetime(2018, 12, 20, 17, 0, tzinfo=ZONE)
    assert AuditEntry.objects.filter(type="learning_reports.assignment.created").exists()


def test_an_organiser_of_another_province_finds_nothing(client, small_tree, make_user, superuser, writing):
    hanoi_conference = conferences.conference_create(
        actor=superuser,
        organising_unit=small_tree.hanoi,
        title="Hội nghị Hà Nội",
        starts_at=datetime(2018, 12, 10, 8, 0, tzinfo=ZONE),
    )
    hcm = make_user(GrantRole.ORGANISER, small_tree.hcm)
    client.force_login(hcm)
    assert client.get(reverse("learning_reports:manage", args=[hanoi_conference.pk])).status_code == 404
    # On the national conference they see their own province's reports only.
    _write(client, writing.invitations["Chi"])  # Ba Đình, in Hà Nội
    chi_report = writing.invitations["Chi"].conference.assignments.get().reports.get()
    page = client.get(reverse("learning_reports:manage", args=[writing.conference.pk]))
    assert page.status_code == 200
    assert writing.invitations["Chi"].person.full_name not in page.content.decode()
    detail = reverse("learning_reports:detail", args=[writing.conference.pk, chi_report.pk])
    assert client.get(detail).status_code == 404
    hanoi = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    client.force_login(hanoi)
    assert client.get(detail).status_code == 200


def test_a_provincial_organiser_may_not_change_the_national_assignment(
    client, small_tree, make_user, writing
):
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hanoi))
    url = reverse("learning_reports:manage", args=[writing.conference.pk])
    page = client.get(url).content.decode()
    assert 'id="assignment-form"' not in page
    response = client.post(
        url,
        {
            "title": "Sửa",
            "learned_title": "a",
            "plans_title": "b",
            "min_syllables": 1,
            "max_syllables": 2,
            "opens_at": "2018-12-06T08:00",
            "due_at": "2018-12-20T17:00",
            "late_policy": "refuse",
            "who_must_write": "all_invitees",
        },
    )
    assert response.status_code == 403
    assert Assignment.objects.get().title != "Sửa"


def test_a_point_operator_has_no_reports_page(client, writing, make_user, superuser):
    operator = make_user()
    conferences.point_operator_add(actor=superuser, point=writing.conference.points.first(), user=operator)
    client.force_login(operator)
    assert client.get(reverse("learning_reports:manage", args=[writing.conference.pk])).status_code == 404


def test_the_organiser_reads_a_submitted_report_with_its_section_titles(client, writing, superuser):
    _write(client, writing.invitations["Chi"])
    report = writing.assignment.reports.get()
    client.force_login(superuser)
    page = client.get(reverse("learning_reports:detail", args=[writing.conference.pk, report.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "1. Những nội dung tiếp thu được" in body
    assert "Phát triển đoàn viên tại doanh nghiệp ngoài nhà nước" in body  # the plan item


def test_the_assignment_dates_are_typed_and_shown_dd_mm_yyyy(client, small_conference, superuser):
    """Not a datetime-local picker, which shows the order of the browser's locale (issue 17)."""
    client.force_login(superuser)
    url = reverse("learning_reports:manage", args=[small_conference.conference.pk])
    form = {
        "title": "Bài thu hoạch",
        "prompt": "",
        "learned_title": "Tiếp thu",
        "plans_title": "Kế hoạch",
        "extra_titles": "",
        "min_syllables": 500,
        "max_syllables": 2000,
        "opens_at": "06/12/2018 08:00",
        "due_at": "20/12/2018 17:00",
        "late_policy": "refuse",
        "who_must_write": "all_invitees",
    }
    assert client.post(url, form).status_code == 302
    assert Assignment.objects.get().opens_at == datetime(2018, 12, 6, 8, 0, tzinfo=ZONE)
    body = client.get(url).content.decode()
    assert "datetime-local" not in body
    assert 'name="opens_at" value="06/12/2018 08:00"' in body
    assert 'name="due_at" value="20/12/2018 17:00"' in body
