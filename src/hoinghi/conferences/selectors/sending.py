"""Reads of what the conference sends its invitees: the e-mail outbox and the SMS, who would get
one (the count the organiser confirms before a mass sending), and what happened to each."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from hoinghi.conferences.models import (
    INVITATION_EMAIL,
    BridgePoint,
    Conference,
    Invitation,
    InvitationStatus,
    OutboxMessage,
    OutboxStatus,
    SmsMessage,
    SmsStatus,
)
from hoinghi.conferences.sms import phone_normalise
from hoinghi.conferences.sms.text import invitation_sms_text
from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import scope


def _not_found() -> NotFoundError:
    return NotFoundError(_("Không tìm thấy."), code="not_found")


def outbox_list(*, actor, conference: Conference) -> QuerySet[OutboxMessage]:
    return scope(actor, "conferences.view", conference.outbox.select_related("invitation__person"))


@dataclass
class OutboxSummary:
    queued: int
    sent: int
    failed: int
    not_written: int  # active invitees with an address who have no message yet
    without_email: int  # active invitees without an address: they get a printed invitation


def _by_status(messages) -> dict[str, int]:
    """How many messages (e-mails or SMS) are in each status."""
    return dict(messages.order_by().values("status").annotate(n=Count("id")).values_list("status", "n"))


def outbox_summary(*, actor, conference: Conference) -> OutboxSummary:
    by_status = _by_status(outbox_list(actor=actor, conference=conference))
    active = scope(
        actor, "conferences.view", conference.invitations.filter(status=InvitationStatus.ACTIVE)
    ).aggregate(
        without_email=Count("id", filter=Q(person__email="")),
        not_written=Count(
            "id",
            filter=~Q(person__email="")
            & Q(email_sent_at__isnull=True)
            & ~Q(
                pk__in=OutboxMessage.objects.filter(conference=conference, kind=INVITATION_EMAIL).values(
                    "invitation_id"
                )
            ),
        ),
    )
    return OutboxSummary(
        queued=by_status.get(OutboxStatus.QUEUED, 0),
        sent=by_status.get(OutboxStatus.SENT, 0),
        failed=by_status.get(OutboxStatus.FAILED, 0),
        not_written=active["not_written"],
        without_email=active["without_email"],
    )


def outbox_messages(
    *, actor, conference: Conference, status: str = "", point: BridgePoint | None = None, search: str = ""
) -> QuerySet[OutboxMessage]:
    """The outbox, newest first, filtered as the outbox page asks."""
    from hoinghi.orgs.vietnamese import search_terms

    messages = outbox_list(actor=actor, conference=conference).select_related(
        "invitation__person__unit", "invitation__point"
    )
    if status:
        messages = messages.filter(status=status)
    if point is not None:
        messages = messages.filter(invitation__point=point)
    for term in search_terms(search):
        messages = messages.filter(Q(invitation__person__search_text__contains=term) | Q(to__icontains=term))
    return messages.order_by("-updated_at", "-id")


def outbox_get(*, actor, conference: Conference, pk: int) -> OutboxMessage:
    message = outbox_list(actor=actor, conference=conference).filter(pk=pk).first()
    if message is None:
        raise _not_found()
    return message


def email_recipients(
    *, actor, conference: Conference, point: BridgePoint | None = None
) -> QuerySet[Invitation]:
    """The invitations an e-mail sending would write to now: active, of people the actor may
    change (of `point`, if given), with an address, never written to. What the confirmation page
    counts is exactly what `services.invitations_email` queues."""
    invitations = scope(
        actor,
        "conferences.change",
        Invitation.objects.filter(
            conference=conference, status=InvitationStatus.ACTIVE, email_sent_at__isnull=True
        )
        .exclude(person__email="")
        .exclude(messages__kind=INVITATION_EMAIL),
    )
    if point is not None:
        invitations = invitations.filter(point=point)
    return invitations


# Who an SMS sending is for: by default those e-mail cannot reach; the organiser may choose
# everyone with a phone (an SMS on top of the e-mail).
SMS_CHANNELS = ("no_email", "all")


def sms_recipients(
    *, actor, conference: Conference, point: BridgePoint | None = None, channel: str = "no_email"
) -> QuerySet[Invitation]:
    """The invitations an SMS sending would text now: active, of people the actor may change (of
    `point`, if given), with a phone (and no e-mail, unless `channel` is "all"), never texted. A
    number found invalid before does not keep its owner out: the number may have been corrected."""
    if channel not in SMS_CHANNELS:
        raise ValueError(channel)
    invitations = scope(
        actor,
        "conferences.change",
        Invitation.objects.filter(
            conference=conference, status=InvitationStatus.ACTIVE, sms_sent_at__isnull=True
        )
        .exclude(person__phone="")
        .exclude(
            pk__in=SmsMessage.objects.filter(conference=conference)
            .exclude(status=SmsStatus.INVALID)
            .values("invitation_id")
        ),
    )
    if channel == "no_email":
        invitations = invitations.filter(person__email="")
    if point is not None:
        invitations = invitations.filter(point=point)
    return invitations


def sms_list(*, actor, conference: Conference) -> QuerySet[SmsMessage]:
    return scope(
        actor, "conferences.view", conference.sms.select_related("invitation__person", "invitation__point")
    )


@dataclass
class SmsSummary:
    queued: int
    sent: int
    failed: int
    invalid: int
    not_texted: int  # active invitees with a phone and no e-mail who have no SMS yet
    unreachable: int  # active invitees with neither: only a printed invitation reaches them


def sms_summary(*, actor, conference: Conference) -> SmsSummary:
    by_status = _by_status(sms_list(actor=actor, conference=conference))
    active = scope(
        actor, "conferences.view", conference.invitations.filter(status=InvitationStatus.ACTIVE)
    ).aggregate(
        unreachable=Count("id", filter=Q(person__email="", person__phone="")),
        not_texted=Count(
            "id",
            filter=Q(person__email="")
            & ~Q(person__phone="")
            & Q(sms_sent_at__isnull=True)
            & ~Q(pk__in=SmsMessage.objects.filter(conference=conference).values("invitation_id")),
        ),
    )
    return SmsSummary(
        queued=by_status.get(SmsStatus.QUEUED, 0),
        sent=by_status.get(SmsStatus.SENT, 0),
        failed=by_status.get(SmsStatus.FAILED, 0),
        invalid=by_status.get(SmsStatus.INVALID, 0),
        not_texted=active["not_texted"],
        unreachable=active["unreachable"],
    )


@dataclass
class SmsPlan:
    count: int  # invitations an SMS sending would take now
    invalid: int  # of them, numbers that will be reported instead of sent
    sample: str  # the text the first of them would get


def sms_plan(*, recipients: QuerySet[Invitation]) -> SmsPlan:
    """What the confirmation page states before an SMS sending to `recipients` (from
    `sms_recipients`): how many, how many numbers are invalid, and one message as it will read."""
    phones = list(recipients.values_list("person__phone", flat=True))
    first = recipients.select_related("person", "point", "conference").order_by("id").first()
    with translation.override("vi"):
        sample = invitation_sms_text(invitation=first, conference=first.conference) if first else ""
    return SmsPlan(
        count=len(phones), invalid=sum(phone_normalise(phone) is None for phone in phones), sample=sample
    )
