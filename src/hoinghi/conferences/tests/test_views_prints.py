"""A point's printed invitations, all of them whatever their number (issue 17, item 3): up to 500
drawn in the request, more in the background with progress, never cut short."""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from hoinghi.conferences import services
from hoinghi.conferences.models import Invitation, InvitationPrint, PrintStatus
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.models import Person, person_fill_derived


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", pdf))


def _invite(small, point, count: int) -> None:
    """`count` more invitees at `point` (rows written directly: the rules are not what is tested)."""
    people = Person.objects.bulk_create(
        [
            person_fill_derived(
                Person(
                    code=f"HN-{n:05d}",
                    family_name="Nguyễn",
                    middle_name="Thị",
                    given_name=f"Lan {n}",
                    unit=point.unit,
                )
            )
            for n in range(count)
        ]
    )
    Invitation.objects.bulk_create(
        [Invitation(conference=small.conference, person=person, point=point) for person in people]
    )


def _point_page(client, small, point):
    return client.get(reverse("conferences:point_detail", args=[small.conference.pk, point.pk]))


def _download(client, small, point, job):
    response = client.get(
        reverse("conferences:invitation_print_download", args=[small.conference.pk, point.pk, job.pk])
    )
    assert response["Cache-Control"] == "private, no-store"
    return response, b"".join(response.streaming_content)


@pytest.fixture
def organiser(client, make_user, small_tree):
    user = make_user(GrantRole.ORGANISER, small_tree.national)
    client.force_login(user)
    return user


def test_the_host_points_1700_invitations_are_printed_whole_in_the_background(
    client, small_conference, organiser, django_capture_on_commit_callbacks
):
    small, point = small_conference, small_conference.host
    _invite(small, point, 1_700)
    page = _point_page(client, small, point).content.decode()
    assert "Điểm cầu có <strong>1.700</strong> giấy mời." in page
    assert 'id="invitations-pdf"' not in page and "Tạo tệp PDF 1.700 giấy mời" in page
    # The old link no longer stops at 500: without a range it leads to the background print.
    response = client.get(reverse("conferences:invitations_pdf", args=[small.conference.pk, point.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#invitation-prints")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("conferences:invitation_print_request", args=[small.conference.pk, point.pk])
        )
    assert response.status_code == 302
    job = InvitationPrint.objects.get(point=point)
    assert (job.status, job.total, job.parts) == (PrintStatus.DONE, 1_700, 1)
    assert job.file_name == f"giay-moi-diem-cau-{point.pk}-1700-giay.pdf"
    page = _point_page(client, small, point).content.decode()
    assert job.file_name in page and "1.700 giấy mời trong một tệp PDF (1.700 trang)" in page

    response, pdf = _download(client, small, point, job)
    assert job.file_name in response["Content-Disposition"]
    assert _pages(pdf) == 1_700


def test_above_the_per_file_limit_the_print_is_a_zip_of_parts_holding_every_invitation(
    client, small_conference, organiser, settings, django_capture_on_commit_callbacks
):
    settings.HOINGHI_INVITATIONS_PER_FILE = 600
    small, point = small_conference, small_conference.host
    _invite(small, point, 700)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("conferences:invitation_print_request", args=[small.conference.pk, point.pk]))
    job = InvitationPrint.objects.get(point=point)
    assert (job.total, job.parts, job.file_name) == (700, 2, f"giay-moi-diem-cau-{point.pk}-700-giay.zip")
    response, content = _download(client, small, point, job)
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.namelist() == [
        f"giay-moi-diem-cau-{point.pk}-00001-00500.pdf",
        f"giay-moi-diem-cau-{point.pk}-00501-00700.pdf",
    ]
    assert [_pages(archive.read(name)) for name in archive.namelist()] == [500, 200]
    assert "chia thành 2 tệp PDF" in _point_page(client, small, point).content.decode()


def test_a_small_point_prints_every_invitation_at_once_and_a_range_is_never_cut_short(
    client, small_conference, organiser, superuser
):
    small, point = small_conference, small_conference.ba_dinh_point
    services.conference_issue(actor=superuser, conference=small.conference)
    _invite(small, point, 3)
    total = Invitation.objects.filter(point=point).count()
    page = _point_page(client, small, point).content.decode()
    assert f"Giấy mời (PDF, {total} giấy)" in page
    url = reverse("conferences:invitations_pdf", args=[small.conference.pk, point.pk])
    response = client.get(url)
    assert _pages(response.content) == total and f"-{total}-giay.pdf" in response["Content-Disposition"]
    assert _pages(client.get(f"{url}?from=2&to=3").content) == 2
    for bad in ("?from=1&to=501", f"?from=2&to={total + 1}", "?from=x"):
        response = client.get(url + bad)
        assert (response.status_code, response.context["code"]) == (400, "bad_request")


def test_only_who_may_change_the_point_prints_or_downloads(
    client, small_conference, make_user, small_tree, superuser, django_capture_on_commit_callbacks
):
    small, point = small_conference, small_conference.host
    _invite(small, point, 2)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.invitation_print_request(actor=superuser, point=point)
    download = reverse("conferences:invitation_print_download", args=[small.conference.pk, point.pk, job.pk])
    request = reverse("conferences:invitation_print_request", args=[small.conference.pk, point.pk])
    client.force_login(make_user(GrantRole.VIEWER, small_tree.national))
    assert client.get(download).status_code == 404
    assert client.post(request).status_code == 403
    assert 'id="invitation-prints"' not in _point_page(client, small, point).content.decode()
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hcm))
    assert client.get(download).status_code == 404
    assert InvitationPrint.objects.count() == 1


def test_a_second_request_while_one_runs_returns_the_same_print(small_conference, superuser):
    point = small_conference.host
    first = services.invitation_print_request(actor=superuser, point=point)
    second = services.invitation_print_request(actor=superuser, point=point)
    assert first.pk == second.pk and first.status == PrintStatus.QUEUED
