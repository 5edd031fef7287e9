"""Pages of a conference: the list, the overview with its life cycle, and the programme."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoinghi.conferences import readiness, selectors, services
from hoinghi.conferences.errors import ConferenceError
from hoinghi.conferences.forms import ConferenceCloneForm, ConferenceForm, PresenterForm, ProgrammeItemForm
from hoinghi.conferences.models import TRANSITIONS, ConferenceStatus, Presenter, ProgrammeItem
from hoinghi.core.errors import RequestErrorCode
from hoinghi.core.forms import add_domain_error
from hoinghi.core.permissions import PermissionDeniedError, can, require
from hoinghi.orgs import selectors as org_selectors

# The life cycle as the stepper shows it, in order.
STAGES = [
    ConferenceStatus.DRAFT,
    ConferenceStatus.INVITATIONS_ISSUED,
    ConferenceStatus.LIVE,
    ConferenceStatus.ENDED,
    ConferenceStatus.ARCHIVED,
]


# --- Shared by the conference pages (views/points.py and views/invitations.py use it too) ---------


def require_change(actor, target) -> None:
    """Before a form is read: what the actor may not change is refused (a 403 if they can see
    its unit, else a 404, as `require` says), so a refused form is never shown back to them."""
    require(actor, "conferences.change", target)


# --- The list, create and edit --------------------------------------------------------------------


@login_required
def conference_list(request):
    actor = request.user
    conferences = list(selectors.conference_list(actor=actor))
    counts = selectors.conference_counts(actor=actor, conferences=conferences)
    rows = [(conference, counts[conference.pk]) for conference in conferences]
    can_create = org_selectors.unit_grant_tops(actor=actor, action="conferences.change").exists()
    return render(
        request,
        "conferences/conference_list.html",
        {"nav": "conferences", "rows": rows, "can_create": can_create},
    )


@login_required
def conference_create(request):
    actor = request.user
    form = ConferenceForm(request.POST or None, actor=actor)
    if not form.fields["organising_unit"].choices:
        raise PermissionDeniedError(
            _("Tài khoản chưa được giao quyền tổ chức hội nghị ở đơn vị nào."),
            code=RequestErrorCode.FORBIDDEN,
        )
    if request.method == "POST" and form.is_valid():
        try:
            conference = services.conference_create(actor=actor, **form.cleaned_data)
        except ConferenceError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã tạo hội nghị “%(title)s”.") % {"title": conference.title})
            return redirect("conferences:detail", pk=conference.pk)
    return render(request, "conferences/conference_form.html", {"nav": "conferences", "form": form})


@login_required
def conference_edit(request, pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    require_change(actor, conference)
    initial = {
        "title": conference.title,
        "subject": conference.subject,
        "starts_at": conference.starts_at,
        "ends_at": conference.ends_at,
    }
    form = ConferenceForm(request.POST or None, actor=actor, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_update(actor=actor, conference=conference, **form.cleaned_data)
        except ConferenceError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin hội nghị."))
            return redirect("conferences:detail", pk=conference.pk)
    return render(
        request,
        "conferences/conference_form.html",
        {"nav": "conferences", "form": form, "conference": conference},
    )


@login_required
def conference_clone(request, pk: int):
    """The next conference from this one: what is copied and what is not, then the copy."""
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    require_change(actor, conference)
    initial = {"title": conference.title, "starts_at": conference.starts_at}
    form = ConferenceCloneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            clone = services.conference_clone(actor=actor, conference=conference, **form.cleaned_data)
        except ConferenceError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Đã tạo bản nháp “%(title)s” từ hội nghị này.") % {"title": clone.title}
            )
            return redirect("conferences:detail", pk=clone.pk)
    return render(
        request,
        "conferences/conference_clone.html",
        {
            "nav": "conferences",
            "conference": conference,
            "form": form,
            "plan": selectors.conference_clone_plan(conference=conference),
        },
    )


# --- Overview and life cycle ----------------------------------------------------------------------


def _stepper(conference, transitions) -> list[dict]:
    """The life cycle's steps; a cancelled conference shows the stages it went through, then
    "cancelled" in place of those it never reached."""
    if conference.status == ConferenceStatus.CANCELLED:
        cancelled_from = next(
            (t.from_status for t in reversed(transitions) if t.to_status == ConferenceStatus.CANCELLED),
            ConferenceStatus.DRAFT,
        )
        reached = STAGES[: STAGES.index(cancelled_from) + 1]
        return [{"value": stage, "label": stage.label, "state": "done"} for stage in reached] + [
            {"value": conference.status, "label": ConferenceStatus.CANCELLED.label, "state": "cancelled"}
        ]
    current = STAGES.index(conference.status)
    return [
        {
            "value": stage,
            "label": stage.label,
            "state": "done" if index < current else "current" if index == current else "todo",
        }
        for index, stage in enumerate(STAGES)
    ]


@login_required
def conference_detail(request, pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    can_change = can(actor, "conferences.change", conference)
    summary = readiness.readiness_summary(actor=actor, conference=conference, include_rules=can_change)
    next_stages = [
        stage for stage in STAGES if stage in TRANSITIONS[conference.status]
    ]  # in life-cycle order; cancelling has its own form, with the reason
    transitions = list(conference.transitions.select_related("actor"))
    return render(
        request,
        "conferences/conference_detail.html",
        {
            "nav": "conferences",
            "tab": "overview",
            "conference": conference,
            "totals": readiness.totals(actor=actor, conference=conference),
            "summary": summary,
            "stepper": _stepper(conference, transitions),
            "transitions": transitions,
            "next_stages": next_stages,
            "can_change": can_change,
            "can_cancel": ConferenceStatus.CANCELLED in TRANSITIONS[conference.status],
            "is_deletable": can_change and selectors.conference_is_deletable(conference=conference),
            "cancellation": next(
                (t for t in reversed(transitions) if t.to_status == ConferenceStatus.CANCELLED), None
            ),
        },
    )


@login_required
@require_POST
def conference_transition(request, pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    to_status = request.POST.get("to_status", "")
    if to_status not in ConferenceStatus.values:
        messages.error(request, _("Giai đoạn không hợp lệ."))
        return redirect("conferences:detail", pk=pk)
    if to_status == ConferenceStatus.INVITATIONS_ISSUED and conference.status == ConferenceStatus.DRAFT:
        # Issuing writes the invitations: it goes through the preview, never straight from here.
        return redirect("conferences:preview", pk=pk)
    services.conference_transition(
        actor=actor, conference=conference, to_status=to_status, reason=request.POST.get("reason", "")
    )
    messages.success(
        request, _("Hội nghị chuyển sang “%(stage)s”.") % {"stage": ConferenceStatus(to_status).label}
    )
    return redirect("conferences:detail", pk=pk)


@login_required
@require_POST
def conference_delete(request, pk: int):
    """Delete a draft whose invitations never went out; any other is refused with the reason
    (`invitations_sent`: cancel it instead), on the error page."""
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    services.conference_delete(actor=actor, conference=conference)
    messages.success(request, _("Đã xóa hội nghị “%(title)s”.") % {"title": conference.title})
    return redirect("conferences:list")


# --- Programme ------------------------------------------------------------------------------------


def _item_or_404(conference, item_pk: int) -> ProgrammeItem:
    item = conference.programme.filter(pk=item_pk).first()
    if item is None:
        raise Http404
    item.conference = conference
    return item


@login_required
def programme(request, pk: int, form=None, presenter_forms=None):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    can_change = can(actor, "conferences.change", conference)
    items = list(conference.programme.prefetch_related("presenters__person__unit"))
    presenter_forms = presenter_forms or {}
    return render(
        request,
        "conferences/programme.html",
        {
            "nav": "conferences",
            "tab": "programme",
            "conference": conference,
            "items": [(item, presenter_forms.get(item.pk) or PresenterForm(actor=actor)) for item in items],
            "form": form or ProgrammeItemForm(conference=conference),
            "can_change": can_change,
        },
        status=400 if form is not None or presenter_forms else 200,
    )


@login_required
@require_POST
def programme_item_create(request, pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    require_change(actor, conference)
    form = ProgrammeItemForm(request.POST, conference=conference)
    if form.is_valid():
        try:
            services.programme_item_create(actor=actor, conference=conference, **form.cleaned_data)
        except ConferenceError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã thêm “%(title)s”.") % {"title": form.cleaned_data["title"]})
            return redirect("conferences:programme", pk=pk)
    return programme(request, pk, form=form)


@login_required
def programme_item_edit(request, pk: int, item_pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    item = _item_or_404(conference, item_pk)
    require_change(actor, conference)
    form = ProgrammeItemForm(
        request.POST or None, conference=conference, initial=ProgrammeItemForm.initial_for(item)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_item_update(actor=actor, item=item, **form.cleaned_data)
        except ConferenceError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã lưu mục chương trình."))
            return redirect("conferences:programme", pk=pk)
    return render(
        request,
        "conferences/programme_item_form.html",
        {"nav": "conferences", "conference": conference, "item": item, "form": form},
    )


@login_required
@require_POST
def programme_item_delete(request, pk: int, item_pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    item = _item_or_404(conference, item_pk)
    services.programme_item_delete(actor=actor, item=item)
    messages.success(request, _("Đã xóa “%(title)s”.") % {"title": item.title})
    return redirect("conferences:programme", pk=pk)


@login_required
@require_POST
def programme_item_move(request, pk: int, item_pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    item = _item_or_404(conference, item_pk)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if step is None:
        messages.error(request, _("Hướng chuyển không hợp lệ."))
        return redirect("conferences:programme", pk=pk)
    services.programme_item_move(actor=actor, item=item, order=max(1, item.order + step))
    return redirect("conferences:programme", pk=pk)


@login_required
@require_POST
def presenter_add(request, pk: int, item_pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    item = _item_or_404(conference, item_pk)
    require_change(actor, conference)
    form = PresenterForm(request.POST, actor=actor)
    if form.is_valid():
        try:
            presenter = services.presenter_add(actor=actor, item=item, **form.cleaned_data)
        except ConferenceError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Đã thêm báo cáo viên %(name)s cho “%(item)s”.")
                % {"name": presenter.display_name, "item": item.title},
            )
            return redirect("conferences:programme", pk=pk)
    return programme(request, pk, presenter_forms={item.pk: form})


@login_required
@require_POST
def presenter_remove(request, pk: int, presenter_pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    presenter = (
        Presenter.objects.select_related("item", "person")
        .filter(pk=presenter_pk, item__conference=conference)
        .first()
    )
    if presenter is None:
        raise Http404
    presenter.item.conference = conference
    services.presenter_remove(actor=actor, presenter=presenter)
    messages.success(request, _("Đã bỏ báo cáo viên %(name)s.") % {"name": presenter.display_name})
    return redirect("conferences:programme", pk=pk)


@login_required
def person_suggest(request, pk: int):
    """Options for the presenter box: people of the tree the actor sees, found without accents."""
    selectors.conference_get(actor=request.user, pk=pk)
    text = request.GET.get("person", "").strip()
    people = org_selectors.person_list(actor=request.user, search=text)[:20] if len(text) >= 2 else []
    return render(request, "conferences/programme_person_options.html", {"people": people})
