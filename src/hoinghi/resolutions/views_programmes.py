"""Pages of the units' action programmes: a unit's programme with its items (and the programmes
below it), adding and changing an item, recording its status with evidence, the evidence file,
and the page of a part of the resolution with everything that serves it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoinghi.core.errors import NotFoundError
from hoinghi.core.forms import add_domain_error
from hoinghi.core.permissions import can, require
from hoinghi.resolutions import figures, programmes, selectors, services
from hoinghi.resolutions.errors import ResolutionsError
from hoinghi.resolutions.forms import ActionItemForm, ProgrammeForm, StatusForm
from hoinghi.resolutions.models import ItemKind, Progress
from hoinghi.resolutions.services import Evidence


def _not_found() -> NotFoundError:
    return NotFoundError(_("Không tìm thấy."), code="not_found")


def _resolution(request):
    """The resolution a page is about: ?nq=, else the first the actor sees."""
    resolutions = list(selectors.resolution_list(actor=request.user))
    chosen = request.GET.get("nq", "")
    resolution = next(
        (r for r in resolutions if str(r.pk) == chosen), resolutions[0] if resolutions else None
    )
    if resolution is None:
        raise _not_found()
    return resolutions, resolution


def _programme_url(programme) -> str:
    return reverse("resolutions:programme", args=[programme.unit_id]) + f"?nq={programme.resolution_id}"


@login_required
def programme(request, unit_pk: int):
    """A unit's programme for a resolution: its items (or, for those who keep it, the form that
    makes it), the form adding an item, and the programmes of the units below."""
    actor, today = request.user, timezone.localdate()
    unit = selectors.unit_get(actor=actor, pk=unit_pk)
    resolutions, resolution = _resolution(request)
    may_plan = can(actor, "resolutions.plan", unit)
    current = programmes.programme_of(resolution=resolution, unit=unit)
    programme_form = item_form = None
    if request.method == "POST":
        require(actor, "resolutions.plan", unit)
        programme_form = ProgrammeForm(request.POST)
        if programme_form.is_valid():
            try:
                created = services.programme_create(
                    actor=actor, resolution=resolution, unit=unit, **programme_form.cleaned_data
                )
            except ResolutionsError as error:
                add_domain_error(programme_form, error)
            else:
                messages.success(request, _("Đã lập chương trình hành động."))
                return redirect(_programme_url(created))
    elif current is None and may_plan:
        programme_form = ProgrammeForm(
            initial={"title": _("Chương trình hành động thực hiện %(title)s") % {"title": resolution.title}}
        )
    context = {
        "nav": "resolutions",
        "unit": unit,
        "resolutions": resolutions,
        "resolution": resolution,
        "programme": current,
        "may_plan": may_plan,
        "programme_form": programme_form,
        "ancestors": selectors.unit_ancestors(actor=actor, unit=unit),
        "below": programmes.programmes_under(actor=actor, resolution=resolution, unit=unit, today=today),
        "today": today,
    }
    if current is not None:
        items = list(programmes.programme_items(programme=current, today=today))
        counts = programmes.counts_of(current.items.all(), today)
        item_form = ActionItemForm(programme=current) if may_plan else None
        context.update(items=items, counts=counts, item_form=item_form, status_choices=StatusForm())
    status = 400 if programme_form is not None and programme_form.errors else 200
    return render(request, "resolutions/programme.html", context, status=status)


@login_required
@require_POST
def item_add(request, pk: int):
    actor = request.user
    current = programmes.programme_get(actor=actor, pk=pk)
    form = ActionItemForm(request.POST, programme=current)
    if form.is_valid():
        try:
            services.action_item_create(
                actor=actor,
                programme=current,
                text=form.cleaned_data["text"],
                serves=form.serves_value(),
                deadline=form.cleaned_data["deadline"],
                owner=form.owner_value(),
            )
        except ResolutionsError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã thêm việc vào chương trình."))
            return redirect(_programme_url(current))
    return render(
        request,
        "resolutions/action_item_form.html",
        {"nav": "resolutions", "programme": current, "form": form, "item": None},
        status=400,
    )


@login_required
def item_edit(request, pk: int):
    actor = request.user
    item = programmes.action_item_get(actor=actor, pk=pk)
    current = item.programme
    if request.method == "POST":
        form = ActionItemForm(request.POST, programme=current)
        if form.is_valid():
            try:
                services.action_item_update(
                    actor=actor,
                    item=item,
                    text=form.cleaned_data["text"],
                    serves=form.serves_value(),
                    deadline=form.cleaned_data["deadline"],
                    owner=form.owner_value(),
                )
            except ResolutionsError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Đã lưu việc số %(number)s.") % {"number": item.number})
                return redirect(_programme_url(current))
        status = 400
    else:
        require(actor, "resolutions.plan", item)
        owner = f"p{item.owner_person_id}" if item.owner_person_id else f"u{item.owner_unit_id}"
        form = ActionItemForm(
            programme=current,
            initial={
                "text": item.text,
                "serves": item.serves_id,
                "deadline": item.deadline,
                "owner": owner,
                "owner_role": item.owner_role_id,
            },
        )
        status = 200
    return render(
        request,
        "resolutions/action_item_form.html",
        {"nav": "resolutions", "programme": current, "form": form, "item": item},
        status=status,
    )


@login_required
@require_POST
def item_status(request, pk: int):
    """Record an item's status with its evidence; a refusal comes back on the programme's page
    as a message naming the item (the form is one line of a list)."""
    actor = request.user
    item = programmes.action_item_get(actor=actor, pk=pk)
    form = StatusForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(
            request, _("Việc số %(number)s: %(errors)s") % {"number": item.number, "errors": errors}
        )
        return redirect(_programme_url(item.programme))  # to the top, where the message is
    sent = form.cleaned_data.get("evidence_file")
    try:
        services.action_item_status_set(
            actor=actor,
            item=item,
            status=form.cleaned_data["status"],
            evidence_text=form.cleaned_data["evidence_text"],
            evidence=Evidence(sent.name, sent.read(services.EVIDENCE_MAX_BYTES + 1)) if sent else None,
        )
    except ResolutionsError as error:  # bad evidence, none for "done": named on the page
        messages.error(
            request, _("Việc số %(number)s: %(error)s") % {"number": item.number, "error": error.message}
        )
        return redirect(_programme_url(item.programme))  # to the top, where the message is
    messages.success(request, _("Đã cập nhật việc số %(number)s.") % {"number": item.number})
    return redirect(_programme_url(item.programme) + f"#viec-{item.pk}")


@login_required
def evidence(request, pk: int):
    item = programmes.action_item_get(actor=request.user, pk=pk)
    if not item.evidence_file:
        raise _not_found()
    return FileResponse(item.evidence_file.open("rb"), as_attachment=True, filename=item.evidence_name)


@login_required
def target(request, item_pk: int, unit_pk: int):
    """A part of the resolution for a unit's subtree: its text, its indicators' latest values,
    the programme items serving it and (from the apps above) the personal plans."""
    actor, today = request.user, timezone.localdate()
    chosen = request.GET.get("noi-dung", "")
    if chosen.isdigit() and int(chosen) != item_pk:  # the list of parts on the page
        return redirect("resolutions:target", item_pk=int(chosen), unit_pk=unit_pk)
    part = programmes.resolution_item_get(actor=actor, pk=item_pk)
    unit = selectors.unit_get(actor=actor, pk=unit_pk)
    resolution = part.resolution
    indicators = []
    period = None
    datasets = list(selectors.dataset_list(actor=actor, resolution=resolution))
    if datasets:
        period = selectors.period_list(periodicity=datasets[0].periodicity).first()
    for indicator in programmes.indicators_of(item=part):
        value = (
            figures.indicator_values(indicator=indicator, units=[unit], period=period).get(unit.pk)
            if period
            else None
        )
        indicators.append((indicator, value))
    serving = programmes.serving_items(actor=actor, item=part, unit=unit, today=today)
    siblings = list(
        programmes.serves_choices(resolution=resolution).filter(kind__in=[ItemKind.TARGET, ItemKind.TASK])
    )
    return render(
        request,
        "resolutions/target.html",
        {
            "nav": "resolutions",
            "part": part,
            "unit": unit,
            "resolution": resolution,
            "ancestors": selectors.unit_ancestors(actor=actor, unit=unit),
            "indicators": indicators,
            "period": period,
            "serving": serving,
            "today": today,
            "progress": Progress,
            "parts": siblings,
        },
    )
