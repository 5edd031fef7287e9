"""The writer's pages and endpoints, through the real URLs of their personal link."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from hoinghi.conferences import services as conferences
from hoinghi.learning_reports.models import Note, Report, ReportState
from hoinghi.learning_reports.tests.conftest import plan, sections, words


def _put(client, url, body):
    return client.put(url, data=json.dumps(body), content_type="application/json")


def _draft_url(invitation):
    return f"/api/invitations/{invitation.token}/report"


def test_the_writer_opens_the_editor_through_their_link(client, writing):
    chi = writing.invitations["Chi"]
    page = client.get(reverse("learning_reports:write", args=[chi.token]))
    assert page.status_code == 200
    body = page.content.decode()
    assert writing.assignment.title in body
    assert 'data-section="learned"' in body and 'data-section="plans"' in body
    assert page["Cache-Control"] == "private, no-store"
    assert "learning_reports/editor.js" in body


def test_an_unknown_token_finds_nothing(client, writing):
    assert client.get(reverse("learning_reports:write", args=["khong-co"])).status_code == 404
    assert (
        _put(client, "/api/invitations/khong-co/report", {"revision": 0, "sections": {}}).status_code == 404
    )


def test_the_autosave_endpoint_saves_and_tells_of_a_conflict_with_the_stored_text(client, writing):
    chi = writing.invitations["Chi"]
    first = _put(client, _draft_url(chi), {"revision": 0, "sections": sections(), "plans": [plan()]})
    assert first.status_code == 200
    assert first.json()["revision"] == 1 and first.json()["syllables"] == 40
    phone = {"revision": 1, "sections": sections(learned="điện thoại " + words(20)), "plans": []}
    assert _put(client, _draft_url(chi), phone).json()["revision"] == 2
    laptop = {"revision": 1, "sections": sections(learned="máy tính " + words(20)), "plans": []}
    refused = _put(client, _draft_url(chi), laptop)
    assert refused.status_code == 409
    assert refused.json()["code"] == "draft_conflict"
    assert refused.json()["params"]["sections"]["learned"].startswith("điện thoại")
    report = Report.objects.get()
    assert report.draft_sections["learned"].startswith("điện thoại")
    assert report.conflicts.get().sections["learned"].startswith("máy tính")


def test_a_link_reaches_only_its_own_report(client, writing):
    chi, lan = writing.invitations["Chi"], writing.invitations["Lan"]
    secret = "Bài riêng của Chi " + words(20)
    _put(client, _draft_url(chi), {"revision": 0, "sections": sections(learned=secret)})
    lan_page = client.get(reverse("learning_reports:write", args=[lan.token])).content.decode()
    assert "Bài riêng của Chi" not in lan_page
    _put(client, _draft_url(lan), {"revision": 0, "sections": sections(learned="Bài của Lan " + words(20))})
    assert Report.objects.get(invitation=chi).draft_sections["learned"] == secret
    assert Report.objects.count() == 2
    # A revoked token no longer reaches anything.
    from hoinghi.accounts.tests.factories import UserFactory

    old_token = chi.token
    conferences.invitation_token_revoke(actor=UserFactory(is_superuser=True), invitation=chi)
    assert client.get(reverse("learning_reports:write", args=[old_token])).status_code == 404
    old_url = f"/api/invitations/{old_token}/report"
    assert _put(client, old_url, {"revision": 1, "sections": sections()}).status_code == 404


def test_submitting_through_the_page_freezes_the_report_and_a_second_submit_is_refused(client, writing):
    chi = writing.invitations["Chi"]
    _put(client, _draft_url(chi), {"revision": 0, "sections": sections(), "plans": [plan()]})
    url = reverse("learning_reports:submit", args=[chi.token])
    response = client.post(url, {"revision": 1})
    assert response.status_code == 302
    assert Report.objects.get().state == ReportState.SUBMITTED
    page = client.get(reverse("learning_reports:write", args=[chi.token])).content.decode()
    assert "Lần 1" in page and "editor.js" not in page  # read only now
    again = client.post(url, {"revision": 1})
    assert again.status_code == 400
    assert "Bài đã được nộp lúc" in again.content.decode()


def test_a_refused_submit_says_why_on_the_page(client, writing):
    chi = writing.invitations["Chi"]
    _put(
        client,
        _draft_url(chi),
        {"revision": 0, "sections": {"learned": "ngắn", "plans": "ngắn"}, "plans": [plan()]},
    )
    response = client.post(reverse("learning_reports:submit", args=[chi.token]), {"revision": 1})
    assert response.status_code == 400
    assert "cần ít nhất 10" in response.content.decode()
    assert Report.objects.get().state == ReportState.DRAFT


def test_the_invitation_page_shows_the_report_card_and_the_notes_pad(client, writing):
    chi = writing.invitations["Chi"]
    page = client.get(reverse("personal:invitation_page", args=[chi.token])).content.decode()
    assert reverse("learning_reports:write", args=[chi.token]) in page
    assert f'data-item="{writing.item.pk}"' in page
    assert "learning_reports/notes.js" in page


def test_notes_are_saved_through_the_link(client, writing):
    chi = writing.invitations["Chi"]
    url = f"/api/invitations/{chi.token}/notes/{writing.item.pk}"
    now = timezone.now().isoformat()
    response = _put(client, url, {"text": "Ba khâu đột phá", "written_at": now})
    assert response.status_code == 200
    assert Note.objects.get(invitation=chi).text == "Ba khâu đột phá"
    page = client.get(reverse("learning_reports:write", args=[chi.token])).content.decode()
    assert "Ba khâu đột phá" in page  # the notes stand beside the report
    assert (
        _put(
            client, f"/api/invitations/{chi.token}/notes/999999", {"text": "x", "written_at": now}
        ).status_code
        == 404
    )


@pytest.mark.parametrize("name", ["Chi"])
def test_a_conference_without_an_assignment_has_no_editor(client, small_conference, superuser, name):
    conferences.conference_issue(actor=superuser, conference=small_conference.conference)
    invitation = small_conference.conference.invitations.get(person__given_name=name)
    assert client.get(reverse("learning_reports:write", args=[invitation.token])).status_code == 404
    assert (
        "learning-report"
        not in client.get(reverse("personal:invitation_page", args=[invitation.token])).content.decode()
    )


def test_an_autosave_costs_a_fixed_number_of_queries(client, writing, django_assert_num_queries):
    chi = writing.invitations["Chi"]
    _put(client, _draft_url(chi), {"revision": 0, "sections": sections(), "plans": [plan()]})
    # The token, the assignment; then, in a transaction, the locked report and its update.
    with django_assert_num_queries(6):
        answer = _put(client, _draft_url(chi), {"revision": 1, "sections": sections(), "plans": []})
    assert answer.json()["revision"] == 2
