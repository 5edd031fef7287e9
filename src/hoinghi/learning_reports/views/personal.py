"""The writer's pages, reached through their personal link (no password: the token is the
credential): the report editor with upload and submission, and, on the invitee's page (through
`conferences.invitation_page`), the report's card and the notes pad per programme item.

The editor saves by itself through the API (api.py) and keeps a copy in the browser while the
link is down (static/learning_reports/editor.js); submission and upload are plain forms, so they
work without the script too.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from hoinghi.conferences import selectors as conferences
from hoinghi.conferences.decorators import personal_page
from hoinghi.core.errors import DomainError, NotFoundError
from hoinghi.core.forms import add_domain_error
from hoinghi.learning_reports import documents, selectors, services
from hoinghi.learning_reports.texts import UPLOAD_MAX_BYTES, syllable_count
from hoinghi.resolutions.programmes import resolution_items_for


class SubmitForm(forms.Form):
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class UploadForm(forms.Form):
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    file = forms.FileField(
        label=gettext_lazy("Tệp bài thu hoạch (.docx hoặc .pdf)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf"}),
    )


def _missing(request):
    return render(request, "conferences/invitation_page_missing.html", status=404)


def _editor_context(invitation, assignment) -> dict:
    report = selectors.report_of(invitation=invitation, assignment=assignment)
    draft = report.draft_sections if report else {}
    sections = [
        {"key": section["key"], "title": section["title"], "text": draft.get(section["key"], "")}
        for section in assignment.sections
    ]
    plans = list(report.draft_plans) if report and report.draft_plans else []
    versions = [
        (version, selectors.sections_in_order(assignment=assignment, sections=version.sections))
        for version in (selectors.report_versions(report=report) if report else [])
    ]
    notes = selectors.notes_of(invitation=invitation)
    programme = list(conferences.programme_items(conference=invitation.conference))
    return {
        "invitation": invitation,
        "conference": invitation.conference,
        "person": invitation.person,
        "assignment": assignment,
        "report": report,
        "revision": report.revision if report else 0,
        "sections": sections,
        "plans": plans
        or [{"action": "", "deadline": "", "measure": "", "target_reference": "", "serves": ""}],
        "serves_choices": list(resolution_items_for(unit=invitation.person.unit)),
        "syllables": sum(syllable_count(section["text"]) for section in sections),
        "versions": versions,
        "conflicts": list(selectors.conflicts_open(report=report)[:3]) if report else [],
        "is_writable": report is None or report.is_writable,
        "is_required": selectors.is_required(assignment=assignment, invitation=invitation),
        "is_open": timezone.now() >= assignment.opens_at,
        "is_past_due": timezone.now() > assignment.due_at,
        "notes": [(item, notes.get(item.pk)) for item in programme if notes.get(item.pk)],
        "upload_limit": UPLOAD_MAX_BYTES,
        "result": selectors.writer_result(report=report),
    }


def _render_editor(request, invitation, assignment, **extra):
    context = _editor_context(invitation, assignment)
    context.setdefault("submit_form", SubmitForm(initial={"revision": context["revision"]}))
    context.setdefault("upload_form", UploadForm(initial={"revision": context["revision"]}))
    context.update(extra)
    return render(request, "learning_reports/write.html", context, status=400 if extra else 200)


@personal_page
@require_http_methods(["GET"])
def report_write(request, token: str):
    try:
        invitation, assignment = selectors.writer_assignment(token=token)
    except NotFoundError:
        return _missing(request)
    return _render_editor(request, invitation, assignment)


@personal_page
@require_POST
def report_submit(request, token: str):
    try:
        invitation, assignment = selectors.writer_assignment(token=token)
    except NotFoundError:
        return _missing(request)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            version = services.report_submit(
                invitation=invitation, assignment=assignment, revision=form.cleaned_data["revision"]
            )
        except DomainError as error:  # shown on the page, the draft as it is
            add_domain_error(form, error)
        else:
            message = _("Đã nộp bài thu hoạch (lần %(number)s).") % {"number": version.number}
            if version.is_late:
                message += " " + _("Bài được ghi là nộp muộn.")
            messages.success(request, message)
            return redirect("learning_reports:write", token=token)
    return _render_editor(request, invitation, assignment, submit_form=form)


@personal_page
@require_POST
def report_upload(request, token: str):
    try:
        invitation, assignment = selectors.writer_assignment(token=token)
    except NotFoundError:
        return _missing(request)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(UPLOAD_MAX_BYTES + 1)  # never more than the limit into memory
        try:
            services.report_upload(
                invitation=invitation,
                assignment=assignment,
                file_name=upload.name,
                data=data,
                size=upload.size,
                revision=form.cleaned_data["revision"],
            )
        except DomainError as error:  # shown on the upload form
            add_domain_error(form, error, field="file")
        else:
            messages.success(
                request, _("Đã đọc nội dung tệp “%(name)s”. Hãy xem lại rồi nộp bài.") % {"name": upload.name}
            )
            return redirect("learning_reports:write", token=token)
    return _render_editor(request, invitation, assignment, upload_form=form)


# --- On the invitee's page (conferences.invitation_page) ------------------------------------------


def invitation_section(request, *, invitation, conference, **_ignored) -> str:
    """The report's card and the notes pad per programme item, on the invitee's page."""
    assignment = selectors.assignment_of(conference=conference)
    programme = list(conferences.programme_items(conference=conference))
    if assignment is None and not programme:
        return ""
    report = selectors.report_of(invitation=invitation, assignment=assignment) if assignment else None
    notes = selectors.notes_of(invitation=invitation)
    return render_to_string(
        "learning_reports/_invitation_section.html",
        {
            "invitation": invitation,
            "assignment": assignment,
            "report": report,
            "items": [(item, notes.get(item.pk)) for item in programme],
        },
        request=request,
    )


# --- The notes, exported ----------------------------------------------------------------------------

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@personal_page
def notes_export(request, token: str, kind: str):
    """The invitee's notes as .docx or plain text (`kind`), with the conference's header; the
    token is the credential, as for the page they were written on."""
    if kind not in ("docx", "txt"):
        raise NotFoundError(_("Không tìm thấy."), code="not_found")
    invitation = conferences.invitation_by_token(token=token)
    sheet = selectors.notes_sheet(invitation=invitation)
    name = f"ghi-chep-hoi-nghi-{invitation.conference_id}"
    if kind == "docx":
        response = HttpResponse(documents.notes_docx(sheet), content_type=DOCX_TYPE)
    else:
        response = HttpResponse(documents.notes_text(sheet), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
