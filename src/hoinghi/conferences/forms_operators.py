"""Forms of the operator accounts page: which points, and how the passwords are handed over."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoinghi.conferences.models import BridgePointLevel

OPERATOR_FILE_MAX_BYTES = 2 * 1024 * 1024


class Delivery(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            label=gettext_lazy("Giao mật khẩu"),
            choices=[
                ("sheet", gettext_lazy("In phiếu bàn giao (PDF, chỉ hiện một lần)")),
                (
                    "email",
                    gettext_lazy(
                        "Gửi thư điện tử tới cán bộ kỹ thuật của điểm cầu; điểm cầu chưa có địa chỉ "
                        "thư thì in trên phiếu"
                    ),
                ),
            ],
            initial="sheet",
            widget=forms.RadioSelect,
            **kwargs,
        )


class OperatorAccountsForm(forms.Form):
    """Points chosen all at once, by level, or one by one, among those without an operator."""

    which = forms.ChoiceField(
        label=gettext_lazy("Điểm cầu"),
        choices=[
            ("all", gettext_lazy("Tất cả điểm cầu chưa có người vận hành")),
            ("level", gettext_lazy("Các điểm cầu chưa có người vận hành ở cấp")),
            ("selected", gettext_lazy("Các điểm cầu được chọn dưới đây")),
        ],
        initial="all",
        widget=forms.RadioSelect,
    )
    level = forms.ModelChoiceField(
        label=gettext_lazy("Cấp"), queryset=BridgePointLevel.objects.all(), required=False
    )
    points = forms.MultipleChoiceField(label=gettext_lazy("Chọn điểm cầu"), required=False)
    delivery = Delivery()

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(points)
        self.fields["points"].choices = [(str(point.pk), point.name) for point in self.candidates]

    def clean(self):
        data = super().clean()
        which = data.get("which")
        if which == "level" and not data.get("level"):
            self.add_error("level", ValidationError(_("Hãy chọn cấp điểm cầu."), code="required"))
        if which == "selected" and not data.get("points"):
            self.add_error("points", ValidationError(_("Hãy chọn ít nhất một điểm cầu."), code="required"))
        return data

    def point_ids(self) -> list[int]:
        which = self.cleaned_data["which"]
        if which == "level":
            return [p.pk for p in self.candidates if p.level_id == self.cleaned_data["level"].pk]
        if which == "selected":
            chosen = set(self.cleaned_data["points"])
            return [p.pk for p in self.candidates if str(p.pk) in chosen]
        return [p.pk for p in self.candidates]


class OperatorImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )
    delivery = Delivery()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > OPERATOR_FILE_MAX_BYTES:
            raise ValidationError(_("Tệp quá lớn; tối đa %(max)s MB."), code="too_large", params={"max": 2})
        return upload
