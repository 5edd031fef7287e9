"""Pages of the bridge points and of the conference's readiness."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoinghi.conferences import selectors, services
from hoinghi.conferences.errors import ConferenceError
from hoinghi.conferences.forms import PointForm, PointOperatorForm, PointUnitForm
from hoinghi.conferences.models import BridgePointLevel
from hoinghi.conferences.readiness import point_readiness, point_rows, readiness_summary
from hoinghi.conferences.views.conferences import require_change
from hoinghi.conferences.views.documents import print_context
from hoinghi.core.errors import RequestErrorCode
from hoinghi.core.forms import add_domain_error
from hoinghi.core.permissions import PermissionDeniedError, can
from hoinghi.orgs import selectors as org_selectors
from hoinghi.orgs.models import Unit

POINTS_PER_PAGE = 50
ROSTER_SHOWN = 50


# The readiness checklist: the field a tick stores its time in, and what it says.
def _point(actor, conference, point_pk: int):
    point = selectors.point_get(actor=actor, conference=conference, pk=point_pk)
    point.conference = conference
    return point


def _level_filter(value: str) -> BridgePointLevel | None:
    return BridgePointLevel.objects.filter(pk=value).first() if value.isdigit() else None


@login_required
def point_list(request, pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    level = _level_filter(request.GET.get("level", ""))
    search = request.GET.get("q", "").strip()
    rows = point_rows(actor=actor, conference=conference, level_id=level.pk if level else None, search=search)
    page = Paginator(rows, POINTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav": "conferences",
        "tab": "points",
        "conference": conference,
        "page": page,
        "level": level,
        "q": search,
        "query": query.urlencode(),
        "levels": BridgePointLevel.objects.all(),
        "can_create": org_selectors.unit_grant_tops(actor=actor, action="conferences.change").exists(),
    }
    if not request.headers.get("HX-Request"):
        context["without_operator"] = selectors.points_without_operator(
            actor=actor, conference=conference
        ).count()
    template = (
        "conferences/point_list_rows.html"
        if request.headers.get("HX-Request")
        else "conferences/point_list.html"
    )
    return render(request, template, context)


@login_required
def point_create(request, pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    if not org_selectors.unit_grant_tops(actor=actor, action="conferences.change").exists():
        raise PermissionDeniedError(
            _("Tài khoản chưa được giao quyền tổ chức ở đơn vị nào."), code=RequestErrorCode.FORBIDDEN
        )
    form = PointForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            point = services.point_create(actor=actor, conference=conference, **form.cleaned_data)
        except ConferenceError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã thêm điểm cầu “%(name)s”.") % {"name": point.name})
            return redirect("conferences:point_detail", pk=pk, point_pk=point.pk)
    return render(
        request,
        "conferences/point_form.html",
        {"nav": "conferences", "tab": "points", "conference": conference, "form": form},
    )


@login_required
def point_detail(request, pk: int, point_pk: int, unit_form=None, operator_form=None):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    point = _point(actor, conference, point_pk)
    can_change = can(actor, "conferences.change", point)
    roster = selectors.invitation_list(actor=actor, conference=conference, point=point)
    roster_total = roster.count()
    units = list(selectors.units_served(point=point))
    operators = list(point.operators.order_by("username"))
    point_ready = point_readiness(point, has_operator=bool(operators), serves_units=bool(units))
    return render(
        request,
        "conferences/point_detail.html",
        {
            "nav": "conferences",
            "tab": "points",
            "conference": conference,
            "point": point,
            "units": units,
            "operators": operators,
            "readiness": point_ready,
            "roster": roster[:ROSTER_SHOWN],
            "roster_total": roster_total,
            "prints_immediately": roster_total <= services.INVITATIONS_IMMEDIATE,
            **(print_context(actor, point) if can_change else {}),
            "can_change": can_change,
            "can_tick": can(actor, "conferences.prepare_point", point),
            "unit_form": unit_form or PointUnitForm(actor=actor),
            "operator_form": operator_form or PointOperatorForm(actor=actor, conference=conference),
        },
        status=400 if unit_form is not None or operator_form is not None else 200,
    )


@login_required
def point_edit(request, pk: int, point_pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    point = _point(actor, conference, point_pk)
    require_change(actor, point)
    form = PointForm(request.POST or None, actor=actor, editing=True, initial=PointForm.initial_for(point))
    if request.method == "POST" and form.is_valid():
        try:
            services.point_update(actor=actor, point=point, **form.changes())
        except ConferenceError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã lưu điểm cầu."))
            return redirect("conferences:point_detail", pk=pk, point_pk=point.pk)
    return render(
        request,
        "conferences/point_form.html",
        {"nav": "conferences", "tab": "points", "conference": conference, "form": form, "point": point},
    )


@login_required
@require_POST
def point_delete(request, pk: int, point_pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    point = _point(actor, conference, point_pk)
    services.point_delete(actor=actor, point=point)
    messages.success(request, _("Đã xóa điểm cầu “%(name)s”.") % {"name": point.name})
    return redirect("conferences:points", pk=pk)


@login_required
@require_POST
def point_units(request, pk: int, point_pk: int):
    """Add a unit the point serves (by code or name), or remove one (`remove=<unit id>`)."""
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    point = _point(actor, conference, point_pk)
    remove = request.POST.get("remove", "")
    if remove:
        unit = selectors.units_served(point=point).filter(pk=remove if remove.isdigit() else 0).first()
        if unit is None:
            raise Http404
        services.point_unserve_unit(actor=actor, point=point, unit=unit)
        messages.success(request, _("Điểm cầu thôi phục vụ %(unit)s.") % {"unit": unit.name})
    else:
        require_change(actor, point)
        form = PointUnitForm(request.POST, actor=actor)
        if not form.is_valid():
            return point_detail(request, pk, point_pk, unit_form=form)
        unit: Unit = form.cleaned_data["unit"]
        try:
            services.point_serve_unit(actor=actor, point=point, unit=unit)
        except ConferenceError as error:
            add_domain_error(form, error, field="unit")
            return point_detail(request, pk, point_pk, unit_form=form)
        messages.success(request, _("Điểm cầu phục vụ thêm %(unit)s.") % {"unit": unit.name})
    return redirect("conferences:point_detail", pk=pk, point_pk=point.pk)


@login_required
@require_POST
def point_operators(request, pk: int, point_pk: int):
    """Name an operator by username, or remove one (`remove=<user id>`)."""
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    point = _point(actor, conference, point_pk)
    remove = request.POST.get("remove", "")
    if remove:
        user = point.operators.filter(pk=remove if remove.isdigit() else 0).first()
        if user is None:
            raise Http404
        services.point_operator_remove(actor=actor, point=point, user=user)
        messages.success(request, _("Đã bỏ người vận hành %(username)s.") % {"username": user.username})
    else:
        require_change(actor, point)
        form = PointOperatorForm(request.POST, actor=actor, conference=conference)
        if not form.is_valid():
            return point_detail(request, pk, point_pk, operator_form=form)
        user = form.cleaned_data["username"]
        try:
            services.point_operator_add(actor=actor, point=point, user=user)
        except ConferenceError as error:
            add_domain_error(form, error, field="username")
            return point_detail(request, pk, point_pk, operator_form=form)
        messages.success(request, _("Đã thêm người vận hành %(username)s.") % {"username": user.username})
    return redirect("conferences:point_detail", pk=pk, point_pk=point.pk)


@login_required
@require_POST
def point_readiness_mark(request, pk: int, point_pk: int):
    """Tick or untick one item of the checklist (organisers of the point and its operators)."""
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    point = _point(actor, conference, point_pk)
    item = request.POST.get("item", "")
    done = request.POST.get("done") == "1"
    services.point_readiness_mark(actor=actor, point=point, item=item, done=done)
    return redirect("conferences:point_detail", pk=pk, point_pk=point.pk)


@login_required
def unit_suggest(request, pk: int):
    """Options for the unit boxes: units the actor organises, found by name or code without accents."""
    selectors.conference_get(actor=request.user, pk=pk)
    text = request.GET.get("unit", "").strip()
    units = (
        org_selectors.unit_list(actor=request.user, action="conferences.change", search=text)[:20]
        if len(text) >= 2
        else []
    )
    return render(request, "conferences/point_unit_options.html", {"units": units})


@login_required
def readiness(request, pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    summary = readiness_summary(
        actor=actor, conference=conference, include_rules=can(actor, "conferences.change", conference)
    )
    page = Paginator(summary.not_ready, POINTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "conferences/readiness.html",
        {
            "nav": "conferences",
            "tab": "readiness",
            "conference": conference,
            "summary": summary,
            "page": page,
        },
    )
