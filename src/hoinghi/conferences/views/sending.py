"""Pages of what the conference sends its invitees: the e-mails and SMS, each mass sending after a
page that states how many it will reach, and the outbox with what happened to every message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoinghi.conferences import selectors, services
from hoinghi.conferences.models import ConferenceStatus, OutboxStatus, SmsStatus
from hoinghi.conferences.views.invitations import PER_PAGE, _int, _may_change_some
from hoinghi.core.permissions import require

_SENDING_OPEN = (ConferenceStatus.INVITATIONS_ISSUED, ConferenceStatus.LIVE)
SMS_SHOWN = 100  # failed and invalid SMS listed on the outbox page, newest first


def _audience(value) -> str:
    return value if value in selectors.SMS_CHANNELS else "no_email"


def _point(actor, conference, value):
    point_pk = _int(value)
    return selectors.point_get(actor=actor, conference=conference, pk=point_pk) if point_pk else None


def _confirm_url(conference, channel: str, params) -> str:
    query = {
        "channel": channel,
        "point": params.get("point") or "",
        "audience": _audience(params.get("audience")),
    }
    return reverse("conferences:send_confirm", args=[conference.pk]) + "?" + urlencode(query)


@login_required
def send_confirm(request, pk: int):
    """How many invitees a sending (`channel` email or sms, of `point`, to `audience`) would reach
    now, and the button that sends to exactly that many."""
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    require(actor, "conferences.send", conference)
    channel = "sms" if request.GET.get("channel") == "sms" else "email"
    point = _point(actor, conference, request.GET.get("point"))
    audience = _audience(request.GET.get("audience"))
    context = {
        "nav": "conferences",
        "conference": conference,
        "channel": channel,
        "point": point,
        "audience": audience,
        "is_open": conference.status in _SENDING_OPEN,
    }
    if channel == "email":
        context["count"] = selectors.email_recipients(actor=actor, conference=conference, point=point).count()
    else:
        recipients = selectors.sms_recipients(
            actor=actor, conference=conference, point=point, channel=audience
        )
        plan = selectors.sms_plan(recipients=recipients)
        context.update(count=plan.count, invalid=plan.invalid, sample=plan.sample)
    return render(request, "conferences/send_confirm.html", context)


@login_required
@require_POST
def send_emails(request, pk: int):
    """Send after the confirmation page (`expected`, the count it showed); without it, that page."""
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    require(actor, "conferences.send", conference)
    point = _point(actor, conference, request.POST.get("point"))
    expected = _int(request.POST.get("expected"))
    if expected is None:
        return redirect(_confirm_url(conference, "email", request.POST))
    queued = services.invitations_email(actor=actor, conference=conference, point=point, expected=expected)
    if queued:
        messages.success(request, _("Đã xếp %(count)s thư mời vào hàng đợi gửi.") % {"count": queued})
    else:
        messages.info(request, _("Không có thư mời nào cần gửi: mọi người có thư điện tử đều đã được gửi."))
    return redirect("conferences:outbox", pk=conference.pk)


@login_required
@require_POST
def send_sms(request, pk: int):
    """Send the SMS after the confirmation page (`expected`); without it, that page."""
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    require(actor, "conferences.send", conference)
    point = _point(actor, conference, request.POST.get("point"))
    expected = _int(request.POST.get("expected"))
    if expected is None:
        return redirect(_confirm_url(conference, "sms", request.POST))
    result = services.invitations_sms(
        actor=actor,
        conference=conference,
        point=point,
        channel=_audience(request.POST.get("audience")),
        expected=expected,
    )
    if result.queued:
        messages.success(request, _("Đã xếp %(count)s tin nhắn vào hàng đợi gửi.") % {"count": result.queued})
    if result.invalid:
        messages.warning(
            request,
            _("%(count)s số điện thoại không hợp lệ, không gửi: xem danh sách dưới đây.")
            % {"count": result.invalid},
        )
    if not result.queued and not result.invalid:
        messages.info(request, _("Không có tin nhắn nào cần gửi."))
    return redirect("conferences:outbox", pk=conference.pk)


@login_required
@require_POST
def sms_retry(request, pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    queued = services.sms_retry(actor=actor, conference=conference)
    messages.success(request, _("Đã xếp lại %(count)s tin nhắn vào hàng đợi gửi.") % {"count": queued})
    return redirect("conferences:outbox", pk=conference.pk)


@login_required
def outbox(request, pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    params = request.GET
    status = params.get("status", "")
    point = _point(actor, conference, params.get("point"))
    status = status if status in OutboxStatus.values else ""
    search = params.get("q", "").strip()
    rows = selectors.outbox_messages(
        actor=actor, conference=conference, status=status, point=point, search=search
    )
    page = Paginator(rows, PER_PAGE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    sms_trouble = (
        selectors.sms_list(actor=actor, conference=conference)
        .filter(status__in=[SmsStatus.FAILED, SmsStatus.INVALID])
        .order_by("-updated_at", "-id")[:SMS_SHOWN]
    )
    return render(
        request,
        "conferences/outbox.html",
        {
            "nav": "conferences",
            "tab": "outbox",
            "conference": conference,
            "summary": selectors.outbox_summary(actor=actor, conference=conference),
            "sms_summary": selectors.sms_summary(actor=actor, conference=conference),
            "sms_trouble": sms_trouble,
            "page": page,
            "query": query.urlencode(),
            "filters": {"status": status, "point": point, "search": search},
            "statuses": OutboxStatus.choices,
            "points": selectors.point_list(actor=actor, conference=conference),
            "can_send": _may_change_some(actor) and conference.status in _SENDING_OPEN,
            "can_retry": _may_change_some(actor),
        },
    )


@login_required
@require_POST
def outbox_retry(request, pk: int):
    """Send a failed message again (`message` in the form), or every failed one."""
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    message_pk = _int(request.POST.get("message"))
    message = selectors.outbox_get(actor=actor, conference=conference, pk=message_pk) if message_pk else None
    queued = services.outbox_retry(actor=actor, conference=conference, message=message)
    messages.success(request, _("Đã xếp lại %(count)s thư vào hàng đợi gửi.") % {"count": queued})
    return redirect("conferences:outbox", pk=conference.pk)
