"""A report's life on its writer's side: the draft saved as they type, uploads, submission.

The writer has no account: their personal link's token is the credential, so these services take
the `invitation` the token named (conferences.selectors.invitation_by_token) and act on that
invitation's report only. Each refuses an assignment of another conference than the
invitation's (`wrong_conference`) before reading or writing anything.

**Two devices, one draft.** Every save names the revision it was based on; the stored draft's
revision goes up by one per save. A save based on an older revision is not applied: its text is
kept as a `DraftConflict`, the stored draft stays, and the save is answered with
`DraftConflictError` (409) carrying the stored draft, so the page shows both texts and the writer
chooses. The same text sent again (a retry after a lost answer) is no conflict. The report's row
is locked (`select_for_update`) for the whole decision, so two saves meeting on the server are
ordered: one wins, the other is the conflict.
"""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.conferences.models import Invitation
from hoinghi.core import background, live
from hoinghi.core.models import audit
from hoinghi.learning_reports.errors import DraftConflictError, ReportError, ReportErrorCode
from hoinghi.learning_reports.events import topic
from hoinghi.learning_reports.models import (
    WRITABLE_STATES,
    Assignment,
    DraftConflict,
    DraftSource,
    LatePolicy,
    PlanItem,
    Report,
    ReportState,
    ReportVersion,
)
from hoinghi.learning_reports.services.marking import report_allocate_on_submit
from hoinghi.learning_reports.texts import document_text, split_into_sections, syllable_count
from hoinghi.resolutions.programmes import resolution_items_for

SECTION_MAX_CHARS = 100_000
SECTIONS_MAX = 20
PLANS_MAX = 30
# "serves": the id of the part of a resolution the plan serves, as the page's list sent it ("": none).
PLAN_FIELDS = {"action": 2000, "deadline": 10, "measure": 500, "target_reference": 300, "serves": 20}


def _require_same_conference(assignment: Assignment, invitation: Invitation) -> None:
    if assignment.conference_id != invitation.conference_id:
        raise ReportError(
            _("Giấy mời không thuộc hội nghị của yêu cầu viết bài thu hoạch này."),
            code=ReportErrorCode.WRONG_CONFERENCE,
        )


def _malformed() -> ReportError:
    return ReportError(
        _("Nội dung gửi lên không đúng dạng của bài thu hoạch; hãy tải lại trang."),
        code=ReportErrorCode.MALFORMED,
    )


def _clean_sections(sections) -> dict[str, str]:
    if not isinstance(sections, dict) or len(sections) > SECTIONS_MAX:
        raise _malformed()
    cleaned = {}
    for key, text in sections.items():
        if not isinstance(key, str) or not isinstance(text, str) or len(key) > 40:
            raise _malformed()
        if len(text) > SECTION_MAX_CHARS:
            raise ReportError(
                _("Một phần của bài dài quá %(limit)s ký tự."),
                code=ReportErrorCode.TOO_LONG,
                params={"limit": SECTION_MAX_CHARS},
            )
        cleaned[key] = text.replace("\x00", "")
    return cleaned


def _clean_plans(plans) -> list[dict[str, str]]:
    """The plan items as the editor keeps them while writing: strings, checked only for shape."""
    if not isinstance(plans, list) or len(plans) > PLANS_MAX:
        raise _malformed()
    cleaned = []
    for plan in plans:
        if not isinstance(plan, dict):
            raise _malformed()
        row = {}
        for field, limit in PLAN_FIELDS.items():
            value = plan.get(field, "")
            if not isinstance(value, str) or len(value) > limit:
                raise _malformed()
            row[field] = value.replace("\x00", "")
        cleaned.append(row)
    return cleaned


def _unit_path(invitation: Invitation) -> str:
    return invitation.person.unit.path


def _locked(assignment: Assignment, invitation: Invitation) -> Report | None:
    return Report.objects.select_for_update().filter(assignment=assignment, invitation=invitation).first()


def _require_writable(report: Report) -> None:
    if not report.is_writable:
        raise ReportError(
            _("Bài đã nộp (“%(state)s”): không sửa được nữa, trừ khi được trả lại để sửa."),
            code=ReportErrorCode.NOT_WRITABLE,
            params={"state": report.get_state_display()},
        )


@transaction.atomic
def _draft_store(
    *,
    assignment: Assignment,
    invitation: Invitation,
    revision: int,
    sections: dict[str, str],
    plans: list[dict] | None,
    source: str,
    file_name: str,
) -> Report | DraftConflict:
    now = timezone.now()
    report = _locked(assignment, invitation)
    if report is None:
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    assignment=assignment,
                    invitation=invitation,
                    draft_sections=sections,
                    draft_plans=plans or [],
                    draft_source=source,
                    draft_file_name=file_name,
                    revision=1,
                    draft_saved_at=now,
                )
            audit(
                actor=None,
                type="learning_reports.report.started",
                obj=report,
                unit_path=_unit_path(invitation),
                invitation=invitation.pk,
                source=source,
            )
            return report
        except IntegrityError:  # the first save from another device got in first
            report = _locked(assignment, invitation)
    _require_writable(report)
    plans = report.draft_plans if plans is None else plans
    if revision != report.revision:
        if report.draft_sections == sections and report.draft_plans == plans:
            return report  # the same save again: its answer was lost on the way
        if revision > report.revision:
            raise _malformed()
        conflict = DraftConflict.objects.create(
            report=report,
            based_on_revision=revision,
            stored_revision=report.revision,
            sections=sections,
            plans=plans,
        )
        audit(
            actor=None,
            type="learning_reports.draft.conflict_stored",
            obj=report,
            unit_path=_unit_path(invitation),
            invitation=invitation.pk,
            based_on=revision,
            stored=report.revision,
        )
        return conflict
    report.draft_sections, report.draft_plans = sections, plans
    report.draft_source, report.draft_file_name = source, file_name
    report.revision += 1
    report.draft_saved_at = now
    report.save(
        update_fields=[
            "draft_sections",
            "draft_plans",
            "draft_source",
            "draft_file_name",
            "revision",
            "draft_saved_at",
            "updated_at",
        ]
    )
    if source != DraftSource.TYPED:
        audit(
            actor=None,
            type="learning_reports.report.uploaded",
            obj=report,
            unit_path=_unit_path(invitation),
            invitation=invitation.pk,
            source=source,
            file_name=file_name,
        )
    return report


def report_draft_save(
    *,
    invitation: Invitation,
    assignment: Assignment,
    revision: int,
    sections: dict[str, str],
    plans: list[dict] | None = None,
    source: str = DraftSource.TYPED,
    file_name: str = "",
) -> Report:
    """Save the draft of `invitation`'s report (made by the first save) as revision+1.

    `revision` is the stored revision the writer's text was based on (0 before the first save);
    `plans` None keeps the stored plan items. Autosaves are not audited (they are keystrokes);
    the first save, uploads and conflicts are.

    Raises `DraftConflictError` (`draft_conflict`, 409) when the draft changed since `revision`:
    the text sent is kept as a `DraftConflict` and the stored one is in the error's params
    (`revision`, `sections`, `plans`, `conflict`). Raises `ReportError`: `wrong_conference`,
    `not_writable` (submitted), `malformed`, `too_long`.
    """
    _require_same_conference(assignment, invitation)
    sections = _clean_sections(sections)
    plans = None if plans is None else _clean_plans(plans)
    stored = _draft_store(
        assignment=assignment,
        invitation=invitation,
        revision=revision,
        sections=sections,
        plans=plans,
        source=source,
        file_name=file_name,
    )
    if isinstance(stored, DraftConflict):  # raised after its transaction: the copy is kept
        report = stored.report
        raise DraftConflictError(
            _(
                "Bài đã được sửa ở một thiết bị khác. Cả hai bản đều được giữ lại: hãy so sánh và chọn "
                "bản muốn tiếp tục."
            ),
            code=ReportErrorCode.DRAFT_CONFLICT,
            params={
                "revision": report.revision,
                "sections": report.draft_sections,
                "plans": report.draft_plans,
                "conflict": stored.pk,
            },
        )
    return stored


def report_upload(
    *,
    invitation: Invitation,
    assignment: Assignment,
    file_name: str,
    data: bytes,
    revision: int,
    size: int | None = None,
) -> Report:
    """Replace the draft's text with the text of an uploaded .docx or .pdf, cut into the
    assignment's sections where a line starts with a section's title (else all in the first);
    the plan items typed on the page stay. The writer reviews it on the page, then submits.

    Raises `UploadError` (`file_type`, `too_large`, `broken`, `empty`) before writing anything,
    then what `report_draft_save` raises. `size` is the file's size when `data` holds only its
    beginning (a caller reads no more than the limit)."""
    _require_same_conference(assignment, invitation)
    kind, text = document_text(file_name=file_name, data=data, size=size)
    return report_draft_save(
        invitation=invitation,
        assignment=assignment,
        revision=revision,
        sections=split_into_sections(text, assignment.sections),
        source=kind,
        file_name=file_name[:255],
    )


def _day(text: str) -> date | None:
    """A plan's deadline as the writer typed it: dd/mm/yyyy (the site's dates), or yyyy-mm-dd
    (what a browser's date field and drafts saved before sent); None when it is neither."""
    text = text.strip()
    for parse in (lambda t: datetime.strptime(t, "%d/%m/%Y").date(), date.fromisoformat):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def _plan_items(plans: list[dict], *, invitation: Invitation) -> list[PlanItem]:
    """The draft's plans as rows; what each serves must be a part of a resolution the writer's
    unit carries out (the page offers no other)."""
    offered = None
    items = []
    for order, plan in enumerate(plans, start=1):
        if not any(value.strip() for value in plan.values()):
            continue  # an empty row the editor left
        serves = None
        chosen = plan.get("serves", "").strip()
        if chosen:
            if offered is None:
                offered = {item.pk: item for item in resolution_items_for(unit=invitation.person.unit)}
            serves = offered.get(int(chosen)) if chosen.isdigit() else None
            if serves is None:
                raise ReportError(
                    _(
                        "Kế hoạch số %(number)s chọn chỉ tiêu, nhiệm vụ không có trong danh sách; "
                        "hãy chọn lại."
                    ),
                    code=ReportErrorCode.PLAN_INVALID,
                    params={"number": order},
                )
        deadline = _day(plan["deadline"])
        action, measure = plan["action"].strip(), plan["measure"].strip()
        if not action or not measure or deadline is None:
            raise ReportError(
                _("Kế hoạch số %(number)s cần ghi rõ việc làm, thời hạn (ngày) và cách đo kết quả."),
                code=ReportErrorCode.PLAN_INVALID,
                params={"number": order},
            )
        items.append(
            PlanItem(
                order=len(items) + 1,
                action=action,
                deadline=deadline,
                measure=measure,
                target_reference=plan["target_reference"].strip(),
                serves=serves,
            )
        )
    if not items:
        raise ReportError(
            _("Hãy ghi ít nhất một kế hoạch cụ thể: việc làm, thời hạn và cách đo kết quả."),
            code=ReportErrorCode.PLAN_INVALID,
            params={"number": 0},
        )
    return items


def _check_content(assignment: Assignment, sections: dict[str, str]) -> int:
    for section in assignment.sections:
        if not sections.get(section["key"], "").strip():
            raise ReportError(
                _("Phần “%(section)s” còn để trống."),
                code=ReportErrorCode.SECTION_EMPTY,
                params={"section": section["title"]},
            )
    syllables = sum(syllable_count(sections[key]) for key in assignment.section_keys)
    if syllables < assignment.min_syllables:
        raise ReportError(
            _("Bài mới có %(count)s âm tiết; cần ít nhất %(min)s."),
            code=ReportErrorCode.TOO_SHORT,
            params={"count": syllables, "min": assignment.min_syllables},
        )
    if syllables > assignment.max_syllables:
        raise ReportError(
            _("Bài có %(count)s âm tiết, vượt giới hạn %(max)s."),
            code=ReportErrorCode.TOO_LONG,
            params={"count": syllables, "max": assignment.max_syllables},
        )
    return syllables


@transaction.atomic
def report_submit(
    *, invitation: Invitation, assignment: Assignment, revision: int, now: datetime | None = None
) -> ReportVersion:
    """Submit the stored draft of `invitation`'s report: freeze it as the next `ReportVersion`
    with its `PlanItem` rows, and mark the report submitted (late after the due date). The
    report is then allocated by the tree (services/marking.py: in marking once a reviewer is
    found) and, after commit, checked for copied text (tasks.similarity_check).

    `revision` is the draft the writer sees: submitting anything else is refused. The report's
    row is locked, so a double click submits once. Raises `ReportError`: `wrong_conference`,
    `section_empty` (nothing written, or a section empty), `already_submitted`, `not_writable`,
    `stale_draft`, `not_open`, `past_due` (late, and the assignment refuses late reports),
    `too_short`, `too_long`, `plan_invalid`."""
    _require_same_conference(assignment, invitation)
    now = now or timezone.now()
    report = _locked(assignment, invitation)
    if report is None:
        raise ReportError(_("Chưa có nội dung để nộp."), code=ReportErrorCode.SECTION_EMPTY)
    if report.state == ReportState.SUBMITTED:
        raise ReportError(
            _("Bài đã được nộp lúc %(at)s."),
            code=ReportErrorCode.ALREADY_SUBMITTED,
            params={"at": timezone.localtime(report.submitted_at).strftime("%H:%M %d/%m/%Y")},
        )
    if report.state not in WRITABLE_STATES:
        _require_writable(report)
    if revision != report.revision:
        raise ReportError(
            _("Bản đang nộp không phải bản mới nhất đã lưu; hãy tải lại trang rồi nộp."),
            code=ReportErrorCode.STALE_DRAFT,
            params={"revision": report.revision},
        )
    if now < assignment.opens_at:
        raise ReportError(
            _("Chưa đến thời gian nộp bài (từ %(at)s)."),
            code=ReportErrorCode.NOT_OPEN,
            params={"at": timezone.localtime(assignment.opens_at).strftime("%H:%M %d/%m/%Y")},
        )
    is_late = now > assignment.due_at
    if is_late and assignment.late_policy == LatePolicy.REFUSE:
        raise ReportError(
            _("Đã hết hạn nộp bài (%(at)s); ban tổ chức không nhận bài nộp muộn."),
            code=ReportErrorCode.PAST_DUE,
            params={"at": timezone.localtime(assignment.due_at).strftime("%H:%M %d/%m/%Y")},
        )
    sections = {key: report.draft_sections.get(key, "") for key in assignment.section_keys}
    syllables = _check_content(assignment, sections)
    items = _plan_items(report.draft_plans, invitation=invitation)
    version = ReportVersion.objects.create(
        report=report,
        number=report.versions.count() + 1,
        sections=sections,
        syllables=syllables,
        source=report.draft_source,
        file_name=report.draft_file_name,
        submitted_at=now,
        is_late=is_late,
    )
    for item in items:
        item.version = version
    PlanItem.objects.bulk_create(items)
    report.state, report.submitted_at, report.is_late = ReportState.SUBMITTED, now, is_late
    report.save(update_fields=["state", "submitted_at", "is_late", "updated_at"])
    audit(
        actor=None,
        type="learning_reports.report.submitted",
        obj=report,
        unit_path=_unit_path(invitation),
        invitation=invitation.pk,
        version=version.number,
        syllables=syllables,
        is_late=is_late,
    )
    report.assignment = assignment
    report_allocate_on_submit(report=report)
    background.enqueue_on_commit("hoinghi.learning_reports.tasks.similarity_check", version.pk)
    live.publish_on_commit(topic(assignment.conference_id))
    return version
