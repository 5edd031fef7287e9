"""Forms of the invitation pages: a rule built from choices (no code), an include or exclude."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hoinghi.conferences.models import FullTime, OverrideKind
from hoinghi.orgs import selectors as org_selectors
from hoinghi.orgs.models import Level, PositionRole, UnitKind


class RuleForm(forms.Form):
    """The conditions of one category of invitees; every condition left empty does not restrict."""

    name = forms.CharField(
        label=_("Tên nhóm đối tượng"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("vd: Ủy viên Ban Chấp hành cấp tỉnh")}),
    )
    roles = forms.ModelMultipleChoiceField(
        label=_("Giữ chức vụ"),
        queryset=PositionRole.objects.order_by("sort_order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    levels = forms.ModelMultipleChoiceField(
        label=_("Đơn vị ở cấp"),
        queryset=Level.objects.order_by("rank", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    unit_kinds = forms.ModelMultipleChoiceField(
        label=_("Loại đơn vị"),
        queryset=UnitKind.objects.select_related("level").order_by("level__rank", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    full_time = forms.ChoiceField(
        label=_("Chuyên trách"), choices=FullTime.choices, initial=FullTime.ANY, widget=forms.RadioSelect
    )
    min_member_count = forms.IntegerField(label=_("Đơn vị có từ … đoàn viên"), min_value=0, required=False)
    within = forms.CharField(
        label=_("Chỉ trong đơn vị (mã)"),
        max_length=50,
        required=False,
        help_text=_("Để trống: toàn bộ đơn vị tổ chức hội nghị. Gõ tên hoặc mã để tìm."),
    )

    def __init__(self, *args, actor, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)

    def choice_fields(self):
        """The conditions chosen by ticking boxes, in the order the form shows them."""
        return [self[name] for name in ("roles", "levels", "unit_kinds", "full_time")]

    @classmethod
    def initial_for(cls, rule) -> dict:
        return {
            "name": rule.name,
            "roles": list(rule.roles.all()),
            "levels": list(rule.levels.all()),
            "unit_kinds": list(rule.unit_kinds.all()),
            "full_time": rule.full_time,
            "min_member_count": rule.min_member_count,
            "within": rule.within.code if rule.within_id else "",
        }

    def clean_within(self):
        code = self.cleaned_data["within"].strip()
        if not code:
            return None
        unit = org_selectors.unit_list(actor=self.actor).filter(code__iexact=code).first()
        if unit is None:
            raise forms.ValidationError(
                _("Không tìm thấy đơn vị mã “%(code)s”."), code="unit_not_found", params={"code": code}
            )
        return unit

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "roles": list(data["roles"]),
            "levels": list(data["levels"]),
            "unit_kinds": list(data["unit_kinds"]),
            "full_time": data["full_time"],
            "min_member_count": data["min_member_count"],
            "within": data["within"],
        }


class OverrideForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Loại"), choices=OverrideKind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Lý do"), max_length=300, required=False)
