"""When a period's report may be entered, and the reminders to the units that have not sent it.

A data set's period may have a window (`DataSetPeriod`): entry and submission are refused before
it opens and after it closes, except for a unit the level above reopened with a reason
(`submissions.entry_reopen`). The dates are days in local time, both included.

Reminders: `reminders_queue` is run once a day (`hoinghi resolutions-remind`, a systemd timer in
deploy/). For every window that closes within the data set's `remind_days`, or closes today, it
queues one e-mail per data reporter of each unit that has not sent its report; a reminder of the
same kind is never queued twice (a unique row), so running it again, or twice a day, sends
nothing more. The e-mails go through the default mailer in the background, as the conferences'
outbox does (`reminders_send`).
"""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hoinghi.accounts.models import Grant
from hoinghi.core.background import enqueue_on_commit
from hoinghi.core.models import audit
from hoinghi.core.permissions import grant_roles, require
from hoinghi.orgs.models import Unit
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.models import (
    DataSet,
    DataSetPeriod,
    Period,
    ReminderKind,
    ReminderStatus,
    ReportReminder,
    Submission,
    SubmissionState,
)
from hoinghi.resolutions.selectors import dataset_unit_q, window_refusals

REMINDED = "resolutions.reminded"  # who a unit's reminder writes to (resolutions/permissions.py)

REMINDER_BATCH = 50


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


@transaction.atomic
def dataset_period_set(
    *, actor, dataset: DataSet, period: Period, opens_on: date, closes_on: date
) -> DataSetPeriod:
    """Set (or move) the window of a data set's period. Requires `resolutions.manage` on the
    resolution's owner. Raises ResolutionsError (wrong_period; bad_window when it closes before
    it opens)."""
    require(actor, "resolutions.manage", dataset.resolution.owner)
    if period.periodicity != dataset.periodicity:
        raise ResolutionsError(
            _("Kỳ %(period)s không phải là kỳ của bộ báo cáo này."),
            code=ResolutionsErrorCode.WRONG_PERIOD,
            params={"period": str(period)},
        )
    if closes_on < opens_on:
        raise ResolutionsError(
            _("Hạn chót (%(closes)s) không được trước ngày mở nhập (%(opens)s)."),
            code=ResolutionsErrorCode.BAD_WINDOW,
            params={"opens": _day(opens_on), "closes": _day(closes_on)},
        )
    window, _created = DataSetPeriod.objects.update_or_create(
        dataset=dataset, period=period, defaults={"opens_on": opens_on, "closes_on": closes_on}
    )
    audit(
        actor=actor,
        type="resolutions.window.set",
        obj=dataset,
        unit_path=dataset.resolution.owner.path,
        period=period.code,
        opens_on=opens_on.isoformat(),
        closes_on=closes_on.isoformat(),
    )
    return window


def window_check(*, dataset: DataSet, unit: Unit, period: Period) -> None:
    """Raise the refusal of a unit that may not enter the period today (see `window_refusals`)."""
    refusal = window_refusals(dataset=dataset, period=period, unit_ids=[unit.pk]).get(unit.pk)
    if refusal is not None:
        raise refusal


# --- Reminders ---------------------------------------------------------------------------------


def _kind_for(window: DataSetPeriod, today: date) -> str | None:
    if today == window.closes_on:
        return ReminderKind.CLOSING
    if (
        window.closes_on - today
    ).days <= window.dataset.remind_days and window.opens_on <= today < window.closes_on:
        return ReminderKind.BEFORE
    return None


@transaction.atomic
def reminders_queue(*, today: date | None = None) -> int:
    """Queue the reminders due today (see the module's docstring) and send them in the
    background; returns how many were queued now (0 when run again the same day). No actor:
    a daily job."""
    today = today or timezone.localdate()
    windows = DataSetPeriod.objects.filter(closes_on__gte=today, opens_on__lte=today).select_related(
        "dataset", "period"
    )
    queued = 0
    for window in windows:
        kind = _kind_for(window, today)
        if kind is None:
            continue
        dataset = window.dataset
        sent = Submission.objects.filter(
            dataset=dataset,
            period=window.period,
            state__in=(SubmissionState.SUBMITTED, SubmissionState.APPROVED),
        ).values("unit_id")
        missing = Unit.objects.filter(dataset_unit_q(dataset)).exclude(pk__in=sent)
        grants = (
            Grant.objects.filter(role__in=grant_roles(REMINDED), unit__in=missing, user__is_active=True)
            .exclude(user__email="")
            .values_list("unit_id", "user_id", "user__email")
            .order_by("unit_id", "user_id")
        )
        rows = [
            ReportReminder(
                dataset=dataset, period=window.period, unit_id=unit_id, user_id=user_id, kind=kind, to=email
            )
            for unit_id, user_id, email in grants
        ]
        reminders = ReportReminder.objects.filter(dataset=dataset, period=window.period, kind=kind)
        before = reminders.count()
        ReportReminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        added = reminders.count() - before
        queued += added
        if added:
            audit(
                actor=None,
                type="resolutions.reminders.queued",
                obj=dataset,
                unit_path=dataset.resolution.owner.path if dataset.resolution_id else "",
                period=window.period.code,
                kind=kind,
                queued=added,
            )
    if queued:
        enqueue_on_commit("hoinghi.resolutions.tasks.reminders_send")
    return queued


def _reminder_email(reminder: ReportReminder, closes_on: date) -> EmailMessage:
    link = settings.HOINGHI_BASE_URL + reverse(
        "resolutions:entry", args=[reminder.dataset_id, reminder.unit_id, reminder.period_id]
    )
    context = {
        "unit": reminder.unit,
        "dataset": reminder.dataset,
        "period": reminder.period,
        "closes_on": _day(closes_on),
        "is_closing": reminder.kind == ReminderKind.CLOSING,
        "link": link,
    }
    if reminder.kind == ReminderKind.CLOSING:
        subject = _("Hôm nay là hạn chót báo cáo %(period)s") % {"period": reminder.period}
    else:
        subject = _("Nhắc báo cáo %(period)s: hạn chót %(closes)s") % {
            "period": reminder.period,
            "closes": _day(closes_on),
        }
    body = render_to_string("resolutions/reminder_email.txt", context)
    return EmailMessage(subject=subject, body=body, to=[reminder.to])


def reminders_send(*, batch_size: int = REMINDER_BATCH) -> dict[str, int]:
    """Send the queued reminders through the default mailer, a batch per transaction with its
    rows locked (`skip_locked` on PostgreSQL, so two workers never send one twice), recording
    on each whether it went or why not. A failed one stays failed (a wrong address would fail
    forever): the next day's kind is a new reminder."""
    sent = failed = 0
    with translation.override("vi"):
        while True:
            with transaction.atomic():
                batch = list(
                    ReportReminder.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(status=ReminderStatus.QUEUED)
                    .select_related("unit", "dataset", "period")
                    .order_by("id")[:batch_size]
                )
                if not batch:
                    break
                closes = {
                    (w.dataset_id, w.period_id): w.closes_on
                    for w in DataSetPeriod.objects.filter(
                        dataset__in={r.dataset_id for r in batch}, period__in={r.period_id for r in batch}
                    )
                }
                now = timezone.now()
                for reminder in batch:
                    reminder.attempts += 1
                    reminder.updated_at = now
                    try:
                        closes_on = closes[(reminder.dataset_id, reminder.period_id)]
                        mailers.default.send_messages([_reminder_email(reminder, closes_on)])
                    except Exception as error:  # SMTP down, a refused address, a window removed
                        reminder.status = ReminderStatus.FAILED
                        reminder.error = f"{type(error).__name__}: {error}"[:2000]
                        failed += 1
                    else:
                        reminder.status, reminder.error, reminder.sent_at = ReminderStatus.SENT, "", now
                        sent += 1
                ReportReminder.objects.bulk_update(
                    batch, ["status", "error", "attempts", "sent_at", "updated_at"]
                )
    return {"sent": sent, "failed": failed}
