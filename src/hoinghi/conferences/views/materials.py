"""The conference's materials (tab "Tài liệu"): list, upload, download, delete.

Whoever sees the conference downloads its materials here (organisers, viewers, the operators of
its points); invitees download them from their personal page. Organisers upload and delete.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hoinghi.conferences import selectors, services
from hoinghi.conferences.errors import ConferenceError
from hoinghi.core.forms import add_domain_error
from hoinghi.core.permissions import can, require


class MaterialForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Tên tài liệu"), max_length=300, required=False)
    item = forms.TypedChoiceField(
        label=gettext_lazy("Thuộc mục chương trình"), coerce=int, required=False, empty_value=None
    )
    file = forms.FileField(label=gettext_lazy("Tệp"))

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in conference.programme.order_by("order")}
        self.fields["item"].choices = [("", _("Cả hội nghị"))] + [
            (pk, f"{item.order}. {item.title}") for pk, item in self.items.items()
        ]
        self.fields["file"].widget.attrs["accept"] = ",".join(sorted(settings.HOINGHI_MATERIAL_TYPES))


def material_response(material) -> FileResponse:
    """The stored file as a download, with the type recorded when it was checked."""
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=material.file.name.rsplit("/", 1)[-1],
        content_type=material.content_type,
    )


@login_required
def material_list(request, pk: int):
    actor = request.user
    conference = selectors.conference_get(actor=actor, pk=pk)
    can_change = can(actor, "conferences.change", conference)
    form = MaterialForm(request.POST or None, request.FILES or None, conference=conference)
    if request.method == "POST":
        require(actor, "conferences.change", conference)  # a domain error: one line in the log
        if form.is_valid():
            try:
                material = services.material_upload(
                    actor=actor,
                    conference=conference,
                    title=form.cleaned_data["title"],
                    file=form.cleaned_data["file"],
                    item=form.items.get(form.cleaned_data["item"]),
                )
            except ConferenceError as error:
                add_domain_error(form, error, field="file")
            else:
                messages.success(request, _("Đã tải lên “%(title)s”.") % {"title": material.title})
                return redirect("conferences:materials", pk=conference.pk)
    return render(
        request,
        "conferences/materials.html",
        {
            "nav": "conferences",
            "tab": "materials",
            "conference": conference,
            "materials": selectors.material_list(actor=actor, conference=conference),
            "form": form,
            "can_change": can_change,
            "allowed": ", ".join(sorted(settings.HOINGHI_MATERIAL_TYPES)),
            "max_size": filesizeformat(settings.HOINGHI_MATERIAL_MAX_BYTES),
        },
        status=400 if request.method == "POST" else 200,
    )


def _material(actor, pk: int, material_pk: int):
    conference = selectors.conference_get(actor=actor, pk=pk)
    return selectors.material_get(actor=actor, conference=conference, pk=material_pk)


@login_required
def material_download(request, pk: int, material_pk: int):
    return material_response(_material(request.user, pk, material_pk))


@login_required
@require_POST
def material_delete(request, pk: int, material_pk: int):
    material = _material(request.user, pk, material_pk)
    services.material_delete(actor=request.user, material=material)
    messages.success(request, _("Đã xóa tài liệu “%(title)s”.") % {"title": material.title})
    return redirect("conferences:materials", pk=pk)
