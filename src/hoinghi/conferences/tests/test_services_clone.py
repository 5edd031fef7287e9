"""Cloning a conference for the next one: the preparation is copied, nothing of the morning, the
original stays as it was; and through the page, who may clone."""

from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoinghi.conferences import services
from hoinghi.conferences.models import (
    BridgePointUnit,
    Conference,
    ConferenceStatus,
    Invitation,
    Material,
    Presenter,
)
from hoinghi.conferences.tests.conftest import ZONE
from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import GrantRole

NEXT_START = datetime(2019, 6, 6, 8, 0, tzinfo=ZONE)
PDF = b"%PDF-1.4\n% Nghi quyet Dai hoi XII\n"


@pytest.fixture
def prepared(small_conference, superuser, make_user, settings, tmp_path):
    """The small conference prepared and issued: a programme with presenters and times, a material
    of an item, an operator and a tested link on the Ba Đình point, invitations."""
    settings.MEDIA_ROOT = tmp_path / "media"
    conference = small_conference.conference
    opening = services.programme_item_create(
        actor=superuser,
        conference=conference,
        kind="opening",
        title="Khai mạc",
        planned_start=datetime(2018, 12, 6, 8, 0, tzinfo=ZONE),
        planned_end=datetime(2018, 12, 6, 8, 30, tzinfo=ZONE),
    )
    topic = services.programme_item_create(
        actor=superuser, conference=conference, kind="topic", title="Chuyên đề 1"
    )
    services.presenter_add(actor=superuser, item=opening, guest_name="Nguyễn Đình Khang", title="Chủ tịch")
    services.presenter_add(
        actor=superuser, item=topic, person=small_conference.people["HN"], title="Phó Chủ tịch"
    )
    services.material_upload(
        actor=superuser,
        conference=conference,
        title="Nghị quyết",
        item=topic,
        file=SimpleUploadedFile("nghi-quyet.pdf", PDF),
    )
    operator = make_user()
    services.point_operator_add(actor=superuser, point=small_conference.ba_dinh_point, user=operator)
    services.point_readiness_mark(
        actor=superuser, point=small_conference.ba_dinh_point, item="link_tested_at", done=True
    )
    services.conference_issue(actor=superuser, conference=conference)
    conference.refresh_from_db()
    small_conference.operator = operator
    return small_conference


def _programme(conference):
    return [
        (
            item.order,
            item.kind,
            item.title,
            [(p.person_id, p.guest_name, p.title) for p in item.presenters.all()],
        )
        for item in conference.programme.order_by("order").prefetch_related("presenters")
    ]


def _points(conference):
    return sorted(
        (
            point.name,
            point.level_id,
            point.unit_id,
            point.is_host,
            sorted(BridgePointUnit.objects.filter(point=point).values_list("unit_id", flat=True)),
        )
        for point in conference.points.all()
    )


def _rules(conference):
    return [
        (
            rule.name,
            rule.full_time,
            rule.min_member_count,
            rule.within_id,
            sorted(r.pk for r in rule.roles.all()),
            sorted(r.pk for r in rule.levels.all()),
        )
        for rule in conference.rules.order_by("order", "id")
    ]


def _snapshot(conference):
    return (
        _programme(conference),
        _points(conference),
        _rules(conference),
        Invitation.objects.filter(conference=conference).count(),
        sorted(conference.points.values_list("name", "link_tested_at")),
        sorted(conference.points.values_list("name", "operators")),
        list(conference.materials.values_list("title", "file")),
    )


def test_the_clone_has_the_same_programme_points_rules_and_materials_and_none_of_the_morning(
    prepared, superuser
):
    original = prepared.conference
    before = _snapshot(original)

    clone = services.conference_clone(
        actor=superuser, conference=original, title="Hội nghị sơ kết", starts_at=NEXT_START
    )

    assert clone.pk != original.pk and clone.status == ConferenceStatus.DRAFT
    assert clone.title == "Hội nghị sơ kết" and clone.organising_unit_id == original.organising_unit_id
    assert _programme(clone) == _programme(original)
    assert _points(clone) == _points(original)
    assert _rules(clone) == _rules(original)
    # Times move with the start; the material follows its item, with a file of its own.
    opening = clone.programme.get(kind="opening")
    assert opening.planned_start == NEXT_START and opening.planned_end == NEXT_START + timedelta(minutes=30)
    material = Material.objects.get(conference=clone)
    assert material.item == clone.programme.get(title="Chuyên đề 1")
    assert material.file.name != original.materials.get().file.name
    with material.file.open("rb") as copied:
        assert copied.read() == PDF
    # None of the morning: no invitations, no readiness, no operators.
    assert not Invitation.objects.filter(conference=clone).exists()
    assert not clone.points.filter(link_tested_at__isnull=False).exists()
    assert not clone.points.filter(operators__isnull=False).exists()
    assert clone.transitions.count() == 0

    assert _snapshot(original) == before
    entry = AuditEntry.objects.get(type="conferences.conference.cloned")
    assert entry.actor == superuser
    assert entry.data["source"] == original.pk and entry.data["points"] == 3 and entry.data["operators"] == 0


def test_operators_are_kept_only_when_asked(prepared, superuser):
    clone = services.conference_clone(
        actor=superuser,
        conference=prepared.conference,
        title="Lần sau",
        starts_at=NEXT_START,
        keep_operators=True,
    )
    point = clone.points.get(name="Điểm cầu Ba Đình")
    assert list(point.operators.all()) == [prepared.operator]
    assert clone.points.filter(operators__isnull=False).count() == 1
    # The original point keeps its operator.
    assert list(prepared.ba_dinh_point.operators.all()) == [prepared.operator]


def test_the_clone_can_be_issued_and_invites_the_same_people(prepared, superuser):
    clone = services.conference_clone(
        actor=superuser, conference=prepared.conference, title="Lần sau", starts_at=NEXT_START
    )
    services.conference_issue(actor=superuser, conference=clone)
    invited = set(Invitation.objects.filter(conference=clone).values_list("person_id", "point__name"))
    assert invited == set(
        Invitation.objects.filter(conference=prepared.conference).values_list("person_id", "point__name")
    )


def test_the_clone_page_states_what_is_copied_and_makes_a_draft(client, prepared, small_tree, make_user):
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.national))
    original = prepared.conference
    detail = client.get(reverse("conferences:detail", args=[original.pk]))
    assert reverse("conferences:clone", args=[original.pk]) in detail.content.decode()
    page = client.get(reverse("conferences:clone", args=[original.pk]))
    assert page.status_code == 200
    plan = page.context["plan"]
    assert (plan.programme_items, plan.points, plan.rules, plan.materials, plan.operators) == (2, 3, 2, 1, 1)
    response = client.post(
        reverse("conferences:clone", args=[original.pk]),
        {"title": "Hội nghị sơ kết", "starts_at": "06/06/2019 08:00", "keep_operators": "on"},
    )
    clone = Conference.objects.get(title="Hội nghị sơ kết")
    assert response.status_code == 302 and response["Location"] == reverse(
        "conferences:detail", args=[clone.pk]
    )
    assert clone.starts_at == NEXT_START and clone.points.filter(operators__isnull=False).count() == 1
    assert Presenter.objects.filter(item__conference=clone).count() == 2


def test_an_empty_title_is_refused_on_its_field(client, prepared, small_tree, make_user):
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.national))
    response = client.post(
        reverse("conferences:clone", args=[prepared.conference.pk]),
        {"title": "", "starts_at": "06/06/2019 08:00"},
    )
    assert response.status_code == 200 and "title" in response.context["form"].errors
    assert Conference.objects.count() == 1


def test_an_organiser_outside_the_conferences_part_of_the_tree_gets_404(
    client, small_tree, superuser, make_user, point_levels
):
    conference = services.conference_create(
        actor=superuser,
        organising_unit=small_tree.hcm,
        title="Hội nghị của Thành phố",
        starts_at=datetime(2018, 12, 6, 8, 0, tzinfo=ZONE),
    )
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hanoi))
    assert client.get(reverse("conferences:clone", args=[conference.pk])).status_code == 404
    response = client.post(
        reverse("conferences:clone", args=[conference.pk]), {"title": "Chép", "starts_at": "06/06/2019 08:00"}
    )
    assert response.status_code == 404
    assert Conference.objects.count() == 1


def test_a_provincial_organiser_following_a_national_conference_may_not_clone_it(
    client, prepared, small_tree, make_user
):
    """They see it (it concerns their province) but do not organise it: refused, not hidden."""
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hcm))
    detail = client.get(reverse("conferences:detail", args=[prepared.conference.pk]))
    assert reverse("conferences:clone", args=[prepared.conference.pk]) not in detail.content.decode()
    assert client.get(reverse("conferences:clone", args=[prepared.conference.pk])).status_code == 403
    assert Conference.objects.count() == 1
