"""The invitee's personal page at /moi/<token>/: no login, the token is the credential."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoinghi.conferences import services
from hoinghi.conferences.models import Invitation

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def invitation(small_conference, superuser):
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    return Invitation.objects.get(
        conference=small_conference.conference, person=small_conference.people["HN-BD"]
    )


def _page(token):
    return reverse("personal:invitation_page", args=[token])


def test_the_page_shows_the_invitees_data_without_login(client, invitation, small_conference, superuser):
    small_conference.ba_dinh_point.address = "Số 1 Đội Cấn, Ba Đình, Hà Nội"
    small_conference.ba_dinh_point.save()
    services.programme_item_create(
        actor=superuser, conference=invitation.conference, kind="opening", title="Phát biểu khai mạc"
    )
    response = client.get(_page(invitation.token))

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        invitation.person.full_name,
        "Hội nghị thử",
        "Điểm cầu Ba Đình",
        "Số 1 Đội Cấn, Ba Đình, Hà Nội",
        "Phát biểu khai mạc",
        "06/12/2018",
        reverse("personal:invitation_qr", args=[invitation.token]),
    ):
        assert text in html
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]


def test_the_qr_code_is_an_svg_of_the_personal_link(client, invitation):
    response = client.get(reverse("personal:invitation_qr", args=[invitation.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_after_the_token_is_revoked_the_old_link_is_not_found(client, invitation, superuser):
    old = invitation.token
    services.invitation_token_revoke(actor=superuser, invitation=invitation)

    response = client.get(_page(old))
    assert response.status_code == 404
    assert "Không tìm thấy giấy mời" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(reverse("personal:invitation_qr", args=[old])).status_code == 404
    invitation.refresh_from_db()
    assert client.get(_page(invitation.token)).status_code == 200


def test_a_withdrawn_invitation_is_not_found(client, invitation, superuser):
    services.conference_transition(actor=superuser, conference=invitation.conference, to_status="draft")
    assert client.get(_page(invitation.token)).status_code == 404


def test_an_unknown_token_is_not_found(client, invitation):
    assert client.get(_page("x" * 32)).status_code == 404


def test_the_invitee_downloads_materials_from_their_page(client, invitation, superuser, small_conference):
    material = services.material_upload(
        actor=superuser,
        conference=invitation.conference,
        title="Nghị quyết Đại hội",
        file=SimpleUploadedFile("nghi-quyet.pdf", PDF),
    )
    html = client.get(_page(invitation.token)).content.decode()
    url = reverse("personal:invitation_material", args=[invitation.token, material.pk])
    assert "Nghị quyết Đại hội" in html and url in html

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert (
        client.get(reverse("personal:invitation_material", args=["x" * 32, material.pk])).status_code == 404
    )


def test_the_page_reads_a_fixed_number_of_queries(client, invitation, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(_page(invitation.token))


def test_the_page_offers_self_check_in_that_checks_in_its_own_person(client, invitation):
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from hoinghi.attendance.models import Attendance

    conference = invitation.conference
    conference.starts_at = timezone.now() + timedelta(minutes=20)
    conference.save()
    page = client.get(reverse("personal:invitation_page", args=[invitation.token]))
    assert "Tôi đã có mặt" in page.content.decode()

    response = client.post(
        f"/api/invitations/{invitation.token}/checkin",
        {"id": str(uuid.uuid4())},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["outcome"] == "present"
    assert list(Attendance.objects.values_list("person_id", flat=True)) == [invitation.person_id]
