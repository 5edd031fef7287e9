"""Deleting a conference, or cancelling it once its invitations went out (issue 17, item 5)."""

import pytest
from django.urls import reverse

from hoinghi.conferences import services
from hoinghi.conferences.errors import ConferenceError, ConferenceErrorCode
from hoinghi.conferences.models import Conference, ConferenceStatus, Invitation
from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import GrantRole


@pytest.fixture
def organiser(make_user, small_tree):
    return make_user(GrantRole.ORGANISER, small_tree.national)


def _detail(client, conference):
    return client.get(reverse("conferences:detail", args=[conference.pk]))


def test_a_draft_whose_invitations_never_went_out_has_a_delete_button_and_is_deleted(
    client, small_conference, organiser
):
    conference = small_conference.conference
    client.force_login(organiser)
    page = _detail(client, conference).content.decode()
    assert 'id="conference-delete"' in page and 'id="conference-cancel"' not in page
    response = client.post(reverse("conferences:delete", args=[conference.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("conferences:list")
    assert not Conference.objects.filter(pk=conference.pk).exists()
    assert AuditEntry.objects.filter(type="conferences.conference.deleted", actor=organiser).exists()


def test_a_conference_whose_invitations_went_out_shows_cancel_not_delete_and_refuses_delete(
    client, small_conference, organiser, superuser
):
    conference = small_conference.conference
    services.conference_issue(actor=superuser, conference=conference)
    client.force_login(organiser)
    page = _detail(client, conference).content.decode()
    assert 'id="conference-delete"' not in page
    assert 'id="conference-cancel"' in page and 'id="no-delete-reason"' in page
    assert "không thể xóa hội nghị" in page

    response = client.post(reverse("conferences:delete", args=[conference.pk]))
    assert (response.status_code, response.context["code"]) == (400, ConferenceErrorCode.INVITATIONS_SENT)
    assert "hủy hội nghị" in response.content.decode()
    assert Conference.objects.filter(pk=conference.pk).exists()


def test_going_back_to_draft_does_not_make_a_conference_deletable(small_conference, superuser):
    """Back in draft its invitations are withdrawn, not gone: people received them."""
    conference = small_conference.conference
    services.conference_issue(actor=superuser, conference=conference)
    services.conference_transition(actor=superuser, conference=conference, to_status=ConferenceStatus.DRAFT)
    with pytest.raises(ConferenceError) as error:
        services.conference_delete(actor=superuser, conference=conference)
    assert error.value.code == ConferenceErrorCode.INVITATIONS_SENT
    assert Invitation.objects.filter(conference=conference).exists()


def test_cancelling_keeps_the_invitations_records_the_reason_and_ends_every_change(
    client, small_conference, organiser, superuser
):
    conference = small_conference.conference
    services.conference_issue(actor=superuser, conference=conference)
    invitations = Invitation.objects.filter(conference=conference).count()
    client.force_login(organiser)
    url = reverse("conferences:transition", args=[conference.pk])

    response = client.post(url, {"to_status": ConferenceStatus.CANCELLED, "reason": "  "})
    assert (response.status_code, response.context["code"]) == (400, ConferenceErrorCode.REASON_REQUIRED)

    response = client.post(
        url, {"to_status": ConferenceStatus.CANCELLED, "reason": "Hoãn theo chỉ đạo"}, follow=True
    )
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.CANCELLED
    assert Invitation.objects.filter(conference=conference).count() == invitations
    transition = conference.transitions.get(to_status=ConferenceStatus.CANCELLED)
    assert (transition.reason, transition.actor) == ("Hoãn theo chỉ đạo", organiser)
    page = response.content.decode()
    assert 'id="cancelled"' in page and "Hoãn theo chỉ đạo" in page
    assert 'id="conference-cancel"' not in page and 'id="conference-delete"' not in page
    assert AuditEntry.objects.get(type="conferences.conference.moved", data__to_status="cancelled").data[
        "reason"
    ] == ("Hoãn theo chỉ đạo")

    # Nothing follows a cancellation, and its parts no longer change.
    with pytest.raises(ConferenceError) as error:
        services.conference_transition(
            actor=superuser, conference=conference, to_status=ConferenceStatus.LIVE
        )
    assert error.value.code == ConferenceErrorCode.BAD_TRANSITION
    with pytest.raises(ConferenceError) as error:
        services.point_update(actor=superuser, point=small_conference.host, name="Khác")
    assert error.value.code == ConferenceErrorCode.STAGE_FORBIDS


def test_the_invitees_page_says_the_conference_is_cancelled(client, small_conference, superuser):
    conference = small_conference.conference
    services.conference_issue(actor=superuser, conference=conference)
    services.conference_transition(
        actor=superuser, conference=conference, to_status=ConferenceStatus.CANCELLED, reason="Hoãn"
    )
    invitation = Invitation.objects.filter(conference=conference).first()
    page = client.get(reverse("personal:invitation_page", args=[invitation.token])).content.decode()
    assert 'id="cancelled"' in page


def test_a_live_conference_is_not_cancelled(small_conference, superuser):
    conference = small_conference.conference
    services.conference_issue(actor=superuser, conference=conference)
    services.conference_transition(actor=superuser, conference=conference, to_status=ConferenceStatus.LIVE)
    with pytest.raises(ConferenceError) as error:
        services.conference_transition(
            actor=superuser, conference=conference, to_status=ConferenceStatus.CANCELLED, reason="Muộn"
        )
    assert error.value.code == ConferenceErrorCode.BAD_TRANSITION


@pytest.mark.parametrize(("role", "unit", "status"), [("viewer", "national", 403), ("organiser", "hcm", 403)])
def test_who_may_not_change_the_conference_neither_deletes_nor_cancels_it(
    client, small_conference, make_user, small_tree, role, unit, status
):
    conference = small_conference.conference
    client.force_login(make_user(role, getattr(small_tree, unit)))
    assert 'id="conference-delete"' not in _detail(client, conference).content.decode()
    assert client.post(reverse("conferences:delete", args=[conference.pk])).status_code == status
    response = client.post(
        reverse("conferences:transition", args=[conference.pk]), {"to_status": "cancelled", "reason": "x"}
    )
    assert response.status_code == status
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.DRAFT
