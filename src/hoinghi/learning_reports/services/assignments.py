"""The assignment a conference sets: set and changed by those who organise the conference."""

import re
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.conferences.models import Conference
from hoinghi.core.background import enqueue_on_commit
from hoinghi.core.errors import validate
from hoinghi.core.models import audit
from hoinghi.core.permissions import require
from hoinghi.learning_reports.errors import AssignmentError, AssignmentErrorCode
from hoinghi.learning_reports.models import REQUIRED_SECTIONS, Assignment, default_sections
from hoinghi.learning_reports.services.reminders import automatic_reminder_at

_validate = partial(validate, error_class=AssignmentError, code=AssignmentErrorCode.INVALID)
FIELDS = (
    "title",
    "prompt",
    "sections",
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
_KEY = re.compile(r"^[a-z0-9_-]{1,40}$")


def _sections(sections: list[dict] | None) -> list[dict]:
    """The sections as stored: [{"key", "title"}], the required ones first and all present."""
    if sections is None:
        return default_sections()
    cleaned, seen = [], set()
    for section in sections:
        key = str(section.get("key", "")).strip()
        title = " ".join(str(section.get("title", "")).split())
        if not _KEY.match(key) or key in seen or not title or len(title) > 300:
            raise AssignmentError(
                _("Mỗi phần của bài cần một mã riêng và một tiêu đề (tối đa 300 ký tự)."),
                code=AssignmentErrorCode.SECTIONS,
            )
        seen.add(key)
        cleaned.append({"key": key, "title": title})
    missing = [key for key in REQUIRED_SECTIONS if key not in seen]
    if missing:
        raise AssignmentError(
            _(
                "Bài thu hoạch phải có phần “những nội dung tiếp thu được” và phần “kế hoạch, giải pháp "
                "thực hiện nhiệm vụ của bản thân”."
            ),
            code=AssignmentErrorCode.SECTIONS,
            params={"missing": ", ".join(missing)},
        )
    return cleaned


@transaction.atomic
def assignment_create(*, actor, conference: Conference, **fields) -> Assignment:
    """Attach the assignment to `conference` (one per conference); `fields` are the model's
    (`FIELDS`), `sections` as [{"key", "title"}] holding at least the required ones.

    The actor must organise the conference (``conferences.change``). Raises `AssignmentError`:
    `exists` (the conference has one), `sections`, `invalid` (bounds, dates, choices)."""
    require(actor, "conferences.change", conference)
    if Assignment.objects.filter(conference=conference).exists():
        raise AssignmentError(
            _("Hội nghị này đã có yêu cầu viết bài thu hoạch; hãy sửa yêu cầu đó."),
            code=AssignmentErrorCode.EXISTS,
        )
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown assignment fields: {sorted(unknown)}")
    fields["sections"] = _sections(fields.get("sections"))
    assignment = Assignment(conference=conference, created_by=actor, **fields)
    _validate(assignment)
    assignment.save()
    audit(
        actor=actor,
        type="learning_reports.assignment.created",
        obj=assignment,
        unit_path=conference.organising_unit.path,
        conference=conference.pk,
        due_at=assignment.due_at.isoformat(),
    )
    _schedule_reminder(assignment)
    return assignment


@transaction.atomic
def assignment_update(*, actor, assignment: Assignment, **fields) -> Assignment:
    """Change the assignment (the fields given, as in `assignment_create`). The required sections
    stay; reports already written keep their text under the section keys they used.

    Raises `AssignmentError` (`sections`, `invalid`); `NotFoundError`/`PermissionDeniedError`
    for an actor who does not organise the conference."""
    conference = assignment.conference
    require(actor, "conferences.change", conference)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown assignment fields: {sorted(unknown)}")
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if "sections" in fields:
        fields["sections"] = _sections(fields["sections"])
    changed = sorted(name for name, value in fields.items() if getattr(assignment, name) != value)
    for name, value in fields.items():
        setattr(assignment, name, value)
    _validate(assignment)
    assignment.save()
    audit(
        actor=actor,
        type="learning_reports.assignment.changed",
        obj=assignment,
        unit_path=conference.organising_unit.path,
        conference=conference.pk,
        fields=changed,
    )
    if {"due_at", "remind_days_before"} & set(changed):
        _schedule_reminder(assignment)
    return assignment


def _schedule_reminder(assignment: Assignment) -> None:
    """Have the worker send the automatic reminder when it is due (services/reminders.py); a
    task left from an earlier due date finds nothing due and sends nothing."""
    at = automatic_reminder_at(assignment)
    if at is not None and assignment.due_at > timezone.now():
        enqueue_on_commit(
            "hoinghi.learning_reports.tasks.reminders_automatic_send", run_after=max(at, timezone.now())
        )
