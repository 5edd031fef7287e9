"""SMS invitations for those e-mail cannot reach: queue, send in the background, record.

The shape of `services/email.py`: `invitations_sms` decides who gets one and queues an `SmsMessage`
per invitation (with its text, so the record shows what was sent), `sms_send` is the background half
that sends them in batches through the configured backend (`conferences.sms`), recording on each
message whether it went or why not, and on its invitation when.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hoinghi.conferences.errors import ConferenceError
from hoinghi.conferences.models import BridgePoint, Conference, Invitation, SmsMessage, SmsStatus
from hoinghi.conferences.selectors import sms_recipients
from hoinghi.conferences.services._common import _require_expected, _require_part_of, _require_stage
from hoinghi.conferences.services.email import _EMAIL_OPEN
from hoinghi.conferences.sms import Sms, phone_normalise, sms_backend
from hoinghi.conferences.sms.text import invitation_sms_text
from hoinghi.core.background import enqueue_on_commit
from hoinghi.core.models import audit
from hoinghi.core.permissions import require, scope

logger = logging.getLogger(__name__)

SMS_BATCH = 50


@dataclass
class SmsQueued:
    queued: int  # will be sent
    invalid: int  # numbers phonenumbers refused: listed on the page, not sent


@transaction.atomic
def invitations_sms(
    *,
    actor,
    conference: Conference,
    point: BridgePoint | None = None,
    channel: str = "no_email",
    expected: int | None = None,
) -> SmsQueued:
    """Queue an invitation SMS for every invitation of `selectors.sms_recipients` (by default:
    active, of people the actor may change, with a phone and no e-mail, never texted), then send
    them in the background. A number that is not a valid one (region VN) is recorded as invalid
    with the reason and not sent; correcting it and sending again queues that person.

    `expected` is the count the organiser confirmed: if the list changed meanwhile, nothing is
    queued (`ConferenceError(count_changed)`). Raises `ConferenceError` (stage) before invitations
    are issued or after the conference, and (wrong_conference) for a point of another one.
    """
    require(actor, "conferences.send", conference)
    _require_stage(conference, _EMAIL_OPEN, _("gửi tin nhắn mời"))
    if point is not None:
        require(actor, "conferences.view", point)
    _require_part_of(conference, point)
    invitations = list(
        sms_recipients(actor=actor, conference=conference, point=point, channel=channel)
        .select_related("person", "point")
        .order_by("id")
    )
    _require_expected(expected, len(invitations))
    # A number refused before is tried again: its old report gives way to the new one.
    SmsMessage.objects.filter(
        conference=conference, status=SmsStatus.INVALID, invitation__in=[i.pk for i in invitations]
    ).delete()
    messages = []
    with translation.override("vi"):
        for invitation in invitations:
            phone = invitation.person.phone
            number = phone_normalise(phone)
            message = SmsMessage(
                conference=conference,
                invitation=invitation,
                to=(number or phone)[:30],
                body=invitation_sms_text(invitation=invitation, conference=conference)[:500],
            )
            if number is None:
                message.status = SmsStatus.INVALID
                message.error = _("Số điện thoại “%(phone)s” không hợp lệ: tin nhắn không được gửi.") % {
                    "phone": phone
                }
            messages.append(message)
    SmsMessage.objects.bulk_create(messages, batch_size=2000)
    result = SmsQueued(
        queued=sum(m.status == SmsStatus.QUEUED for m in messages),
        invalid=sum(m.status == SmsStatus.INVALID for m in messages),
    )
    audit(
        actor=actor,
        type="conferences.invitations.texted",
        obj=conference,
        unit_path=point.unit.path if point is not None else conference.organising_unit.path,
        queued=result.queued,
        invalid=result.invalid,
        channel=channel,
        point=point.pk if point is not None else None,
    )
    if result.queued:
        enqueue_on_commit("hoinghi.conferences.tasks.sms_send", conference_id=conference.pk)
    return result


@transaction.atomic
def sms_retry(*, actor, conference: Conference) -> int:
    """Put every failed SMS the actor may change back in the queue. Returns how many."""
    require(actor, "conferences.send", conference)
    failed = scope(actor, "conferences.change", SmsMessage.objects.filter(conference=conference))
    count = failed.filter(status=SmsStatus.FAILED).update(status=SmsStatus.QUEUED, error="")
    audit(
        actor=actor,
        type="conferences.sms.retried",
        obj=conference,
        unit_path=conference.organising_unit.path,
        queued=count,
    )
    if count:
        enqueue_on_commit("hoinghi.conferences.tasks.sms_send", conference_id=conference.pk)
    return count


def _failed(message: SmsMessage, error: str, now) -> None:
    message.attempts += 1
    message.status, message.error, message.updated_at = SmsStatus.FAILED, error[:2000], now


def sms_send(*, conference: Conference, batch_size: int = SMS_BATCH, progress=None) -> dict[str, int]:
    """Send the conference's queued SMS through `HOINGHI_SMS_BACKEND`, a batch at a time, recording
    on each message whether it went (and on its invitation when) or the Vietnamese reason it did
    not. `progress(sent, failed)` is called after each batch (the counts so far).

    Each batch is one transaction that locks its rows (`skip_locked` on PostgreSQL), so two workers
    never send the same message; a refused message does not stop the others. No actor: the
    background half of `invitations_sms` and `sms_retry`.
    """
    sent = failed = 0
    with translation.override("vi"):
        while True:
            with transaction.atomic():
                batch = list(
                    SmsMessage.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(conference=conference, status=SmsStatus.QUEUED)
                    .order_by("id")[:batch_size]
                )
                if not batch:
                    break
                now = timezone.now()
                backend = sms_backend()
                try:
                    backend.open()
                except ConferenceError as error:  # not configured: the whole batch failed
                    for message in batch:
                        _failed(message, error.message, now)
                    failed += len(batch)
                else:
                    try:
                        for message in batch:
                            try:
                                reference = backend.send(Sms(to=message.to, body=message.body))
                            except ConferenceError as error:
                                _failed(message, error.message, now)
                                failed += 1
                            except Exception as error:  # a backend's bug: recorded, the rest go on
                                logger.exception("SMS %s", message.pk)
                                _failed(message, _("Lỗi khi gửi: %(error)s") % {"error": error}, now)
                                failed += 1
                            else:
                                message.attempts += 1
                                message.status, message.error, message.sent_at = SmsStatus.SENT, "", now
                                message.gateway_reference, message.updated_at = reference, now
                                sent += 1
                    finally:
                        backend.close()
                SmsMessage.objects.bulk_update(
                    batch, ["status", "error", "attempts", "sent_at", "gateway_reference", "updated_at"]
                )
                Invitation.objects.filter(
                    pk__in=[m.invitation_id for m in batch if m.status == SmsStatus.SENT]
                ).update(sms_sent_at=now)
            if progress is not None:
                progress(sent, failed)
    return {"sent": sent, "failed": failed}
