"""Reminders to those who have not submitted: counted and confirmed, sent through the conference's
outbox with the personal link, nobody twice within the interval, audited, scoped to the subtree;
and the automatic reminder before the due date. Mail goes to Django's in-memory outbox."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hoinghi.conferences import selectors as conference_selectors
from hoinghi.conferences.models import OutboxMessage, OutboxStatus
from hoinghi.core.errors import DomainError
from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import GrantRole
from hoinghi.learning_reports import services
from hoinghi.learning_reports.errors import ReminderErrorCode
from hoinghi.learning_reports.models import Reminder
from hoinghi.learning_reports.services.reminders import REMINDER_EMAIL, REMINDER_INTERVAL
from hoinghi.learning_reports.tests.conftest import submit


@pytest.fixture
def all_must_write(writing):
    """Every invitee must write; Dũng (Hồ Chí Minh) has submitted. Those with an address: An,
    Bình, Chi, Dũng, Hà (Lan has none)."""
    writing.assignment.who_must_write = "all_invitees"
    writing.assignment.save()
    submit(writing, "Dũng")
    return writing


def _url(writing, unit) -> str:
    return reverse("learning_reports:remind", args=[writing.conference.pk]) + f"?don-vi={unit.pk}"


def test_an_organiser_confirms_the_count_and_each_gets_one_email_with_their_link(
    all_must_write, small_tree, make_user, client, mailoutbox, django_capture_on_commit_callbacks
):
    organiser = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    client.force_login(organiser)
    statistics = client.get(
        reverse("learning_reports:statistics", args=[all_must_write.conference.pk]),
        {"don-vi": small_tree.hanoi.pk},
    ).content.decode()
    assert 'id="remind-link"' in statistics
    page = client.get(_url(all_must_write, small_tree.hanoi)).content.decode()
    assert 'data-count="2"' in page  # Bình and Chi; Lan has no address, Hồ Chí Minh is not theirs
    assert "không có thư điện tử" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(all_must_write, small_tree.hanoi), {"expected": 2})
    assert response.status_code == 302
    messages = OutboxMessage.objects.filter(kind=REMINDER_EMAIL)
    assert sorted(messages.values_list("to", flat=True)) == ["hn-bd@cd.vn", "hn@cd.vn"]
    assert set(messages.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert len(mailoutbox) == 2
    chi = all_must_write.invitations["Chi"]
    mail = next(m for m in mailoutbox if m.to == [chi.person.email])
    assert reverse("learning_reports:write", kwargs={"token": chi.token}) in mail.body
    assert "Kính gửi đồng chí" in mail.body and all_must_write.assignment.title in mail.subject
    entry = AuditEntry.objects.get(type="learning_reports.reminders.sent")
    assert entry.actor == organiser and entry.unit_path == small_tree.hanoi.path and entry.data["queued"] == 2


def test_nobody_is_reminded_twice_within_the_interval(all_must_write, small_tree, superuser):
    first = services.reminders_send(
        actor=superuser, assignment=all_must_write.assignment, unit=small_tree.hanoi
    )
    again = services.reminders_send(
        actor=superuser, assignment=all_must_write.assignment, unit=small_tree.national
    )
    assert (first, again) == (2, 2)  # Hà Nội's two, then An and Hà only
    assert (
        services.reminders_send(
            actor=superuser, assignment=all_must_write.assignment, unit=small_tree.national
        )
        == 0
    )
    later = timezone.now() + REMINDER_INTERVAL + timedelta(minutes=1)
    recipients = services.reminder_recipients(
        actor=superuser, assignment=all_must_write.assignment, unit=small_tree.national, now=later
    )
    assert recipients.count() == 4


def test_a_count_that_changed_since_the_confirmation_sends_nothing(all_must_write, small_tree, superuser):
    with pytest.raises(DomainError) as refused:
        services.reminders_send(
            actor=superuser, assignment=all_must_write.assignment, unit=small_tree.hanoi, expected=3
        )
    assert refused.value.code == ReminderErrorCode.COUNT_CHANGED
    assert not Reminder.objects.exists() and not OutboxMessage.objects.filter(kind=REMINDER_EMAIL).exists()


def test_a_reminder_does_not_count_as_the_invitation_email(all_must_write, small_tree, superuser):
    services.reminders_send(actor=superuser, assignment=all_must_write.assignment, unit=small_tree.hanoi)
    still_invited = conference_selectors.email_recipients(
        actor=superuser, conference=all_must_write.conference
    )
    assert all_must_write.invitations["Chi"] in still_invited


@pytest.mark.parametrize(
    ("role", "granted", "asked", "status"),
    [
        (GrantRole.ORGANISER, "hanoi", "hanoi", 200),  # the same unit
        (GrantRole.ORGANISER, "national", "ba_dinh", 200),  # a descendant
        (GrantRole.ORGANISER, "ba_dinh", "hanoi", 404),  # an ancestor
        (GrantRole.ORGANISER, "hcm", "hanoi", 404),  # a sibling
        (GrantRole.VIEWER, "hanoi", "hanoi", 403),  # reads the statistics, may not remind
        (GrantRole.REVIEWER, "hanoi", "hanoi", 404),
    ],
)
def test_reminding_is_for_organisers_within_their_subtree(
    all_must_write, small_tree, make_user, client, role, granted, asked, status
):
    client.force_login(make_user(role, getattr(small_tree, granted)))
    url = _url(all_must_write, getattr(small_tree, asked))
    assert client.get(url).status_code == status
    assert client.post(url, {"expected": 2 if asked == "hanoi" else 1}).status_code == (
        302 if status == 200 else status
    )
    assert Reminder.objects.exists() == (status == 200)


def test_the_automatic_reminder_goes_once_when_its_day_comes(all_must_write, superuser, mailoutbox):
    assignment = all_must_write.assignment
    services.assignment_update(actor=superuser, assignment=assignment, remind_days_before=3)
    assignment.refresh_from_db()
    now = timezone.now()
    assert services.reminders_automatic(now=now) == {}  # due in 7 days: not yet
    day = assignment.due_at - timedelta(days=2)
    assert services.reminders_automatic(now=day) == {assignment.pk: 4}  # An, Bình, Chi, Hà
    assert services.reminders_automatic(now=day + timedelta(hours=1)) == {}
    assert Reminder.objects.filter(sent_by__isnull=True).count() == 4
    assert (
        AuditEntry.objects.filter(type="learning_reports.reminders.sent", data__automatic=True).count() == 1
    )
    # The due date moves a week later: the reminder goes again for it, but not to anyone reminded
    # within the interval.
    services.assignment_update(
        actor=superuser, assignment=assignment, due_at=assignment.due_at + timedelta(days=7)
    )
    assignment.refresh_from_db()
    assert services.reminders_automatic(now=day + timedelta(hours=2)) == {}
    assert services.reminders_automatic(now=assignment.due_at - timedelta(days=2)) == {assignment.pk: 4}


def test_no_automatic_reminder_unless_the_assignment_asks(all_must_write):
    day = all_must_write.assignment.due_at - timedelta(days=1)
    assert services.reminders_automatic(now=day) == {}
