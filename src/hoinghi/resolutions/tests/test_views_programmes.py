"""The action programme pages through their real URLs, and who may do what where: a table of
roles × where the programme's unit sits from the actor's grant (on Hà Nội) × actions."""

import pytest
from django.urls import reverse

from hoinghi.core.permissions import GrantRole
from hoinghi.resolutions.models import ActionItem, ActionProgramme, ItemStatus

from .test_services_programmes import PDF

R = GrantRole
SEE = {R.SYSTEM_ADMIN, R.ORGANISER, R.DATA_REPORTER, R.VIEWER}
KEEP = {R.SYSTEM_ADMIN, R.ORGANISER, R.DATA_REPORTER}
# Where the programme's unit sits from the grant on Hà Nội.
PLACES = {"ancestor": "national", "same": "hanoi", "descendant": "ba_dinh", "sibling": "hcm"}


def _programme(programmes, small_tree, reporting, superuser, place):
    from hoinghi.resolutions import services

    if place == "ancestor":
        programme = services.programme_create(
            actor=superuser, resolution=reporting.resolution, unit=small_tree.national, title="Toàn quốc"
        )
        item = services.action_item_create(
            actor=superuser,
            programme=programme,
            text="Việc của Tổng Liên đoàn",
            serves=programmes.target,
            deadline=programmes.hanoi_item.deadline,
            owner=services.Owner(unit=small_tree.national),
        )
        return programme, item
    name = PLACES[place]
    return getattr(programmes, name), getattr(programmes, f"{name}_item")


def _expected(role, place, allowed, refused_inside=403):
    inside = place in {"same", "descendant"}
    if role in allowed and inside:
        return "ok"
    if inside and role in SEE:
        return refused_inside
    return 404


@pytest.mark.parametrize("place", list(PLACES))
@pytest.mark.parametrize("role", list(GrantRole))
def test_who_sees_and_changes_a_programme(
    programmes, small_tree, reporting, superuser, make_user, client, media, role, place
):
    programme, item = _programme(programmes, small_tree, reporting, superuser, place)
    client.force_login(make_user(role, small_tree.hanoi))
    unit = programme.unit

    see = _expected(role, place, SEE)
    response = client.get(reverse("resolutions:programme", args=[unit.pk]))
    assert response.status_code == (200 if see == "ok" else 404)
    response = client.get(reverse("resolutions:target", args=[programmes.target.pk, unit.pk]))
    assert response.status_code == (200 if see == "ok" else 404)

    keep = _expected(role, place, KEEP)
    response = client.post(
        reverse("resolutions:item_status", args=[item.pk]),
        {"status": "in_progress", "evidence_text": "Đã triển khai"},
    )
    assert response.status_code == (302 if keep == "ok" else keep)
    item.refresh_from_db()
    assert (item.status == ItemStatus.IN_PROGRESS) is (keep == "ok")

    before = ActionItem.objects.count()
    response = client.post(
        reverse("resolutions:item_add", args=[programme.pk]),
        {
            "text": "Việc mới",
            "serves": programmes.target.pk,
            "deadline": "31/12/2030",
            "owner": f"u{unit.pk}",
        },
    )
    assert response.status_code == (302 if keep == "ok" else keep)
    assert ActionItem.objects.count() == before + (1 if keep == "ok" else 0)

    response = client.get(reverse("resolutions:item_edit", args=[item.pk]))
    assert response.status_code == (200 if keep == "ok" else keep)


@pytest.mark.parametrize("role", list(GrantRole))
def test_who_may_make_a_units_programme(small_tree, reporting, make_user, client, role):
    client.force_login(make_user(role, small_tree.hanoi))
    for unit, inside in ((small_tree.ba_dinh, True), (small_tree.hcm, False)):
        response = client.post(reverse("resolutions:programme", args=[unit.pk]), {"title": "Chương trình"})
        if role in KEEP and inside:
            assert response.status_code == 302
        else:
            assert response.status_code == (403 if inside and role in SEE else 404)
        assert ActionProgramme.objects.filter(unit=unit).exists() is (role in KEEP and inside)


def test_the_evidence_file_goes_only_to_those_who_see_the_item(
    programmes, superuser, small_tree, make_user, client, media
):
    reporter = make_user(R.DATA_REPORTER, small_tree.ba_dinh)
    client.force_login(reporter)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("resolutions:item_status", args=[programmes.ba_dinh_item.pk]),
        {"status": "done", "evidence_file": SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    url = reverse("resolutions:evidence", args=[programmes.ba_dinh_item.pk])
    assert b"".join(client.get(url).streaming_content) == PDF
    client.force_login(make_user(R.VIEWER, small_tree.hanoi))
    assert client.get(url).status_code == 200
    client.force_login(make_user(R.VIEWER, small_tree.hcm))
    assert client.get(url).status_code == 404


def test_a_refused_evidence_is_named_on_the_page_and_changes_nothing(
    programmes, small_tree, make_user, client, media
):
    client.force_login(make_user(R.DATA_REPORTER, small_tree.ba_dinh))
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = programmes.ba_dinh_item
    response = client.post(
        reverse("resolutions:item_status", args=[item.pk]),
        {
            "status": "done",
            "evidence_file": SimpleUploadedFile("virus.exe", b"MZ\x90", "application/octet-stream"),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "virus.exe" in page and "không dùng được làm minh chứng" in page
    item.refresh_from_db()
    assert item.status == ItemStatus.NOT_STARTED


def test_a_bad_item_form_shows_each_error_on_its_field(programmes, small_tree, make_user, client):
    client.force_login(make_user(R.DATA_REPORTER, small_tree.hanoi))
    response = client.post(
        reverse("resolutions:item_add", args=[programmes.hanoi.pk]),
        {
            "text": "Việc",
            "serves": programmes.target.pk,
            "deadline": "31/13/2030",
            "owner": f"u{small_tree.hcm.pk}",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "deadline" in form.errors and "owner" in form.errors
    assert programmes.hanoi.items.count() == 1


def test_the_programme_page_lists_its_items_in_order_and_the_target_page_overdue_first(
    programmes, small_tree, make_user, client, superuser, django_assert_max_num_queries
):
    from datetime import date

    from hoinghi.resolutions import services

    services.action_item_create(
        actor=superuser,
        programme=programmes.hanoi,
        text="Tổ chức hội nghị quán triệt",
        serves=programmes.task,
        deadline=date(2019, 1, 31),
        owner=services.Owner(unit=small_tree.hanoi),
    )
    client.force_login(make_user(R.VIEWER, small_tree.hanoi))
    with django_assert_max_num_queries(16):
        page = client.get(reverse("resolutions:programme", args=[small_tree.hanoi.pk])).content.decode()
    assert page.index("Tổ chức hội nghị quán triệt") > page.index("Phát triển đoàn viên ở")  # by number
    assert "Quá hạn" in page
    assert small_tree.ba_dinh.name in page  # the programme below
    assert "Cập nhật tình trạng" not in page  # a viewer reads only
    services.action_item_update(
        actor=superuser,
        item=programmes.ba_dinh_item,
        text="Việc đã quá hạn ở Ba Đình",
        serves=programmes.target,
        deadline=date(2019, 1, 31),
        owner=services.Owner(unit=small_tree.ba_dinh),
    )
    with django_assert_max_num_queries(16):
        page = client.get(
            reverse("resolutions:target", args=[programmes.target.pk, small_tree.hanoi.pk])
        ).content.decode()
    assert page.index("Việc đã quá hạn ở Ba Đình") < page.index("Phát triển đoàn viên ở")
    assert small_tree.hcm.name not in page


def test_the_target_page_shows_its_text_and_its_indicators_values_for_the_subtree(
    programmes, small_tree, reporting, enter, make_user, client
):
    enter(small_tree.grassroots_a, {"workers": 500, "admitted": 40})
    enter(small_tree.grassroots_b, {"workers": 500, "admitted": 7})
    client.force_login(make_user(R.VIEWER, small_tree.hanoi))
    response = client.get(reverse("resolutions:target", args=[programmes.target.pk, small_tree.hanoi.pk]))
    indicators = dict(response.context["indicators"])
    assert indicators[reporting.new_members].value == 40  # Hà Nội's subtree only
    page = response.content.decode()
    assert "Kết nạp đoàn viên" in page and reporting.new_members.name in page
    chosen = client.get(
        reverse("resolutions:target", args=[programmes.target.pk, small_tree.hanoi.pk]),
        {"noi-dung": programmes.task.pk},
    )
    assert chosen.url == reverse("resolutions:target", args=[programmes.task.pk, small_tree.hanoi.pk])
