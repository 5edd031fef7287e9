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
    LatePolicy,
    ReportState,
    WhoMustWrite,
)
from hoinghi.learning_reports.services.marking import may_allocate

REPORTS_PER_PAGE = 100
LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]


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
            )
        }
        return {**fields, "sections": sections}


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
    }


@login_required
@require_http_methods(["GET", "POST"])
def reports_page(request, conference_id: int):
    conference = selectors.reports_conference(actor=request.user, pk=conference_id)
    assignment = selectors.assignment_of(conference=conference)
    may_change = can(request.user, "conferences.change", conference)
    initial = AssignmentForm.initial_from(assignment) if assignment else _initial_new(conference)
    form = AssignmentForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
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
            page=Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("trang")),
            state=state,
        )
    return render(request, "learning_reports/manage.html", context, status=400 if form.errors else 200)


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
