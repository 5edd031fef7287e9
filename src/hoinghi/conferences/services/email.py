"""E-mailing invitees through the outbox: queue, send in the background, retry. Invitations are
written here; the apps built on conferences queue other kinds through `outbox_queue`."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hoinghi.conferences.models import (
    INVITATION_EMAIL,
    BridgePoint,
    Conference,
    ConferenceStatus,
    Invitation,
    OutboxMessage,
    OutboxStatus,
)
from hoinghi.conferences.selectors import email_recipients
from hoinghi.conferences.services._common import _require_expected, _require_part_of, _require_stage
from hoinghi.core import extensions
from hoinghi.core.background import enqueue_on_commit
from hoinghi.core.models import audit
from hoinghi.core.permissions import require, scope

# --- E-mail --------------------------------------------------------------------------------------

_EMAIL_OPEN = frozenset({ConferenceStatus.INVITATIONS_ISSUED, ConferenceStatus.LIVE})


@transaction.atomic
def invitations_email(
    *, actor, conference: Conference, point: BridgePoint | None = None, expected: int | None = None
) -> int:
    """Queue an invitation e-mail for every active invitation the actor may change (of `point`,
    if given) whose invitee has an address and has not been written to yet, then send them in the
    background. Returns how many were queued; calling it again queues only the newcomers.

    Someone with a failed message is not queued again here: the outbox page retries it.
    `expected` is the count the organiser confirmed (`selectors.email_recipients`): if the list
    changed meanwhile nothing is queued (`ConferenceError(count_changed)`).
    Raises `ConferenceError` (stage) before invitations are issued or after the conference, and
    (wrong_conference) for a point of another conference.
    """
    require(actor, "conferences.send", conference)
    _require_stage(conference, _EMAIL_OPEN, _("gửi thư mời"))
    if point is not None:
        require(actor, "conferences.view", point)
    _require_part_of(conference, point)
    invitations = email_recipients(actor=actor, conference=conference, point=point)
    rows = list(invitations.order_by("id").values_list("id", "person__email"))
    _require_expected(expected, len(rows))
    subject = _("Giấy mời dự %(title)s") % {"title": conference.title}
    queued = outbox_queue(conference=conference, kind=INVITATION_EMAIL, recipients=rows, subject=subject)
    audit(
        actor=actor,
        type="conferences.invitations.emailed",
        obj=conference,
        unit_path=point.unit.path if point is not None else conference.organising_unit.path,
        queued=queued,
        point=point.pk if point is not None else None,
    )
    return queued


def outbox_queue(
    *, conference: Conference, kind: str, recipients: list[tuple[int, str]], subject: str
) -> int:
    """Queue one e-mail of `kind` per (invitation id, address) of `recipients` and send them in
    the background (`outbox_send`), after commit. Returns how many were queued.

    The one way an e-mail reaches an invitee: invitations here, and the kinds the apps built on
    conferences write (a learning report's reminder), each rendered at sending time by the part
    filling "conferences.outbox_email" under its kind, so a link in it is the invitation's current
    one. The caller has checked the actor's permission and audits the sending."""
    messages = [
        OutboxMessage(
            conference=conference, invitation_id=invitation_id, to=email, subject=subject[:300], kind=kind
        )
        for invitation_id, email in recipients
    ]
    OutboxMessage.objects.bulk_create(messages, batch_size=2000)
    if messages:
        enqueue_on_commit("hoinghi.conferences.tasks.outbox_send", conference_id=conference.pk)
    return len(messages)


@transaction.atomic
def outbox_retry(*, actor, conference: Conference, message=None) -> int:
    """Put a failed message (or every failed message the actor may change) back in the queue and
    send it again in the background. Returns how many were queued. Raises
    `ConferenceError(wrong_conference)` for a message of another conference."""
    if message is not None:
        require(actor, "conferences.change", message)
        _require_part_of(conference, message)
        failed = OutboxMessage.objects.filter(pk=message.pk)
    else:
        require(actor, "conferences.send", conference)
        failed = scope(actor, "conferences.change", OutboxMessage.objects.filter(conference=conference))
    count = failed.filter(status=OutboxStatus.FAILED).update(status=OutboxStatus.QUEUED, error="")
    audit(
        actor=actor,
        type="conferences.outbox.retried",
        obj=conference,
        unit_path=conference.organising_unit.path,
        queued=count,
    )
    if count:
        enqueue_on_commit("hoinghi.conferences.tasks.outbox_send", conference_id=conference.pk)
    return count


def _email(message: OutboxMessage) -> EmailMultiAlternatives:
    """The e-mail of a queued message: an invitation, or what the app that queued its kind writes."""
    if message.kind == INVITATION_EMAIL:
        return _invitation_email(message)
    for kind, render in extensions.keyed_parts("conferences.outbox_email"):
        if kind == message.kind:
            return render(message)
    raise ValueError(f"no e-mail is written for outbox messages of kind {message.kind!r}")


def _invitation_email(message: OutboxMessage) -> EmailMultiAlternatives:
    invitation = message.invitation
    context = {
        "conference": message.conference,
        "invitation": invitation,
        "person": invitation.person,
        "point": invitation.point,
        "link": settings.HOINGHI_BASE_URL
        + reverse("personal:invitation_page", kwargs={"token": invitation.token}),
    }
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=render_to_string("conferences/invitation_email.txt", context),
        to=[message.to],
    )
    email.attach_alternative(render_to_string("conferences/invitation_email.html", context), "text/html")
    return email


OUTBOX_BATCH = 50


def _outbox_failed(message: OutboxMessage, error: Exception, now) -> None:
    message.attempts += 1
    message.status, message.error = OutboxStatus.FAILED, f"{type(error).__name__}: {error}"[:2000]
    message.updated_at = now


def outbox_send(*, conference: Conference, batch_size: int = OUTBOX_BATCH) -> dict[str, int]:
    """Send the conference's queued messages through the default mailer, a batch at a time,
    recording on each one whether it went (and on its invitation when) or why it failed.

    Each batch is one transaction that locks its rows (`skip_locked` on PostgreSQL), so two
    workers never send the same message; a failure of one message does not stop the others.
    No actor: this is the background half of `invitations_email` and `outbox_retry`.
    """
    sent = failed = 0
    with translation.override("vi"):
        while True:
            with transaction.atomic():
                batch = list(
                    OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(conference=conference, status=OutboxStatus.QUEUED)
                    .select_related("conference", "invitation__person", "invitation__point")
                    .order_by("id")[:batch_size]
                )
                if not batch:
                    break
                now = timezone.now()
                connection = mailers.default
                try:
                    connection.open()
                except Exception as error:  # the server is down: the whole batch failed
                    for message in batch:
                        _outbox_failed(message, error, now)
                    failed += len(batch)
                else:
                    try:
                        for message in batch:
                            try:
                                connection.send_messages([_email(message)])
                            except Exception as error:  # SMTP, a refused address: go on with the rest
                                _outbox_failed(message, error, now)
                                failed += 1
                            else:
                                message.attempts += 1
                                message.status, message.error, message.sent_at = OutboxStatus.SENT, "", now
                                message.updated_at = now
                                sent += 1
                    finally:
                        connection.close()
                OutboxMessage.objects.bulk_update(
                    batch, ["status", "error", "attempts", "sent_at", "updated_at"]
                )
                Invitation.objects.filter(
                    pk__in=[
                        m.invitation_id
                        for m in batch
                        if m.status == OutboxStatus.SENT and m.kind == INVITATION_EMAIL
                    ]
                ).update(email_sent_at=now)
    return {"sent": sent, "failed": failed}
