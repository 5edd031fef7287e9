"""Forms of the conference pages. They only parse input and find what it names within the actor's
scope; the services decide what is allowed."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoinghi.conferences import selectors
from hoinghi.conferences.models import BridgePointLevel, ProgrammeItemKind
from hoinghi.orgs import selectors as org_selectors
from hoinghi.orgs.models import Person, Unit

DATETIME_FORMAT = "%d/%m/%Y %H:%M"
_DATETIME_HELP = gettext_lazy("dd/mm/yyyy HH:MM, vd: 06/12/2018 08:00")


def _datetime_field(label, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT],
        help_text=_DATETIME_HELP,
        widget=forms.DateTimeInput(
            format=DATETIME_FORMAT, attrs={"placeholder": "06/12/2018 08:00", "autocomplete": "off"}
        ),
    )


def _typed_code(text: str) -> str:
    """What a suggestion list put in the box is "CODE — name"; the code is what counts."""
    return text.split(" — ", 1)[0].strip()


def unit_from_text(*, actor, text: str, action: str = "conferences.change") -> Unit:
    """The unit a code (or an unambiguous name search) names among those the actor may `action`."""
    text = text.strip()
    units = org_selectors.unit_list(actor=actor, action=action)
    unit = units.filter(code__iexact=_typed_code(text)).first()
    if unit is not None:
        return unit
    found = list(org_selectors.unit_list(actor=actor, action=action, search=text)[:2])
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(
            _("Không tìm thấy đơn vị “%(text)s” trong phạm vi được giao."),
            code="not_found",
            params={"text": text},
        )
    raise ValidationError(
        _("Nhiều đơn vị khớp với “%(text)s”: hãy chọn trong danh sách gợi ý hoặc nhập mã đơn vị."),
        code="ambiguous",
        params={"text": text},
    )


def person_from_text(*, actor, text: str) -> Person:
    """The person a code (or an unambiguous name search) names among those the actor sees."""
    text = text.strip()
    people = org_selectors.person_list(actor=actor)
    person = people.filter(code__iexact=_typed_code(text)).first()
    if person is not None:
        return person
    found = list(org_selectors.person_list(actor=actor, search=text)[:2])
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(_("Không tìm thấy cán bộ “%(text)s”."), code="not_found", params={"text": text})
    raise ValidationError(
        _("Nhiều cán bộ khớp với “%(text)s”: hãy chọn trong danh sách gợi ý."),
        code="ambiguous",
        params={"text": text},
    )


class ConferenceForm(forms.Form):
    """Create (with the organising unit) or edit (without: it cannot change) a conference."""

    title = forms.CharField(label=gettext_lazy("Tên hội nghị"), max_length=300)
    subject = forms.CharField(
        label=gettext_lazy("Nội dung quán triệt"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    starts_at = _datetime_field(gettext_lazy("Bắt đầu"))
    ends_at = _datetime_field(gettext_lazy("Kết thúc"), required=False)
    organising_unit = forms.TypedChoiceField(label=gettext_lazy("Đơn vị tổ chức"), coerce=int)

    def __init__(self, *args, actor, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        if editing:
            del self.fields["organising_unit"]
        else:
            self.fields["organising_unit"].choices = [
                (unit.pk, f"{unit.name} ({unit.code})")
                for unit in org_selectors.unit_grant_tops(actor=actor, action="conferences.change")
            ]

    def clean_organising_unit(self) -> Unit:
        return org_selectors.unit_get(
            actor=self.actor, pk=self.cleaned_data["organising_unit"], action="conferences.change"
        )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", ValidationError(_("Kết thúc phải sau lúc bắt đầu."), code="order"))
        return data


class ConferenceCloneForm(forms.Form):
    """The next conference made from this one: its title, its start, and whether its points keep
    their operators."""

    title = forms.CharField(label=gettext_lazy("Tên hội nghị mới"), max_length=300)
    starts_at = _datetime_field(gettext_lazy("Bắt đầu"))
    keep_operators = forms.BooleanField(
        label=gettext_lazy("Giữ người vận hành của các điểm cầu"),
        required=False,
        help_text=gettext_lazy("Để trống: các điểm cầu của hội nghị mới chưa có người vận hành."),
    )


class _TimeOnDayField(forms.CharField):
    """ "HH:MM" on the conference's day, or a full "dd/mm/yyyy HH:MM"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", gettext_lazy("HH:MM, hoặc dd/mm/yyyy HH:MM nếu khác ngày"))
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"placeholder": "08:00", "autocomplete": "off", "inputmode": "numeric"})


class ProgrammeItemForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=ProgrammeItemKind.choices)
    title = forms.CharField(label=gettext_lazy("Nội dung"), max_length=500)
    planned_start = _TimeOnDayField(label=gettext_lazy("Bắt đầu"))
    planned_end = _TimeOnDayField(label=gettext_lazy("Kết thúc"))

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = timezone.localtime(conference.starts_at).date()

    @staticmethod
    def initial_for(item) -> dict:
        def show(value):
            return timezone.localtime(value).strftime(DATETIME_FORMAT) if value else ""

        return {
            "kind": item.kind,
            "title": item.title,
            "planned_start": show(item.planned_start),
            "planned_end": show(item.planned_end),
        }

    def _parse(self, name: str):
        text = self.cleaned_data.get(name, "").strip()
        if not text:
            return None
        for pattern, on_day in ((DATETIME_FORMAT, False), ("%H:%M", True), ("%Hh%M", True), ("%Hh", True)):
            try:
                parsed = datetime.strptime(text, pattern)
            except ValueError:
                continue
            if on_day:
                parsed = datetime.combine(self.day, parsed.time())
            return timezone.make_aware(parsed)
        raise ValidationError(
            _("Giờ “%(text)s” không đúng dạng HH:MM hoặc dd/mm/yyyy HH:MM."),
            code="invalid",
            params={"text": text},
        )

    def clean_planned_start(self):
        return self._parse("planned_start")

    def clean_planned_end(self):
        return self._parse("planned_end")

    def clean(self):
        data = super().clean()
        starts, ends = data.get("planned_start"), data.get("planned_end")
        if starts and ends and ends <= starts:
            self.add_error("planned_end", ValidationError(_("Kết thúc phải sau lúc bắt đầu."), code="order"))
        return data


class PresenterForm(forms.Form):
    """A person of the tree (by code or name) or a guest with their title."""

    person = forms.CharField(label=gettext_lazy("Cán bộ (tên hoặc mã)"), required=False, max_length=300)
    guest_name = forms.CharField(
        label=gettext_lazy("hoặc khách mời: họ và tên"), required=False, max_length=200
    )
    title = forms.CharField(label=gettext_lazy("Chức danh"), required=False, max_length=300)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_person(self) -> Person | None:
        text = self.cleaned_data.get("person", "").strip()
        return person_from_text(actor=self.actor, text=text) if text else None

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("person") is None and not data.get("guest_name", "").strip():
            raise ValidationError(_("Cần chọn một cán bộ hoặc nhập tên khách mời."), code="required")
        return data


class PointForm(forms.Form):
    """A bridge point; the unit that runs it and the host flag are set once, at creation."""

    name = forms.CharField(label=gettext_lazy("Tên điểm cầu"), max_length=300)
    level = forms.ModelChoiceField(label=gettext_lazy("Cấp"), queryset=BridgePointLevel.objects.all())
    unit = forms.CharField(
        label=gettext_lazy("Đơn vị phụ trách (mã hoặc tên)"),
        max_length=300,
        help_text=gettext_lazy(
            "Điểm cầu phục vụ đơn vị này và các đơn vị trực thuộc chưa có điểm cầu riêng."
        ),
    )
    is_host = forms.BooleanField(label=gettext_lazy("Điểm cầu chính"), required=False)
    address = forms.CharField(label=gettext_lazy("Địa chỉ"), max_length=500, required=False)
    capacity = forms.IntegerField(label=gettext_lazy("Sức chứa (người)"), min_value=0, required=False)
    contact_name = forms.CharField(label=gettext_lazy("Cán bộ kỹ thuật"), max_length=200, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("Điện thoại kỹ thuật"), max_length=30, required=False)
    contact_email = forms.EmailField(label=gettext_lazy("Thư điện tử kỹ thuật"), required=False)

    EDITABLE = ("name", "level", "address", "capacity", "contact_name", "contact_phone", "contact_email")

    def __init__(self, *args, actor, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        if editing:
            del self.fields["unit"]
            del self.fields["is_host"]

    @classmethod
    def initial_for(cls, point) -> dict:
        return {name: getattr(point, name) for name in cls.EDITABLE}

    def clean_unit(self) -> Unit:
        return unit_from_text(actor=self.actor, text=self.cleaned_data["unit"])

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.EDITABLE}


class PointUnitForm(forms.Form):
    unit = forms.CharField(label=gettext_lazy("Đơn vị (mã hoặc tên)"), max_length=300)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_unit(self) -> Unit:
        return unit_from_text(actor=self.actor, text=self.cleaned_data["unit"])


class PointOperatorForm(forms.Form):
    """An operator named by username, among the accounts the actor may name
    (`selectors.operator_candidate_get`). Any other username gets the same answer whether it
    exists or not: the form does not tell an organiser which accounts exist outside their part of
    the tree."""

    username = forms.CharField(label=gettext_lazy("Tên đăng nhập"), max_length=150)

    def __init__(self, *args, actor, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor, self.conference = actor, conference

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = selectors.operator_candidate_get(
            actor=self.actor, conference=self.conference, username=username
        )
        if user is None:
            raise ValidationError(
                _("Không tìm thấy tài khoản “%(username)s” trong phạm vi quản lý của đồng chí."),
                code="not_found",
                params={"username": username},
            )
        return user
