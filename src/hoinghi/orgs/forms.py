"""Forms of the import and export pages. They only parse input; the services decide."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoinghi.core.errors import NotFoundError
from hoinghi.orgs import selectors
from hoinghi.orgs.errors import OrgsErrorCode
from hoinghi.orgs.exporters import FORMATS
from hoinghi.orgs.models import ImportKind, Unit


def _unit_choices(units, extra: Unit | None) -> list[tuple[int, str]]:
    choices = [(unit.pk, f"{unit.name} ({unit.code})") for unit in units]
    if extra is not None and extra.pk not in {pk for pk, _label in choices}:
        choices.append((extra.pk, f"{extra.name} ({extra.code})"))
    return choices


class _UnitChoiceForm(forms.Form):
    """A unit among the tops of the actor's grants for `action` (plus the unit the page came from)."""

    action = ""

    def __init__(self, *args, actor, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["unit"].choices = self._choices(unit)
        if unit is not None:
            self.fields["unit"].initial = unit.pk

    def _choices(self, unit):
        return _unit_choices(selectors.unit_grant_tops(actor=self.actor, action=self.action), unit)

    def clean_unit(self) -> Unit | None:
        value = self.cleaned_data.get("unit")
        if not value:
            return None
        try:
            return selectors.unit_get(actor=self.actor, pk=int(value), action=self.action)
        except (NotFoundError, ValueError) as error:
            raise ValidationError(_("Đơn vị không có trong phạm vi được giao."), code="not_found") from error


class ImportForm(_UnitChoiceForm):
    action = "orgs.import"

    kind = forms.ChoiceField(
        label=gettext_lazy("Loại dữ liệu"),
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        initial=ImportKind.PEOPLE,
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx, .xls), OpenDocument (.ods) hoặc CSV"),
        allow_empty_file=True,  # the service says why an empty file is refused, with its own code
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods,.csv"}),
    )
    unit = forms.TypedChoiceField(
        label=gettext_lazy("Nhập vào đơn vị"),
        coerce=int,
        help_text=gettext_lazy("Mọi đơn vị và cán bộ trong tệp phải thuộc đơn vị này."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        max_bytes = settings.HOINGHI_IMPORT_MAX_BYTES
        if upload.size > max_bytes:  # refused before its bytes are read into memory
            raise ValidationError(
                _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB."),
                code=OrgsErrorCode.IMPORT_FILE_TOO_LARGE,
                params={"size": f"{upload.size / 1024 / 1024:.1f}", "max": f"{max_bytes / 1024 / 1024:.1f}"},
            )
        return upload

    def clean_unit(self) -> Unit:
        unit = super().clean_unit()
        if unit is None:
            raise ValidationError(_("Hãy chọn đơn vị."), code="required")
        return unit


class ExportForm(_UnitChoiceForm):
    action = "orgs.export"

    kind = forms.ChoiceField(
        label=gettext_lazy("Dữ liệu"),
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        initial=ImportKind.PEOPLE,
    )
    file_format = forms.ChoiceField(
        label=gettext_lazy("Định dạng"),
        widget=forms.RadioSelect,
        initial="xlsx",
        choices=list(
            zip(FORMATS, [gettext_lazy("Excel (.xlsx)"), gettext_lazy("CSV (.csv, UTF-8)")], strict=True)
        ),
    )
    unit = forms.TypedChoiceField(label=gettext_lazy("Đơn vị"), coerce=int, required=False, empty_value=None)

    def _choices(self, unit):
        return [("", _("Toàn bộ phạm vi của tôi")), *super()._choices(unit)]
