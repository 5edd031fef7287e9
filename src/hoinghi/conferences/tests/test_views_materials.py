"""Materials: upload with type and size checks, list, permission-checked download, delete."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoinghi.conferences import services
from hoinghi.conferences.errors import ConferenceErrorCode
from hoinghi.conferences.models import Material
from hoinghi.core.errors import DomainError
from hoinghi.core.permissions import GrantRole

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stored(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def _upload(client, user, conference, name, content, **fields):
    client.force_login(user)
    return client.post(
        reverse("conferences:materials", args=[conference.pk]),
        {
            "title": fields.get("title", "Nghị quyết"),
            "item": fields.get("item", ""),
            "file": SimpleUploadedFile(name, content),
        },
    )


def test_organiser_uploads_a_pdf_and_it_is_stored_and_listed(client, small_conference, superuser, media):
    conference = small_conference.conference
    response = _upload(client, superuser, conference, "nghi-quyet.pdf", PDF)

    assert response.status_code == 302
    material = Material.objects.get(conference=conference)
    assert (material.title, material.content_type, material.size) == (
        "Nghị quyết",
        "application/pdf",
        len(PDF),
    )
    assert _stored(media) == [media / material.file.name]
    page = client.get(reverse("conferences:materials", args=[conference.pk]))
    assert "Nghị quyết" in page.content.decode()


def test_a_pdf_that_is_not_a_pdf_is_refused_and_nothing_is_stored(client, small_conference, superuser, media):
    response = _upload(client, superuser, small_conference.conference, "virus.pdf", b"MZ\x90\x00 not a pdf")

    assert response.status_code == 400
    assert "không phải là tệp PDF" in response.content.decode()
    assert not Material.objects.exists() and _stored(media) == []


def test_an_extension_not_allowed_is_refused(small_conference, superuser, media):
    with pytest.raises(DomainError) as error:
        services.material_upload(
            actor=superuser,
            conference=small_conference.conference,
            title="Chương trình",
            file=SimpleUploadedFile("chay.exe", b"MZ\x90\x00"),
        )
    assert error.value.code == ConferenceErrorCode.MATERIAL_TYPE
    assert _stored(media) == []


def test_an_office_file_must_be_a_zip(small_conference, superuser):
    with pytest.raises(DomainError) as error:
        services.material_upload(
            actor=superuser,
            conference=small_conference.conference,
            title="Bài giảng",
            file=SimpleUploadedFile("bai-giang.pptx", b"just text"),
        )
    assert error.value.code == ConferenceErrorCode.MATERIAL_TYPE
    material = services.material_upload(
        actor=superuser,
        conference=small_conference.conference,
        title="Bài giảng",
        file=SimpleUploadedFile("bai-giang.pptx", b"PK\x03\x04" + b"\x00" * 40),
    )
    assert material.content_type.endswith("presentationml.presentation")


def test_oversize_is_refused(client, small_conference, superuser, settings, media):
    settings.HOINGHI_MATERIAL_MAX_BYTES = 20
    response = _upload(client, superuser, small_conference.conference, "nghi-quyet.pdf", PDF)

    assert response.status_code == 400
    assert "quá lớn" in response.content.decode()
    assert not Material.objects.exists() and _stored(media) == []


def test_a_material_can_belong_to_a_programme_item(small_conference, superuser):
    item = services.programme_item_create(
        actor=superuser, conference=small_conference.conference, kind="topic", title="Chuyên đề 1"
    )
    material = services.material_upload(
        actor=superuser,
        conference=small_conference.conference,
        title="Slide chuyên đề 1",
        file=SimpleUploadedFile("slide.pdf", PDF),
        item=item,
    )
    assert material.item == item


@pytest.fixture
def material(small_conference, superuser):
    return services.material_upload(
        actor=superuser,
        conference=small_conference.conference,
        title="Nghị quyết",
        file=SimpleUploadedFile("nghi-quyet.pdf", PDF),
    )


def test_download_for_organisers_viewers_and_operators_not_strangers(
    client, small_conference, material, make_user, small_tree, superuser
):
    url = reverse("conferences:material_download", args=[small_conference.conference.pk, material.pk])
    operator = make_user(None)
    services.point_operator_add(actor=superuser, point=small_conference.ba_dinh_point, user=operator)
    for user in (make_user(GrantRole.VIEWER, small_tree.hcm), operator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF
    client.force_login(make_user(None))
    assert client.get(url).status_code == 404


def test_only_organisers_upload_and_delete(client, small_conference, material, make_user, small_tree, media):
    conference = small_conference.conference
    viewer = make_user(GrantRole.VIEWER, small_tree.national)
    refused = _upload(client, viewer, conference, "khac.pdf", PDF)
    assert (refused.status_code, refused.context["code"]) == (403, "forbidden")  # a domain error
    delete_url = reverse("conferences:material_delete", args=[conference.pk, material.pk])
    assert client.post(delete_url).status_code == 403
    assert Material.objects.count() == 1

    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    client.force_login(organiser)
    with_commit = client.post(delete_url)
    assert with_commit.status_code == 302
    assert not Material.objects.exists()


def test_deleting_removes_the_file_after_commit(
    small_conference, material, superuser, media, django_capture_on_commit_callbacks
):
    path = media / material.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.material_delete(actor=superuser, material=material)
    assert not path.exists()


def test_the_list_names_the_file_not_where_it_is_stored(client, small_conference, superuser, media):
    conference = small_conference.conference
    _upload(client, superuser, conference, "nghi-quyet.pdf", PDF)
    stored = Material.objects.get(conference=conference).file.name  # materials/<year>/<month>/…
    folder = stored.rsplit("/", 1)[0]
    body = client.get(reverse("conferences:materials", args=[conference.pk])).content.decode()
    assert stored.rsplit("/", 1)[-1] in body
    assert folder not in body and folder.removeprefix("materials/") + "/" not in body
