"""Reminding by e-mail those who must write a report and have not submitted it: by an organiser
for a unit's subtree (after a page that states the count), or automatically some days before the
due date when the assignment asks for it.

The e-mails go through the conference's outbox (`conferences.services.outbox_queue`), the one
way an e-mail reaches an invitee; this app says how a reminder reads (`reminder_email`, filling
"conferences.outbox_email"), with the invitee's personal link to write the report.

**Twice?** Nobody is reminded twice within `REMINDER_INTERVAL`, whoever sends: each reminder is a
`Reminder` row, and a sending locks the assignment's row first (`select_for_update`), so two
organisers pressing the button at once (or the automatic reminder meanwhile) cannot both pick the
same people.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.conferences import services as conferences
from hoinghi.conferences.models import OutboxMessage
from hoinghi.core.models import audit
from hoinghi.core.permissions import require
from hoinghi.learning_reports.errors import ReminderError, ReminderErrorCode
from hoinghi.learning_reports.models import Assignment, Reminder
from hoinghi.learning_reports.statistics import not_submitted

REMIND = "learning_reports.remind"
REMINDER_EMAIL = "learning_reports.reminder"  # the kind of the outbox's messages
REMINDER_INTERVAL = timedelta(hours=24)


def reminder_recipients(*, actor, assignment: Assignment, unit=None, now=None):
    """Who a reminder would go to now: must write, has not submitted, has an e-mail address, and
    was not reminded within `REMINDER_INTERVAL`; within what the actor may remind (None: the
    automatic reminder, everyone) and `unit`'s subtree. What the confirmation page counts is
    exactly what `reminders_send` queues."""
    since = (now or timezone.now()) - REMINDER_INTERVAL
    recent = Reminder.objects.filter(assignment=assignment, created_at__gt=since).values("invitation_id")
    return (
        not_submitted(actor=actor, assignment=assignment, unit=unit, action=REMIND)
        .exclude(person__email="")
        .exclude(pk__in=recent)
    )


def _send(*, actor, assignment: Assignment, unit, now, expected: int | None) -> int:
    recipients = list(
        reminder_recipients(actor=actor, assignment=assignment, unit=unit, now=now).values_list(
            "pk", "person__email"
        )
    )
    if expected is not None and expected != len(recipients):
        raise ReminderError(
            _("Danh sách người nhận đã đổi (%(expected)s thành %(count)s): xin xem lại và xác nhận lại."),
            code=ReminderErrorCode.COUNT_CHANGED,
            params={"expected": expected, "count": len(recipients)},
        )
    Reminder.objects.bulk_create(
        (
            Reminder(assignment=assignment, invitation_id=pk, sent_by=actor, created_at=now)
            for pk, _email in recipients
        ),
        batch_size=2000,
    )
    subject = _("Nhắc nộp bài thu hoạch: %(title)s") % {"title": assignment.title}
    return conferences.outbox_queue(
        conference=assignment.conference, kind=REMINDER_EMAIL, recipients=recipients, subject=subject
    )


@transaction.atomic
def reminders_send(*, actor, assignment: Assignment, unit, expected: int | None = None) -> int:
    """E-mail a reminder to each invitee of `unit`'s subtree who must write and has not submitted
    (`reminder_recipients`), with their personal link to write the report. Returns how many were
    queued; at once again, none (nobody is reminded twice within `REMINDER_INTERVAL`).

    `expected` is the count the organiser confirmed: if the list changed meanwhile nothing is
    queued. Locks the assignment's row. Raises `NotFoundError` outside the actor's reach,
    `PermissionDeniedError` for who may read but not remind, `ReminderError(count_changed)`."""
    require(actor, REMIND, unit)
    Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
    count = _send(actor=actor, assignment=assignment, unit=unit, now=timezone.now(), expected=expected)
    audit(
        actor=actor,
        type="learning_reports.reminders.sent",
        obj=assignment,
        unit_path=unit.path,
        queued=count,
    )
    return count


def automatic_reminder_at(assignment: Assignment):
    """When the assignment's automatic reminder is due, or None when it asks for none."""
    if assignment.remind_days_before is None:
        return None
    return assignment.due_at - timedelta(days=assignment.remind_days_before)


@transaction.atomic
def reminders_automatic(*, now=None) -> dict[int, int]:
    """Send the automatic reminders that are due (the time `automatic_reminder_at` has come, the
    due date not yet, and not sent for this due date): to everyone who must write and has not
    submitted, but those reminded within `REMINDER_INTERVAL`. Returns {assignment id: queued}.
    No actor: the task worker runs it (tasks.reminders_automatic); each sending is audited."""
    now = now or timezone.now()
    sent = {}
    candidates = Assignment.objects.select_for_update().filter(
        remind_days_before__isnull=False, due_at__gt=now
    )
    for assignment in candidates.select_related("conference__organising_unit"):
        at = automatic_reminder_at(assignment)
        if at > now or assignment.auto_reminded_for == assignment.due_at:
            continue
        sent[assignment.pk] = _send(actor=None, assignment=assignment, unit=None, now=now, expected=None)
        assignment.auto_reminded_for = assignment.due_at
        assignment.save(update_fields=["auto_reminded_for", "updated_at"])
        audit(
            actor=None,
            type="learning_reports.reminders.sent",
            obj=assignment,
            unit_path=assignment.conference.organising_unit.path,
            queued=sent[assignment.pk],
            automatic=True,
        )
    return sent


def reminder_email(message: OutboxMessage) -> EmailMultiAlternatives:
    """A reminder as the outbox sends it (filling "conferences.outbox_email"): the invitee's
    personal link to write the report, read when the message is sent."""
    invitation = message.invitation
    assignment = Assignment.objects.filter(conference_id=message.conference_id).first()
    context = {
        "conference": message.conference,
        "assignment": assignment,
        "person": invitation.person,
        "due": timezone.localtime(assignment.due_at) if assignment else None,
        "link": settings.HOINGHI_BASE_URL
        + reverse("learning_reports:write", kwargs={"token": invitation.token}),
    }
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=render_to_string("learning_reports/reminder_email.txt", context),
        to=[message.to],
    )
    email.attach_alternative(render_to_string("learning_reports/reminder_email.html", context), "text/html")
    return email
