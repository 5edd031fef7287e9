"""Operator accounts made in bulk for a conference's points (issue 17).

Three steps: choose the points (all without an operator, a level, one by one, or an .xlsx naming
each point's operator), confirm with the count (the page shows the plan the service will write),
then make them. The sheet of one-time passwords is the answer to that last POST: drawn in the
transaction that made the accounts, so that an account never exists whose password nobody saw,
and kept nowhere.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hoinghi.conferences import documents, importers, selectors, services
from hoinghi.conferences.forms_operators import OperatorAccountsForm, OperatorImportForm
from hoinghi.conferences.models import BridgePoint, BridgePointLevel
from hoinghi.conferences.views.documents import PDF, XLSX, _file, _letterhead
from hoinghi.core.errors import DomainError, RequestErrorCode
from hoinghi.core.permissions import PermissionDeniedError, scope

_SALT = "conferences.operator_accounts"
PLAN_VALID_SECONDS = 3600
PLAN_SHOWN = 100


def _changeable_points(actor, conference):
    return scope(actor, "conferences.change", BridgePoint.objects.filter(conference=conference))


def _require_some_point(actor, conference) -> None:
    if not _changeable_points(actor, conference).exists():
        raise PermissionDeniedError(
            _("Đồng chí không tổ chức điểm cầu nào của hội nghị này."), code=RequestErrorCode.FORBIDDEN
        )


def _credential(point, username: str, password: str) -> documents.OperatorCredential:
    return documents.OperatorCredential(
        point_name=point.name,
        point_address=point.address,
        username=username,
        password=password,
        checkin_url=services.checkin_url(point),
    )


def _sheet(conference, credentials, *, emailed: int = 0):
    content = documents.operator_sheet_pdf(
        documents.OperatorSheet(
            letterhead=_letterhead(conference, day=timezone.localdate()),  # the day it is handed over
            conference_title=conference.title,
            login_url=settings.HOINGHI_BASE_URL + reverse("accounts:login"),
            credentials=credentials,
            emailed=emailed,
        )
    )
    name = f"tai-khoan-van-hanh-hoi-nghi-{conference.pk}-{len(credentials)}-tai-khoan.pdf"
    return _file(content, PDF, name, attachment=False)


def _confirmation(request, conference, plan, *, delivery: str, details=None, staffed=()):
    payload = signing.dumps(
        {
            # Whose confirmation of which conference: valid for that organiser and page only.
            "by": request.user.pk,
            "conference": conference.pk,
            "points": [entry.point.pk for entry in plan],
            "email": delivery == "email",
            "details": {str(pk): list(values) for pk, values in (details or {}).items()},
        },
        salt=_SALT,
        compress=True,
    )
    emailed = sum(1 for entry in plan if entry.send_to)
    return render(
        request,
        "conferences/operator_accounts_confirm.html",
        {
            "nav": "conferences",
            "tab": "points",
            "conference": conference,
            "plan": plan[:PLAN_SHOWN],
            "count": len(plan),
            "emailed": emailed,
            "on_sheet": len(plan) - emailed,
            "staffed": staffed,
            "payload": payload,
        },
    )


@login_required
def operator_accounts(request, pk: int):
    """Choose the points (or upload the .xlsx), then the confirmation page with the count."""
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    _require_some_point(actor, conference)
    points = list(selectors.points_without_operator(actor=actor, conference=conference))
    uploading = request.method == "POST" and "file" in request.FILES
    form = OperatorAccountsForm(
        request.POST if request.method == "POST" and not uploading else None, points=points
    )
    import_form = OperatorImportForm(
        request.POST if uploading else None, request.FILES if uploading else None
    )
    file_errors = []
    if uploading and import_form.is_valid():
        changeable = set(_changeable_points(actor, conference).values_list("pk", flat=True))
        codes = {
            code: point_id
            for point_id, code in selectors.point_codes(conference=conference).items()
            if point_id in changeable
        }
        without = {point.pk for point in points}
        read = importers.operator_details_read(
            import_form.cleaned_data["file"].read(), codes=codes, staffed=set(codes.values()) - without
        )
        file_errors = read.errors
        if not file_errors:
            delivery = import_form.cleaned_data["delivery"]
            plan = selectors.operator_accounts_plan(
                actor=actor,
                conference=conference,
                point_ids=read.details,
                details=read.details,
                send_email=delivery == "email",
            )
            return _confirmation(
                request, conference, plan, delivery=delivery, details=read.details, staffed=read.staffed
            )
    elif form.is_bound and form.is_valid():
        delivery = form.cleaned_data["delivery"]
        plan = selectors.operator_accounts_plan(
            actor=actor, conference=conference, point_ids=form.point_ids(), send_email=delivery == "email"
        )
        return _confirmation(request, conference, plan, delivery=delivery)
    by_level: dict[int, int] = {}
    for point in points:
        by_level[point.level_id] = by_level.get(point.level_id, 0) + 1
    return render(
        request,
        "conferences/operator_accounts.html",
        {
            "nav": "conferences",
            "tab": "points",
            "conference": conference,
            "form": form,
            "import_form": import_form,
            "file_errors": file_errors,
            "points": points,
            "levels": [
                (level, by_level[level.pk])
                for level in BridgePointLevel.objects.all()
                if level.pk in by_level
            ],
            "with_email": sum(1 for point in points if point.contact_email),
        },
        status=400 if (form.is_bound and form.errors) or import_form.errors or file_errors else 200,
    )


@login_required
@require_POST
def operator_accounts_create(request, pk: int):
    """Make the accounts the confirmation page showed; answer with the sheet of those whose
    password is handed over on paper, or go back to the points when every one goes by e-mail."""
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    try:
        payload = signing.loads(request.POST.get("payload", ""), salt=_SALT, max_age=PLAN_VALID_SECONDS)
    except signing.BadSignature:
        payload = {}
    if (payload.get("by"), payload.get("conference")) != (actor.pk, conference.pk):
        raise DomainError(
            _("Trang xác nhận đã quá hạn hoặc không hợp lệ; hãy chọn lại điểm cầu."),
            code=RequestErrorCode.BAD_REQUEST,
        )
    points = BridgePoint.objects.filter(conference=conference, pk__in=payload["points"]).select_related(
        "unit"
    )
    points = list(scope(actor, "conferences.view", points))
    details = {int(point_id): tuple(values) for point_id, values in payload["details"].items()}
    with transaction.atomic():  # the sheet is drawn before the accounts are committed
        made = services.point_operators_create(
            actor=actor, conference=conference, points=points, details=details, send_email=payload["email"]
        )
        credentials = [
            _credential(account.plan.point, account.user.username, account.password)
            for account in made
            if account.password
        ]
        emailed = len(made) - len(credentials)
        response = _sheet(conference, credentials, emailed=emailed) if credentials else None
    summary = ngettext(
        "Đã tạo %(count)s tài khoản vận hành",
        "Đã tạo %(count)s tài khoản vận hành",
        len(made),
    ) % {"count": len(made)}
    if emailed:
        summary += _("; %(emailed)s tài khoản nhận mật khẩu qua thư điện tử") % {"emailed": emailed}
    messages.success(request, summary + ".")
    if response is not None:
        return response
    if not made:
        messages.info(request, _("Các điểm cầu đã chọn đều đã có người vận hành."))
    return redirect("conferences:points", pk=pk)


@login_required
def operator_template_xlsx(request, pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    _require_some_point(actor, conference)
    points = selectors.points_without_operator(actor=actor, conference=conference)
    content = importers.operator_template_xlsx(points, selectors.point_codes(conference=conference))
    return _file(content, XLSX, f"nguoi-van-hanh-hoi-nghi-{conference.pk}.xlsx", attachment=True)


@login_required
@require_POST
def operator_password_renew(request, pk: int, point_pk: int, user_pk: int):
    """A new one-time password for one operator of the point, on a one-block sheet."""
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    point = selectors.point_get(actor=actor, conference=conference, pk=point_pk)
    point.conference = conference
    user = point.operators.filter(pk=user_pk).first()
    if user is None:
        raise Http404
    with transaction.atomic():
        password = services.point_operator_password_renew(actor=actor, point=point, user=user)
        return _sheet(conference, [_credential(point, user.username, password)])
