"""Pages of the organisation tree: browse, a unit, the people list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hoinghi.core.permissions import can
from hoinghi.orgs import selectors, services
from hoinghi.orgs.models import Gender, PositionRole, Province, UnitKind

PEOPLE_PER_PAGE = 50


@login_required
def tree(request):
    search = request.GET.get("q", "").strip()
    roots = list(selectors.unit_roots(actor=request.user))
    # The first top unit opens with its children already in the page: one request, not two.
    first_children = list(selectors.unit_children(actor=request.user, unit=roots[0])) if roots else None
    context = {"nav": "tree", "q": search, "roots": roots, "first_children": first_children}
    if search:
        context["results"] = selectors.unit_list(actor=request.user, search=search)[:100]
    return render(request, "orgs/tree.html", context)


@login_required
def unit_children(request, pk: int):
    unit = selectors.unit_get(actor=request.user, pk=pk)
    children = selectors.unit_children(actor=request.user, unit=unit)
    return render(request, "orgs/_tree_nodes.html", {"units": children})


@login_required
def unit_search(request):
    """The htmx search box of the tree page: matching units by name or code."""
    search = request.GET.get("q", "").strip()
    results = selectors.unit_list(actor=request.user, search=search)[:100] if search else []
    return render(request, "orgs/_unit_results.html", {"results": results, "q": search})


@login_required
def unit_detail(request, pk: int):
    actor = request.user
    unit = selectors.unit_get(actor=actor, pk=pk)
    people = selectors.person_list(actor=actor, unit=unit, include_subtree=False)
    return render(
        request,
        "orgs/unit_detail.html",
        {
            "nav": "tree",
            "unit": unit,
            "ancestors": selectors.unit_ancestors(actor=actor, unit=unit),
            "children": selectors.unit_children(actor=actor, unit=unit),
            "counts": selectors.unit_counts(actor=actor, unit=unit),
            "positions": selectors.position_list(actor=actor, unit=unit),
            "people": people[:PEOPLE_PER_PAGE],
            "people_total": people.count(),
            "can_change": can(actor, "orgs.change", unit),
            "can_import": can(actor, "orgs.import", unit),
        },
    )


@login_required
@require_POST
def unit_delete(request, pk: int):
    unit = selectors.unit_get(actor=request.user, pk=pk)
    parent_pk = unit.parent_id
    services.unit_delete(actor=request.user, unit=unit)
    messages.success(request, f"Đã xóa “{unit.name}”.")
    return redirect("orgs:unit_detail", pk=parent_pk) if parent_pk else redirect("orgs:tree")


@login_required
def person_list(request):
    actor = request.user
    params = request.GET
    unit = None
    if params.get("unit"):
        try:
            unit = selectors.unit_get(actor=actor, pk=int(params["unit"]))
        except ValueError as error:
            raise Http404 from error
    role = (
        PositionRole.objects.filter(pk=params.get("role")).first()
        if params.get("role", "").isdigit()
        else None
    )
    kind = (
        UnitKind.objects.filter(pk=params.get("kind")).first() if params.get("kind", "").isdigit() else None
    )
    province = (
        Province.objects.filter(pk=params.get("province")).first()
        if params.get("province", "").isdigit()
        else None
    )
    gender = params.get("gender", "") if params.get("gender", "") in Gender.values else ""
    people = selectors.person_list(
        actor=actor,
        unit=unit,
        search=params.get("q", ""),
        role=role,
        gender=gender,
        kind=kind,
        province=province,
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    context = {
        "nav": "people",
        "page": page,
        "unit": unit,
        "q": params.get("q", ""),
        "query": query.urlencode(),
        "filters": {"role": role, "kind": kind, "province": province, "gender": gender},
        "roles": PositionRole.objects.all(),
        "kinds": UnitKind.objects.select_related("level"),
        "provinces": Province.objects.all(),
        "genders": Gender.choices,
    }
    template = "orgs/_person_rows.html" if request.headers.get("HX-Request") else "orgs/person_list.html"
    return render(request, template, context)
