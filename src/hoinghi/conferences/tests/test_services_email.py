"""Invitation e-mails: who gets one, what it says, that nobody gets two, and what a failing mail
server leaves behind. Mail goes to Django's in-memory outbox (pytest-django's `mailoutbox`)."""

import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from hoinghi.conferences import selectors, services
from hoinghi.conferences.errors import ConferenceErrorCode
from hoinghi.conferences.models import Invitation, OutboxMessage, OutboxStatus
from hoinghi.core.errors import DomainError
from hoinghi.core.permissions import GrantRole


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message: our stand-in for an SMTP outage."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("421 Dịch vụ tạm ngừng")


FAILING_MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}


@pytest.fixture
def issued(small_conference, superuser):
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    small_conference.conference.refresh_from_db()
    return small_conference


def _send(actor, conference, capture, **kwargs) -> int:
    with capture(execute=True):
        return services.invitations_email(actor=actor, conference=conference, **kwargs)


def test_each_invitee_with_an_address_gets_one_email_with_their_personal_link(
    issued, superuser, mailoutbox, django_capture_on_commit_callbacks, settings
):
    conference = issued.conference
    settings.HOINGHI_BASE_URL = "https://hoinghi.congdoan.vn"
    queued = _send(superuser, conference, django_capture_on_commit_callbacks)

    assert queued == 5  # the grassroots chairs have a phone number only
    assert sorted(address for message in mailoutbox for address in message.to) == [
        "hcm-q1@cd.vn",
        "hcm@cd.vn",
        "hn-bd@cd.vn",
        "hn@cd.vn",
        "tld@cd.vn",
    ]
    message = next(m for m in mailoutbox if m.to == ["hcm@cd.vn"])
    invitation = Invitation.objects.get(conference=conference, person=issued.people["HCM"])
    assert message.subject == "Giấy mời dự Hội nghị thử"
    link = f"https://hoinghi.congdoan.vn/moi/{invitation.token}/"
    assert link in message.body
    assert "Điểm cầu Hồ Chí Minh" in message.body and "06/12/2018" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and link in html
    invitation.refresh_from_db()
    assert invitation.email_sent_at is not None
    stored = OutboxMessage.objects.get(invitation=invitation)
    assert (stored.status, stored.attempts, stored.to) == (OutboxStatus.SENT, 1, "hcm@cd.vn")
    assert stored.sent_at is not None


def test_a_person_without_an_address_is_skipped_and_counted(
    issued, superuser, mailoutbox, django_capture_on_commit_callbacks
):
    _send(superuser, issued.conference, django_capture_on_commit_callbacks)
    lan = Invitation.objects.get(conference=issued.conference, person=issued.people["chair-a"])
    assert not lan.messages.exists()
    summary = selectors.outbox_summary(actor=superuser, conference=issued.conference)
    assert (summary.sent, summary.failed, summary.queued, summary.without_email) == (5, 0, 0, 1)
    assert summary.not_written == 0


def test_sending_twice_does_not_send_twice(issued, superuser, mailoutbox, django_capture_on_commit_callbacks):
    assert _send(superuser, issued.conference, django_capture_on_commit_callbacks) == 5
    assert _send(superuser, issued.conference, django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 5
    assert OutboxMessage.objects.count() == 5


def test_a_newcomer_after_reapplying_is_the_only_one_written_to(
    issued, superuser, mailoutbox, django_capture_on_commit_callbacks, small_tree
):
    _send(superuser, issued.conference, django_capture_on_commit_callbacks)
    minh = issued.people["chair-b"]
    minh.email = "minh@cd.vn"
    minh.save()
    small_tree.grassroots_b.member_count = 2100
    small_tree.grassroots_b.save()
    services.invitations_reapply(actor=superuser, conference=issued.conference)
    mailoutbox.clear()
    assert _send(superuser, issued.conference, django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mailoutbox] == [["minh@cd.vn"]]


def test_sending_for_one_point_writes_only_to_its_invitees(
    issued, superuser, mailoutbox, django_capture_on_commit_callbacks
):
    queued = _send(
        superuser, issued.conference, django_capture_on_commit_callbacks, point=issued.ba_dinh_point
    )
    assert queued == 1
    assert [m.to for m in mailoutbox] == [["hn-bd@cd.vn"]]


def test_a_provincial_organiser_writes_only_to_their_subtree(
    client, issued, small_tree, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hcm))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("conferences:send_emails", args=[issued.conference.pk]), {"expected": "2"}
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == ["hcm-q1@cd.vn", "hcm@cd.vn"]
    page = client.get(reverse("conferences:outbox", args=[issued.conference.pk]))
    assert page.context["summary"].sent == 2
    assert {m.to for m in page.context["page"]} == {"hcm-q1@cd.vn", "hcm@cd.vn"}


def test_a_viewer_cannot_send(client, issued, small_tree, make_user, mailoutbox):
    client.force_login(make_user(GrantRole.VIEWER, small_tree.hcm))
    assert client.get(reverse("conferences:outbox", args=[issued.conference.pk])).status_code == 200
    response = client.post(reverse("conferences:send_emails", args=[issued.conference.pk]))
    assert response.status_code == 403
    assert not OutboxMessage.objects.exists() and not mailoutbox


def test_nothing_is_sent_before_invitations_are_issued(small_conference, superuser):
    with pytest.raises(DomainError) as error:
        services.invitations_email(actor=superuser, conference=small_conference.conference)
    assert error.value.code == ConferenceErrorCode.STAGE_FORBIDS


def test_a_mail_server_failure_is_recorded_and_the_message_can_be_retried(
    client, issued, superuser, mailoutbox, django_capture_on_commit_callbacks, settings
):
    conference = issued.conference
    locmem = settings.MAILERS
    settings.MAILERS = FAILING_MAILERS
    _send(superuser, conference, django_capture_on_commit_callbacks, point=issued.hcm_point)

    failed = list(OutboxMessage.objects.filter(conference=conference))
    assert {m.status for m in failed} == {OutboxStatus.FAILED} and len(failed) == 2
    assert all("SMTPException" in m.error and m.attempts == 1 and m.sent_at is None for m in failed)
    assert not Invitation.objects.filter(conference=conference, email_sent_at__isnull=False).exists()
    assert not mailoutbox
    # Asking to send again does not duplicate a failed message: the outbox retries it.
    assert _send(superuser, conference, django_capture_on_commit_callbacks, point=issued.hcm_point) == 0

    settings.MAILERS = locmem
    client.force_login(superuser)
    page = client.get(reverse("conferences:outbox", args=[conference.pk]), {"status": "failed"})
    assert page.context["summary"].failed == 2 and "421 Dịch vụ tạm ngừng" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("conferences:outbox_retry", args=[conference.pk]), {"message": failed[0].pk})
    failed[0].refresh_from_db()
    assert (failed[0].status, failed[0].attempts, failed[0].error) == (OutboxStatus.SENT, 2, "")
    assert [m.to for m in mailoutbox] == [[failed[0].to]]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("conferences:outbox_retry", args=[conference.pk]))
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert len(mailoutbox) == 2
