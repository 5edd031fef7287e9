"""Pages of who is invited: the rules, explicit includes and excludes, the preview and issuing,
the invitation list, the totals, and the invitation e-mails with their outbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hoinghi.conferences import readiness, selectors, services
from hoinghi.conferences.errors import ConferenceError
from hoinghi.conferences.forms_invitations import OverrideForm, RuleForm
from hoinghi.conferences.models import ConferenceStatus, InvitationStatus
from hoinghi.conferences.views.conferences import require_change
from hoinghi.conferences.views.personal import personal_link
from hoinghi.core.forms import add_domain_error
from hoinghi.core.permissions import can, reach, require
from hoinghi.orgs import selectors as org_selectors
from hoinghi.orgs.models import Province

PER_PAGE = 50
SEARCH_LIMIT = 30


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _back(request) -> str:
    """The page to go back to after a form (`next`), if it is one of ours."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return ""


def _may_change_some(actor) -> bool:
    """Whether the actor may change anything of a conference (some invitees, some points)."""
    return not reach(actor, "conferences.change").is_empty


def _bars(pairs) -> list[dict]:
    """(label, count) pairs as rows of a bar chart: the widest bar is the largest count."""
    pairs = list(pairs)
    top = max((count for _label, count in pairs), default=0) or 1
    return [
        {"label": label, "count": count, "percent": round(100 * count / top, 1)} for label, count in pairs
    ]


def _summary_message(summary: dict) -> str:
    return (
        _(
            "%(total)s người được mời: thêm %(added)s, mời lại %(reactivated)s, thay đổi %(changed)s, "
            "rút khỏi danh sách %(withdrawn)s."
        )
        % summary
    )


# --- Eligibility rules ---------------------------------------------------------------------------


@login_required
def rule_list(request, pk: int):
    conference = selectors.conference_get(actor=request.user, pk=pk)
    rows = selectors.rule_rows(conference=conference)
    return render(
        request,
        "conferences/rule_list.html",
        {
            "nav": "conferences",
            "tab": "rules",
            "conference": conference,
            "rows": rows,
            "can_change": can(request.user, "conferences.change", conference),
            "can_override": _may_change_some(request.user),
        },
    )


def _rule_form_page(request, conference, rule=None):
    require_change(request.user, conference)
    if request.method == "POST":
        form = RuleForm(request.POST, actor=request.user)
        if form.is_valid():
            try:
                saved = services.rule_save(
                    actor=request.user, conference=conference, rule=rule, **form.service_arguments()
                )
            except ConferenceError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Đã lưu nhóm đối tượng “%(name)s”.") % {"name": saved.name})
                return redirect("conferences:rules", pk=conference.pk)
    else:
        form = RuleForm(initial=RuleForm.initial_for(rule) if rule else None, actor=request.user)
    return render(
        request,
        "conferences/rule_form.html",
        {"nav": "conferences", "tab": "rules", "conference": conference, "rule": rule, "form": form},
    )


@login_required
def rule_create(request, pk: int):
    return _rule_form_page(request, selectors.conference_get(actor=request.user, pk=pk))


@login_required
def rule_edit(request, pk: int, rule_pk: int):
    conference = selectors.conference_get(actor=request.user, pk=pk)
    rule = selectors.rule_get(conference=conference, pk=rule_pk)
    return _rule_form_page(request, conference, rule)


@login_required
@require_POST
def rule_delete(request, pk: int, rule_pk: int):
    conference = selectors.conference_get(actor=request.user, pk=pk)
    rule = selectors.rule_get(conference=conference, pk=rule_pk)
    services.rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Đã xóa nhóm đối tượng “%(name)s”.") % {"name": rule.name})
    return redirect("conferences:rules", pk=conference.pk)


@login_required
def rule_unit_search(request, pk: int):
    """Suggestions for the "within a unit" field: units the user sees, by name or code."""
    selectors.conference_get(actor=request.user, pk=pk)
    search = request.GET.get("within", "").strip()
    units = org_selectors.unit_list(actor=request.user, search=search)[:SEARCH_LIMIT] if search else []
    return render(request, "conferences/rule_unit_options.html", {"units": units})


# --- Explicit includes and excludes --------------------------------------------------------------


@login_required
def overrides(request, pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    if request.method == "POST":
        person = org_selectors.person_get(actor=actor, pk=_int(request.POST.get("person")) or 0)
        if request.POST.get("action") == "remove":
            services.override_remove(actor=actor, conference=conference, person=person)
            done = _("Đã bỏ mời thêm/loại trừ %(name)s.")
        else:
            form = OverrideForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Hãy chọn mời thêm hoặc không mời."))
                return redirect("conferences:overrides", pk=conference.pk)
            services.override_set(
                actor=actor,
                conference=conference,
                person=person,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
            done = _("Đã ghi: %(name)s.")
        messages.success(request, done % {"name": person.full_name})
        return redirect("conferences:overrides", pk=conference.pk)

    search = request.GET.get("q", "").strip()
    found = org_selectors.person_list(actor=actor, search=search)[:SEARCH_LIMIT] if search else []
    context = {
        "nav": "conferences",
        "tab": "rules",
        "conference": conference,
        "overrides": selectors.override_list(actor=actor, conference=conference),
        "q": search,
        "found": found,
        "can_change": _may_change_some(actor),
    }
    template = "conferences/override_results.html" if request.headers.get("HX-Request") else None
    return render(request, template or "conferences/override_list.html", context)


# --- Preview, issuing, re-applying ---------------------------------------------------------------


@login_required
def preview(request, pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    result = selectors.invitation_preview(actor=actor, conference=conference)
    return render(
        request,
        "conferences/preview.html",
        {
            "nav": "conferences",
            "tab": "preview",
            "conference": conference,
            "preview": result,
            "by_rule": _bars((rule.name, count) for rule, count in result.by_rule),
            "by_level": _bars(result.by_level),
            "by_province": _bars(result.by_province),
            "by_point_level": _bars(result.by_point_level),
            "is_draft": conference.status == ConferenceStatus.DRAFT,
            "is_issued": conference.status == ConferenceStatus.INVITATIONS_ISSUED,
            "can_change": can(actor, "conferences.change", conference),
            "can_assign": _may_change_some(actor),
        },
    )


@login_required
@require_POST
def issue(request, pk: int):
    conference = selectors.conference_get(actor=request.user, pk=pk)
    summary = services.conference_issue(actor=request.user, conference=conference)
    messages.success(request, _("Đã phát hành giấy mời.") + " " + _summary_message(summary))
    return redirect("conferences:invitations", pk=conference.pk)


@login_required
@require_POST
def reapply(request, pk: int):
    conference = selectors.conference_get(actor=request.user, pk=pk)
    summary = services.invitations_reapply(actor=request.user, conference=conference)
    messages.success(request, _("Đã áp dụng lại danh sách.") + " " + _summary_message(summary))
    return redirect("conferences:preview", pk=conference.pk)


# --- The invitation list -------------------------------------------------------------------------


def _list_filters(request, conference) -> dict:
    """The filters of the invitation list read from the query string, each found in scope."""
    params, actor = request.GET, request.user
    point_pk, rule_pk, province_pk = (
        _int(params.get("point")),
        _int(params.get("rule")),
        _int(params.get("province")),
    )
    status = params.get("status", InvitationStatus.ACTIVE)
    return {
        "point": selectors.point_get(actor=actor, conference=conference, pk=point_pk) if point_pk else None,
        "rule": selectors.rule_get(conference=conference, pk=rule_pk) if rule_pk else None,
        "province": Province.objects.filter(pk=province_pk).first() if province_pk else None,
        "status": status if status in InvitationStatus.values else InvitationStatus.ACTIVE,
        "search": params.get("q", "").strip(),
    }


@login_required
def invitation_list(request, pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    filters = _list_filters(request, conference)
    rows = selectors.invitation_rows(actor=actor, conference=conference, **filters)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    changeable = {invitation.pk for invitation in page if can(actor, "conferences.change", invitation)}
    sendable = {invitation.pk for invitation in page if can(actor, "conferences.send", invitation)}
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav": "conferences",
        "tab": "invitations",
        "conference": conference,
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "changeable": changeable,
        "sendable": sendable,
        "points": selectors.point_list(actor=actor, conference=conference),
        "rules": conference.rules.only("id", "name"),
        "provinces": org_selectors.province_list(),
        "statuses": InvitationStatus.choices,
    }
    if request.headers.get("HX-Request"):
        return render(request, "conferences/invitation_rows.html", context)
    return render(request, "conferences/invitation_list.html", context)


@login_required
@require_POST
def token_revoke(request, pk: int, invitation_pk: int):
    conference = selectors.conference_get(actor=request.user, pk=pk)
    invitation = selectors.invitation_get(actor=request.user, conference=conference, pk=invitation_pk)
    services.invitation_token_revoke(actor=request.user, invitation=invitation)
    messages.success(
        request,
        _("Đã đổi mã giấy mời của %(name)s: đường dẫn và mã QR cũ không còn dùng được.")
        % {"name": invitation.person.full_name},
    )
    return redirect(_back(request) or reverse("conferences:invitations", kwargs={"pk": conference.pk}))


@login_required
@never_cache
def invitation_link(request, pk: int, invitation_pk: int):
    """One invitee's personal link and QR code, to copy or read out on the phone. The link is the
    invitee's credential: shown to those who may send them the invitation (`conferences.send`);
    whoever sees the invitation but may not send it is refused (403)."""
    conference = selectors.conference_get(actor=request.user, pk=pk)
    invitation = selectors.invitation_get(actor=request.user, conference=conference, pk=invitation_pk)
    require(request.user, "conferences.send", invitation)
    return render(
        request,
        "conferences/invitation_link.html",
        {
            "nav": "conferences",
            "tab": "invitations",
            "conference": conference,
            "invitation": invitation,
            "person": invitation.person,
            "link": personal_link(invitation.token),
            "back": _back(request) or reverse("conferences:invitations", kwargs={"pk": conference.pk}),
        },
    )


def _point_page(request, conference, person, invitation=None):
    """Choose the bridge point one person attends (or give them back to the rule)."""
    actor = request.user
    points = selectors.point_list(actor=actor, conference=conference)
    back = _back(request)
    if request.method == "POST":
        point_pk = _int(request.POST.get("point"))
        point = selectors.point_get(actor=actor, conference=conference, pk=point_pk) if point_pk else None
        try:
            services.person_assign_point(actor=actor, conference=conference, person=person, point=point)
        except ConferenceError as error:  # shown above the choice, which stays on the page
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s dự tại: %(point)s.")
                % {"name": person.full_name, "point": point.name if point else _("điểm cầu theo đơn vị")},
            )
            return redirect(back or reverse("conferences:invitations", kwargs={"pk": conference.pk}))
    return render(
        request,
        "conferences/invitation_point.html",
        {
            "nav": "conferences",
            "tab": "invitations",
            "conference": conference,
            "person": person,
            "invitation": invitation,
            "points": points,
            "next": back,
        },
    )


@login_required
def person_point(request, pk: int, invitation_pk: int):
    conference = selectors.conference_get(actor=request.user, pk=pk)
    invitation = selectors.invitation_get(actor=request.user, conference=conference, pk=invitation_pk)
    require_change(request.user, invitation)
    return _point_page(request, conference, invitation.person, invitation)


@login_required
def person_point_by_person(request, pk: int, person_pk: int):
    """The same for someone not invited yet (the preview's "no bridge point" list)."""
    conference = selectors.conference_get(actor=request.user, pk=pk)
    person = org_selectors.person_get(actor=request.user, pk=person_pk)
    require_change(request.user, person)
    return _point_page(request, conference, person)


# --- Totals --------------------------------------------------------------------------------------


@login_required
def totals(request, pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    result = readiness.totals(actor=actor, conference=conference)
    return render(
        request,
        "conferences/totals.html",
        {
            "nav": "conferences",
            "tab": "totals",
            "conference": conference,
            "totals": result,
            "points_total": sum(count for _label, count in result.points_by_level),
            "points_by_level": _bars(result.points_by_level),
            "invitees_by_rule": _bars(result.invitees_by_rule),
            "invitees_by_province": _bars(result.invitees_by_province),
        },
    )
