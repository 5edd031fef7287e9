"""The organisers' page of a conference's learning reports: the assignment (set and changed by
those who organise the conference) and the reports with their figures, scoped to what the actor
may read (organisers and viewers of a subtree see its writers' reports)."""

from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from hoinghi.core.errors import DomainError, NotFoundError
from hoinghi.core.forms import add_domain_error
from hoinghi.core.permissions import can
from hoinghi.learning_reports import selectors, services
from hoinghi.learning_reports.models import (
    SECTION_LEARNED,
    SECTION_PLANS,
    GradeBand,
    LatePolicy,
    ReportState,
    WhoMustWrite,
)
from hoinghi.learning_reports.services.marking import may_allocate

REPORTS_PER_PAGE = 100
# Typed dd/mm/yyyy HH:MM as the conference's form: a browser's datetime-local picker shows the
# order of the browser's own locale (mm/dd/yyyy on an English one), not the Vietnamese order.
LOCAL = forms.DateTimeInput(
    format="%d/%m/%Y %H:%M", attrs={"placeholder": "06/12/2018 08:00", "autocomplete": "off"}
)
LOCAL_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"]


class AssignmentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=300)
    prompt = forms.CharField(
        label=gettext_lazy("Yêu cầu"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    learned_title = forms.CharField(label=gettext_lazy("Phần 1 (nội dung tiếp thu)"), max_length=300)
    plans_title = forms.CharField(
        label=gettext_lazy("Phần 2 (kế hoạch, giải pháp của bản thân)"), max_length=300
    )
    extra_titles = forms.CharField(
        label=gettext_lazy("Các phần khác (mỗi dòng một phần)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    min_syllables = forms.IntegerField(label=gettext_lazy("Số âm tiết tối thiểu"), min_value=0)
    max_syllables = forms.IntegerField(label=gettext_lazy("Số âm tiết tối đa"), min_value=1)
    opens_at = forms.DateTimeField(label=gettext_lazy("Mở nộp từ"), widget=LOCAL, input_formats=LOCAL_FORMATS)
    due_at = forms.DateTimeField(label=gettext_lazy("Hạn nộp"), widget=LOCAL, input_formats=LOCAL_FORMATS)
    late_policy = forms.ChoiceField(label=gettext_lazy("Bài nộp muộn"), choices=LatePolicy.choices)
    who_must_write = forms.ChoiceField(
        label=gettext_lazy("Đối tượng phải viết"), choices=WhoMustWrite.choices
    )
    is_blind = forms.BooleanField(
        label=gettext_lazy("Chấm ẩn danh (ẩn họ tên, đơn vị người viết)"), required=False
    )
    has_second_marking = forms.BooleanField(
        label=gettext_lazy("Chấm hai vòng (hai người chấm)"), required=False
    )
    third_marker_gap = forms.IntegerField(
        label=gettext_lazy("Hai lượt chấm lệch quá (% điểm tối đa) thì chấm vòng ba"),
        min_value=0,
        max_value=100,
        required=False,
    )
    remind_days_before = forms.IntegerField(
        label=gettext_lazy("Tự động gửi thư nhắc người chưa nộp trước hạn (số ngày; để trống: không nhắc)"),
        min_value=0,
        max_value=60,
        required=False,
    )
    reference_text = forms.CharField(
        label=gettext_lazy("Văn bản đối chiếu khi tìm đoạn sao chép (toàn văn nghị quyết...)"),
        help_text=gettext_lazy(
            "Mỗi bài được so với văn bản này và với các tài liệu của hội nghị; đoạn chép nguyên văn "
            "không để trong ngoặc kép, không ghi nguồn sẽ được cảnh báo."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    @classmethod
    def initial_from(cls, assignment) -> dict:
        titles = {section["key"]: section["title"] for section in assignment.sections}
        extra = [s["title"] for s in assignment.sections if s["key"] not in (SECTION_LEARNED, SECTION_PLANS)]
        return {
            "title": assignment.title,
            "prompt": assignment.prompt,
            "learned_title": titles.get(SECTION_LEARNED, ""),
            "plans_title": titles.get(SECTION_PLANS, ""),
            "extra_titles": "\n".join(extra),
            "min_syllables": assignment.min_syllables,
            "max_syllables": assignment.max_syllables,
            "opens_at": assignment.opens_at,
            "due_at": assignment.due_at,
            "late_policy": assignment.late_policy,
            "who_must_write": assignment.who_must_write,
            "is_blind": assignment.is_blind,
            "has_second_marking": assignment.has_second_marking,
            "third_marker_gap": assignment.third_marker_gap,
            "remind_days_before": assignment.remind_days_before,
            "reference_text": assignment.reference_text,
        }

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        sections = [
            {"key": SECTION_LEARNED, "title": data["learned_title"]},
            {"key": SECTION_PLANS, "title": data["plans_title"]},
        ]
        for number, title in enumerate(filter(None, map(str.strip, data["extra_titles"].splitlines())), 1):
            sections.append({"key": f"extra-{number}", "title": title})
        fields = {
            name: data[name]
            for name in (
                "title",
                "prompt",
                "min_syllables",
                "max_syllables",
                "opens_at",
                "due_at",
                "late_policy",
                "who_must_write",
                "is_blind",
                "has_second_marking",
                "third_marker_gap",
                "remind_days_before",
                "reference_text",
            )
        }
        if fields["third_marker_gap"] is None:
            fields["third_marker_gap"] = 15
        return {**fields, "sections": sections}


class RubricForm(forms.Form):
    """The rubric as text, one criterion a line: "Tiêu chí | Mức = điểm | Mức = điểm ...", and
    the lowest percentage of the maximum for each band but the last (0)."""

    criteria = forms.CharField(
        label=gettext_lazy(
            "Tiêu chí chấm (mỗi dòng một tiêu chí: Tên tiêu chí | Mức = điểm | Mức = điểm ...)"
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    excellent = forms.IntegerField(label=GradeBand.EXCELLENT.label, min_value=0, max_value=100)
    good = forms.IntegerField(label=GradeBand.GOOD.label, min_value=0, max_value=100)
    fair = forms.IntegerField(label=GradeBand.FAIR.label, min_value=0, max_value=100)
    pass_ = forms.IntegerField(label=GradeBand.PASS.label, min_value=0, max_value=100)

    @classmethod
    def initial_from(cls, criteria, thresholds: dict[str, int]) -> dict:
        lines = [
            " | ".join([c.title, *(f"{level.label} = {level.points}" for level in c.level_list)])
            for c in criteria
        ]
        return {
            "criteria": "\n".join(lines),
            "excellent": thresholds.get(GradeBand.EXCELLENT),
            "good": thresholds.get(GradeBand.GOOD),
            "fair": thresholds.get(GradeBand.FAIR),
            "pass_": thresholds.get(GradeBand.PASS),
        }

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        criteria = []
        for line in filter(None, map(str.strip, data["criteria"].splitlines())):
            title, *levels = [part.strip() for part in line.split("|")]
            parsed = []
            for level in levels:
                label, _sep, points = level.rpartition("=")
                parsed.append(
                    {"label": label.strip(), "points": int(points) if points.strip().isdigit() else -1}
                )
            criteria.append({"title": title, "levels": parsed})
        bands = {
            GradeBand.EXCELLENT: data["excellent"],
            GradeBand.GOOD: data["good"],
            GradeBand.FAIR: data["fair"],
            GradeBand.PASS: data["pass_"],
            GradeBand.FAIL: 0,
        }
        return {"criteria": criteria, "bands": {str(band): n for band, n in bands.items()}}


def _initial_new(conference) -> dict:
    starts: datetime = conference.starts_at
    return {
        "title": _("Bài thu hoạch: %(title)s") % {"title": conference.title},
        "learned_title": _("Những nội dung tiếp thu được"),
        "plans_title": _("Kế hoạch và giải pháp thực hiện nhiệm vụ của bản thân"),
        "min_syllables": 800,
        "max_syllables": 3000,
        "opens_at": starts,
        "due_at": starts + timedelta(days=14),
        "late_policy": LatePolicy.ACCEPT_LATE,
        "who_must_write": WhoMustWrite.PRESENT,
        "third_marker_gap": 15,
    }


@login_required
@require_http_methods(["GET", "POST"])
def reports_page(request, conference_id: int):
    conference = selectors.reports_conference(actor=request.user, pk=conference_id)
    assignment = selectors.assignment_of(conference=conference)
    may_change = can(request.user, "conferences.change", conference)
    initial = AssignmentForm.initial_from(assignment) if assignment else _initial_new(conference)
    is_rubric = request.method == "POST" and request.POST.get("form") == "rubric"
    form = AssignmentForm(
        request.POST if request.method == "POST" and not is_rubric else None, initial=initial
    )
    rubric_form = None
    if assignment is not None:
        criteria = selectors.rubric_of(assignment=assignment)
        thresholds = dict(services.band_thresholds(assignment=assignment))
        rubric_form = RubricForm(
            request.POST if is_rubric else None, initial=RubricForm.initial_from(criteria, thresholds)
        )
    if is_rubric and rubric_form is not None and rubric_form.is_valid():
        try:
            services.rubric_set(actor=request.user, assignment=assignment, **rubric_form.fields_for_service())
        except DomainError as error:
            if error.status != 400:
                raise
            add_domain_error(rubric_form, error)
        else:
            messages.success(request, _("Đã lưu thang điểm."))
            return redirect("learning_reports:manage", conference_id=conference.pk)
    elif request.method == "POST" and not is_rubric and form.is_valid():
        try:
            if assignment is None:
                services.assignment_create(
                    actor=request.user, conference=conference, **form.fields_for_service()
                )
                messages.success(request, _("Đã tạo yêu cầu viết bài thu hoạch."))
            else:
                services.assignment_update(
                    actor=request.user, assignment=assignment, **form.fields_for_service()
                )
                messages.success(request, _("Đã lưu yêu cầu viết bài thu hoạch."))
        except DomainError as error:  # field errors on their fields; permission errors go to the error page
            if error.status != 400:
                raise
            add_domain_error(form, error)
        else:
            return redirect("learning_reports:manage", conference_id=conference.pk)
    context = {"conference": conference, "tab": "learning_reports", "assignment": assignment, "form": form}
    context["rubric_form"] = rubric_form
    context["may_change"] = may_change
    context["may_allocate"] = assignment is not None and may_allocate(
        actor=request.user, assignment=assignment
    )
    if assignment is not None:
        state = request.GET.get("trang-thai", "")
        state = state if state in ReportState.values else ""
        reports = selectors.report_list(actor=request.user, assignment=assignment, state=state)
        context.update(
            counts=selectors.report_counts(actor=request.user, assignment=assignment),
            similarity=selectors.similarity_overview(actor=request.user, assignment=assignment),
            page=Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("trang")),
            state=state,
        )
    return render(
        request,
        "learning_reports/manage.html",
        context,
        status=400 if form.errors or (rubric_form and rubric_form.errors) else 200,
    )


@login_required
def report_detail(request, conference_id: int, report_id: int):
    conference = selectors.reports_conference(actor=request.user, pk=conference_id)
    assignment = selectors.assignment_of(conference=conference)
    if assignment is None:
        raise NotFoundError(_("Không tìm thấy."), code="not_found")
    report = selectors.report_get(actor=request.user, assignment=assignment, pk=report_id)
    return render(
        request,
        "learning_reports/report_detail.html",
        {
            "conference": conference,
            "tab": "learning_reports",
            "assignment": assignment,
            "report": report,
            "versions": [
                (version, selectors.sections_in_order(assignment=assignment, sections=version.sections))
                for version in selectors.report_versions(report=report)
            ],
        },
    )


def conference_tab(request, *, conference, tab, **_ignored) -> str:
    """The "Bài thu hoạch" link in the conference's tab bar (conferences.tabs)."""
    return render_to_string(
        "learning_reports/_tab.html", {"conference": conference, "tab": tab}, request=request
    )
