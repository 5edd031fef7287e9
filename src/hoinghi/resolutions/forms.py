"""Forms of the action programme pages. They only parse input and find what it names among what
the page offered; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hoinghi.resolutions import programmes
from hoinghi.resolutions.models import ActionProgramme, ItemStatus
from hoinghi.resolutions.services import Owner

DAY_HELP = _("dd/mm/yyyy, vd: 30/06/2019")


def _day_field(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%d/%m/%Y"],
        help_text=DAY_HELP,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "30/06/2019", "autocomplete": "off", "inputmode": "numeric"},
        ),
    )


class ProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Tên chương trình"), max_length=300)
    adopted_on = _day_field(_("Ngày ban hành"), required=False)


class ActionItemForm(forms.Form):
    """An item: its text, the part it serves, its deadline and owner. The owner is one choice,
    "p<id>" for a person or "u<id>" for a unit, with an optional role held in that unit."""

    text = forms.CharField(label=_("Nội dung công việc"), widget=forms.Textarea(attrs={"rows": 2}))
    serves = forms.TypedChoiceField(label=_("Phục vụ chỉ tiêu, nhiệm vụ"), coerce=int)
    deadline = _day_field(_("Thời hạn"))
    owner = forms.ChoiceField(label=_("Người, đơn vị phụ trách"))
    owner_role = forms.TypedChoiceField(
        label=_("Chức vụ phụ trách (nếu giao cho đơn vị)"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, programme: ActionProgramme, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = {part.pk: part for part in programmes.serves_choices(resolution=programme.resolution)}
        self.fields["serves"].choices = [
            (pk, f"{part.get_kind_display()} {part.number}: {part.text[:90]}")
            for pk, part in self.parts.items()
        ]
        people, units, roles = programmes.owner_choices(unit=programme.unit)
        self.people = {person.pk: person for person in people}
        self.units = {unit.pk: unit for unit in units}
        self.roles = {role.pk: role for role in roles}
        self.fields["owner"].choices = [
            (_("Đơn vị"), [(f"u{unit.pk}", unit.name) for unit in units]),
            (_("Cán bộ của đơn vị"), [(f"p{person.pk}", person.full_name) for person in people]),
        ]
        self.fields["owner_role"].choices = [("", "—")] + [(role.pk, role.name) for role in roles]

    def owner_value(self) -> Owner:
        chosen = self.cleaned_data["owner"]
        kind, pk = chosen[0], int(chosen[1:])
        if kind == "p":
            return Owner(person=self.people[pk])
        role = self.cleaned_data.get("owner_role")
        return Owner(unit=self.units[pk], role=self.roles.get(role) if role else None)

    def serves_value(self):
        return self.parts[self.cleaned_data["serves"]]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=ItemStatus.choices)
    evidence_text = forms.CharField(
        label=_("Kết quả, minh chứng"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence_file = forms.FileField(
        label=_("Tệp minh chứng (PDF, Word, Excel, ảnh; tối đa 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )
