"""The conference list, create/edit, the overview with its life cycle, and the programme, through
the real URLs: who sees what, who may change what, and what a refusal looks like."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from hoinghi.conferences import services
from hoinghi.conferences.models import Conference, ConferenceStatus, Presenter, ProgrammeItem
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.tests.factories import PersonFactory


@pytest.fixture
def national_organiser(make_user, small_tree):
    return make_user(GrantRole.ORGANISER, small_tree.national)


def _login(client, user):
    client.force_login(user)
    return client


def test_pages_need_a_login(client, small_conference):
    response = client.get(reverse("conferences:list"))
    assert response.status_code == 302


def test_list_shows_visible_conferences_with_counts(client, small_conference, national_organiser, superuser):
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    response = _login(client, national_organiser).get(reverse("conferences:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hội nghị thử" in page and "Tạo hội nghị" in page
    [(conference, counts)] = response.context["rows"]
    assert (counts.points, counts.invitees) == (3, 6)


def test_provincial_organiser_sees_the_national_conference_with_their_own_counts(
    client, small_conference, make_user, small_tree, superuser
):
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    response = _login(client, make_user(GrantRole.ORGANISER, small_tree.hcm)).get(reverse("conferences:list"))
    [(conference, counts)] = response.context["rows"]
    assert (counts.points, counts.invitees) == (1, 2)


def test_user_without_grant_sees_no_conference_and_no_create_button(client, small_conference, make_user):
    user = make_user()
    response = _login(client, user).get(reverse("conferences:list"))
    assert response.context["rows"] == []
    assert "Tạo hội nghị" not in response.content.decode()
    assert client.get(reverse("conferences:detail", args=[small_conference.conference.pk])).status_code == 404
    assert client.get(reverse("conferences:create")).status_code == 403


def test_viewer_sees_the_list_without_the_create_button(client, small_conference, make_user, small_tree):
    response = _login(client, make_user(GrantRole.VIEWER, small_tree.national)).get(
        reverse("conferences:list")
    )
    assert len(response.context["rows"]) == 1
    assert "Tạo hội nghị" not in response.content.decode()


def test_organiser_creates_a_conference_in_a_unit_of_their_grant(client, small_tree, make_user):
    organiser = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    _login(client, organiser)
    form = client.get(reverse("conferences:create")).context["form"]
    assert [pk for pk, _label in form.fields["organising_unit"].choices] == [small_tree.hanoi.pk]
    response = client.post(
        reverse("conferences:create"),
        {
            "title": "Hội nghị Hà Nội",
            "starts_at": "06/12/2018 08:00",
            "ends_at": "06/12/2018 11:30",
            "organising_unit": small_tree.hanoi.pk,
        },
    )
    conference = Conference.objects.get(title="Hội nghị Hà Nội")
    assert response.status_code == 302 and response["Location"] == reverse(
        "conferences:detail", args=[conference.pk]
    )
    assert conference.organising_unit == small_tree.hanoi and conference.created_by == organiser
    assert conference.starts_at.strftime("%H:%M") == "01:00"  # 08:00 in Hà Nội is 01:00 UTC


def test_create_refuses_a_unit_outside_the_grant_and_a_bad_date(client, small_tree, make_user):
    _login(client, make_user(GrantRole.ORGANISER, small_tree.hanoi))
    response = client.post(
        reverse("conferences:create"),
        {"title": "X", "starts_at": "2018-12-06 8h", "organising_unit": small_tree.hcm.pk},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"starts_at", "organising_unit"}
    assert not Conference.objects.filter(title="X").exists()


def test_edit_is_for_organisers_of_the_organising_unit(
    client, small_conference, national_organiser, make_user, small_tree
):
    conference = small_conference.conference
    url = reverse("conferences:edit", args=[conference.pk])
    hcm_organiser = make_user(GrantRole.ORGANISER, small_tree.hcm)
    assert _login(client, hcm_organiser).get(url).status_code in (403, 404)
    response = client.post(url, {"title": "Đổi tên", "starts_at": "06/12/2018 08:00"})
    assert response.status_code in (403, 404)
    conference.refresh_from_db()
    assert conference.title == "Hội nghị thử"

    response = _login(client, national_organiser).post(
        url, {"title": "Đổi tên", "starts_at": "06/12/2018 08:00"}
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.title == "Đổi tên"


def test_overview_shows_the_figures_stepper_and_problems(client, small_conference, national_organiser):
    response = _login(client, national_organiser).get(
        reverse("conferences:detail", args=[small_conference.conference.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    summary = response.context["summary"]
    assert (summary.total, summary.readiness.ready_count) == (3, 0)
    assert "0/3" in page
    assert [step["state"] for step in response.context["stepper"]] == [
        "current",
        "todo",
        "todo",
        "todo",
        "todo",
    ]
    # Issuing goes through the preview, not a bare transition button.
    assert reverse("conferences:preview", args=[small_conference.conference.pk]) in page
    assert 'name="to_status"' not in page


def test_overview_links_a_rule_that_matches_nobody_to_its_edit_page(
    client, small_conference, national_organiser, superuser
):
    conference = small_conference.conference
    rule = services.rule_save(actor=superuser, conference=conference, name="Không ai", min_member_count=10**9)
    page = _login(client, national_organiser).get(reverse("conferences:detail", args=[conference.pk])).content
    assert reverse("conferences:rule_edit", args=[conference.pk, rule.pk]) in page.decode()


def test_transitions_move_the_conference_and_are_listed_with_who(
    client, small_conference, national_organiser, superuser
):
    conference = small_conference.conference
    services.conference_issue(actor=superuser, conference=conference)
    url = reverse("conferences:transition", args=[conference.pk])
    response = _login(client, national_organiser).post(url, {"to_status": ConferenceStatus.LIVE}, follow=True)
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.LIVE
    page = response.content.decode()
    assert national_organiser.username in page and "Đang diễn ra" in page
    # A jump the life cycle does not allow is refused with its reason.
    response = client.post(url, {"to_status": ConferenceStatus.ARCHIVED}, follow=True)
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.LIVE
    assert "Không thể chuyển hội nghị" in response.content.decode()


def test_issuing_from_a_transition_post_goes_to_the_preview(client, small_conference, national_organiser):
    conference = small_conference.conference
    response = _login(client, national_organiser).post(
        reverse("conferences:transition", args=[conference.pk]),
        {"to_status": ConferenceStatus.INVITATIONS_ISSUED},
    )
    assert response["Location"] == reverse("conferences:preview", args=[conference.pk])
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.DRAFT


@pytest.mark.parametrize(
    ("role", "unit", "status"),
    # A provincial grant sees the national conference: refused as forbidden, not as missing.
    [("viewer", "national", 403), ("organiser", "hcm", 403), ("viewer", "hcm", 403)],
)
def test_who_may_not_change_the_conference_cannot_move_it(
    client, small_conference, make_user, small_tree, superuser, role, unit, status
):
    conference = small_conference.conference
    services.conference_issue(actor=superuser, conference=conference)
    _login(client, make_user(role, getattr(small_tree, unit)))
    assert client.get(reverse("conferences:detail", args=[conference.pk])).status_code == 200
    response = client.post(reverse("conferences:transition", args=[conference.pk]), {"to_status": "live"})
    assert response.status_code == status
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.INVITATIONS_ISSUED


# --- Programme -------------------------------------------------------------------------------------


def _programme_url(conference, name="programme", *args):
    return reverse(f"conferences:{name}", args=[conference.pk, *args])


def test_programme_items_are_created_with_times_on_the_conference_day(
    client, small_conference, national_organiser
):
    conference = small_conference.conference
    _login(client, national_organiser)
    response = client.post(
        _programme_url(conference, "programme_item_create"),
        {"kind": "opening", "title": "Khai mạc", "planned_start": "08:00", "planned_end": "08:15"},
    )
    assert response.status_code == 302
    item = ProgrammeItem.objects.get(conference=conference)
    assert (item.order, item.kind) == (1, "opening")
    assert item.planned_start.strftime("%d/%m %H:%M") == "06/12 01:00"  # UTC
    response = client.post(
        _programme_url(conference, "programme_item_create"),
        {"kind": "topic", "title": "Chuyên đề 1", "planned_start": "9h30", "planned_end": "09:00"},
    )
    assert response.status_code == 400
    assert "planned_end" in response.context["form"].errors


def test_items_move_up_and_down_and_are_deleted(client, small_conference, national_organiser, superuser):
    conference = small_conference.conference
    first, second, third = (
        services.programme_item_create(actor=superuser, conference=conference, kind="topic", title=title)
        for title in ("Một", "Hai", "Ba")
    )
    _login(client, national_organiser)
    client.post(_programme_url(conference, "programme_item_move", third.pk), {"direction": "up"})
    assert list(conference.programme.values_list("title", flat=True)) == ["Một", "Ba", "Hai"]
    client.post(_programme_url(conference, "programme_item_move", first.pk), {"direction": "down"})
    assert list(conference.programme.values_list("title", flat=True)) == ["Ba", "Một", "Hai"]
    client.post(_programme_url(conference, "programme_item_delete", second.pk))
    assert list(conference.programme.values_list("title", "order")) == [("Ba", 1), ("Một", 2)]
    page = client.get(_programme_url(conference)).content.decode()
    assert reverse("conferences:programme_pdf", args=[conference.pk]) in page


def test_presenters_are_found_without_accents_or_added_as_guests(
    client, small_conference, national_organiser, superuser, small_tree
):
    conference = small_conference.conference
    item = services.programme_item_create(
        actor=superuser, conference=conference, kind="topic", title="Chuyên đề"
    )
    person = PersonFactory(
        unit=small_tree.hanoi, family_name="Nguyễn", middle_name="Đình", given_name="Khang"
    )
    _login(client, national_organiser)
    suggestions = client.get(
        reverse("conferences:person_suggest", args=[conference.pk]), {"person": "nguyen dinh kh"}
    )
    assert person.code in suggestions.content.decode()
    client.post(
        _programme_url(conference, "presenter_add", item.pk),
        {"person": f"{person.code} — {person.full_name}"},
    )
    client.post(
        _programme_url(conference, "presenter_add", item.pk),
        {"guest_name": "Ông Khách", "title": "Giáo sư"},
    )
    assert [p.display_name for p in item.presenters.all()] == ["Nguyễn Đình Khang", "Ông Khách"]
    response = client.post(_programme_url(conference, "presenter_add", item.pk), {"title": "Không tên"})
    assert response.status_code == 400
    assert "Cần chọn một cán bộ hoặc nhập tên khách mời" in response.content.decode()
    guest = Presenter.objects.get(guest_name="Ông Khách")
    client.post(reverse("conferences:presenter_remove", args=[conference.pk, guest.pk]))
    assert [p.display_name for p in item.presenters.all()] == ["Nguyễn Đình Khang"]


def test_a_provincial_organiser_cannot_touch_the_national_programme(
    client, small_conference, make_user, small_tree, superuser
):
    conference = small_conference.conference
    item = services.programme_item_create(
        actor=superuser, conference=conference, kind="topic", title="Chuyên đề"
    )
    insider = PersonFactory(unit=small_tree.hanoi, given_name="Gần")
    _login(client, make_user(GrantRole.ORGANISER, small_tree.hanoi))
    response = client.post(_programme_url(conference, "presenter_add", item.pk), {"person": insider.code})
    # Hà Nội sees the national conference (inside its part of the tree) but may not change it.
    assert response.status_code == 403
    assert client.get(_programme_url(conference, "programme_item_edit", item.pk)).status_code == 403
    assert not item.presenters.exists()


def test_a_presenter_outside_the_actors_tree_is_refused_beside_the_field(
    client, small_tree, make_user, superuser
):
    conference = services.conference_create(
        actor=superuser, organising_unit=small_tree.hanoi, title="Hà Nội", starts_at=timezone.now()
    )
    item = services.programme_item_create(
        actor=superuser, conference=conference, kind="topic", title="Chuyên đề"
    )
    outsider = PersonFactory(unit=small_tree.hcm, given_name="Xa")
    _login(client, make_user(GrantRole.ORGANISER, small_tree.hanoi))
    response = client.post(_programme_url(conference, "presenter_add", item.pk), {"person": outsider.code})
    assert response.status_code == 400
    assert "Không tìm thấy cán bộ" in response.content.decode()
    assert not item.presenters.exists()


def test_viewer_sees_the_programme_without_tools_and_gets_403_on_changes(
    client, small_conference, make_user, small_tree, superuser
):
    conference = small_conference.conference
    item = services.programme_item_create(
        actor=superuser, conference=conference, kind="topic", title="Chuyên đề"
    )
    _login(client, make_user(GrantRole.VIEWER, small_tree.national))
    page = client.get(_programme_url(conference)).content.decode()
    assert "Chuyên đề" in page and "Thêm mục chương trình" not in page
    assert client.post(_programme_url(conference, "programme_item_delete", item.pk)).status_code == 403
    assert (
        client.post(
            _programme_url(conference, "programme_item_move", item.pk), {"direction": "up"}
        ).status_code
        == 403
    )
    assert client.get(_programme_url(conference, "programme_item_edit", item.pk)).status_code == 403
    response = client.post(
        _programme_url(conference, "programme_item_create"), {"kind": "topic", "title": "Mới"}
    )
    assert response.status_code == 403
    assert conference.programme.count() == 1


def test_a_presenter_named_without_a_title_is_printed_with_their_position(
    client, small_conference, national_organiser, small_tree, superuser
):
    """The programme print-out named presenters without their titles (issue 17)."""
    from hoinghi.orgs.tests.factories import PositionFactory, PositionRoleFactory

    conference = small_conference.conference
    item = services.programme_item_create(
        actor=superuser, conference=conference, kind="topic", title="Chuyên đề 1"
    )
    person = PersonFactory(
        unit=small_tree.national, family_name="Trần", middle_name="Thanh", given_name="Hải"
    )
    role = PositionRoleFactory(code="vice_president", name="Phó Chủ tịch Thường trực", sort_order=5)
    PositionFactory(person=person, unit=small_tree.national, role=role)
    _login(client, national_organiser)

    client.post(
        _programme_url(conference, "presenter_add", item.pk),
        {"person": f"{person.code} — {person.full_name}"},
    )

    presenter = item.presenters.get()
    assert presenter.title == "Phó Chủ tịch Thường trực Tổng Liên đoàn Lao động Việt Nam"
    pdf = client.get(reverse("conferences:programme_pdf", args=[conference.pk]))
    assert pdf.status_code == 200
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Phó Chủ tịch Thường trực" in " ".join(text.split())
