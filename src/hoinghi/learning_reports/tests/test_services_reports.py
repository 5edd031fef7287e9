from datetime import date, timedelta

import pytest
from django.utils import timezone

from hoinghi.core.models import AuditEntry
from hoinghi.learning_reports import selectors, services
from hoinghi.learning_reports.errors import (
    AssignmentError,
    DraftConflictError,
    ReportError,
    ReportErrorCode,
)
from hoinghi.learning_reports.models import (
    DraftConflict,
    LatePolicy,
    Note,
    PlanItem,
    Report,
    ReportState,
    WhoMustWrite,
)
from hoinghi.learning_reports.tests.conftest import plan, sections, words
from hoinghi.learning_reports.texts import syllable_count


def _save(writing, name="Chi", revision=0, **kwargs):
    return services.report_draft_save(
        invitation=writing.invitations[name],
        assignment=writing.assignment,
        revision=revision,
        sections=kwargs.pop("sections", sections()),
        plans=kwargs.pop("plans", [plan()]),
        **kwargs,
    )


def _submit(writing, name="Chi", revision=1, **kwargs):
    return services.report_submit(
        invitation=writing.invitations[name], assignment=writing.assignment, revision=revision, **kwargs
    )


def test_a_vietnamese_syllable_is_a_whitespace_separated_word():
    assert syllable_count("Nghị quyết Đại hội XII  của\nCông đoàn Việt Nam – 2018") == 11
    assert syllable_count("") == 0


def test_the_first_save_starts_the_report_and_each_save_bumps_the_revision(writing):
    report = _save(writing)
    assert (report.state, report.revision) == (ReportState.DRAFT, 1)
    report = _save(writing, revision=1, sections=sections(learned=words(30)))
    assert report.revision == 2
    assert Report.objects.get().draft_sections["learned"] == words(30)
    assert AuditEntry.objects.filter(type="learning_reports.report.started").count() == 1


def test_a_save_based_on_an_older_revision_is_told_of_the_conflict_and_both_texts_are_kept(writing):
    _save(writing)  # revision 1, read by two devices
    phone = _save(writing, revision=1, sections=sections(learned="Bản trên điện thoại " + words(20)))
    assert phone.revision == 2
    with pytest.raises(DraftConflictError) as refused:
        _save(writing, revision=1, sections=sections(learned="Bản trên máy tính " + words(20)))
    assert refused.value.code == ReportErrorCode.DRAFT_CONFLICT
    assert refused.value.status == 409
    assert refused.value.params["revision"] == 2
    assert refused.value.params["sections"]["learned"].startswith("Bản trên điện thoại")
    report = Report.objects.get()
    assert report.draft_sections["learned"].startswith("Bản trên điện thoại")  # the stored one stays
    conflict = DraftConflict.objects.get()  # and the later save's text is kept beside it
    assert conflict.sections["learned"].startswith("Bản trên máy tính")
    assert (conflict.based_on_revision, conflict.stored_revision) == (1, 2)
    assert refused.value.params["conflict"] == conflict.pk
    assert list(selectors.conflicts_open(report=report)) == [conflict]
    assert AuditEntry.objects.filter(type="learning_reports.draft.conflict_stored").exists()


def test_the_same_save_sent_again_is_no_conflict(writing):
    first = _save(writing)
    again = _save(writing)  # the answer to the first was lost; the queue sends it again
    assert again.revision == first.revision == 1
    assert not DraftConflict.objects.exists()


def test_submitting_freezes_a_version_with_its_plan_items(writing):
    _save(
        writing,
        plans=[
            plan(),
            plan(action="Tổ chức đối thoại", target_reference=""),
            plan(action="", deadline="", measure="", target_reference=""),
        ],
    )
    version = _submit(writing)
    report = Report.objects.get()
    assert report.state == ReportState.SUBMITTED and not report.is_late
    assert (version.number, version.syllables) == (1, 40)
    assert [p.action for p in PlanItem.objects.filter(version=version)] == [
        "Phát triển đoàn viên tại doanh nghiệp ngoài nhà nước",
        "Tổ chức đối thoại",
    ]
    assert AuditEntry.objects.filter(type="learning_reports.report.submitted").count() == 1


def test_a_double_submit_and_a_change_after_it_are_refused(writing):
    _save(writing)
    _submit(writing)
    with pytest.raises(ReportError) as refused:
        _submit(writing)
    assert refused.value.code == ReportErrorCode.ALREADY_SUBMITTED
    with pytest.raises(ReportError) as refused:
        _save(writing, revision=1, sections=sections(learned=words(50)))
    assert refused.value.code == ReportErrorCode.NOT_WRITABLE
    assert Report.objects.get().versions.count() == 1


def test_a_submit_of_a_revision_that_is_no_longer_stored_is_refused(writing):
    _save(writing)
    _save(writing, revision=1, sections=sections(learned=words(25)))
    with pytest.raises(ReportError) as refused:
        _submit(writing, revision=1)
    assert refused.value.code == ReportErrorCode.STALE_DRAFT


@pytest.mark.parametrize(
    ("learned", "code"),
    [(words(3), ReportErrorCode.TOO_SHORT), (words(195), ReportErrorCode.TOO_LONG)],
)
def test_the_syllable_bounds_are_checked_on_submit(writing, learned, code):
    # The bounds (30..200) count both sections: 3 + 8 and 195 + 8.
    writing.assignment.min_syllables = 30
    writing.assignment.save()
    _save(writing, sections={"learned": learned, "plans": words(8, "kế")})
    with pytest.raises(ReportError) as refused:
        _submit(writing)
    assert refused.value.code == code
    assert Report.objects.get().state == ReportState.DRAFT
    assert not PlanItem.objects.exists()


def test_an_empty_section_and_a_vague_plan_are_refused(writing):
    _save(writing, sections={"learned": words(40), "plans": "  "})
    with pytest.raises(ReportError) as refused:
        _submit(writing)
    assert refused.value.code == ReportErrorCode.SECTION_EMPTY
    _save(writing, revision=1, plans=[plan(deadline="cuối năm")])
    with pytest.raises(ReportError) as refused:
        _submit(writing, revision=2)
    assert refused.value.code == ReportErrorCode.PLAN_INVALID


def test_a_plans_deadline_is_typed_as_the_sites_dates_dd_mm_yyyy(writing):
    _save(
        writing, plans=[plan(deadline="30/06/2019"), plan(action="Tổ chức tập huấn", deadline="2019-09-15")]
    )
    version = _submit(writing)
    assert [item.deadline for item in version.plan_items.order_by("order")] == [
        date(2019, 6, 30),
        date(2019, 9, 15),  # what a browser's date field sent, in drafts saved before
    ]


def test_after_the_due_date_a_report_is_accepted_and_marked_late(writing):
    _save(writing)
    version = _submit(writing, now=writing.assignment.due_at + timedelta(minutes=1))
    assert version.is_late and Report.objects.get().is_late


def test_after_the_due_date_a_report_is_refused_when_the_assignment_refuses_late_ones(writing):
    writing.assignment.late_policy = LatePolicy.REFUSE
    writing.assignment.save()
    _save(writing)
    with pytest.raises(ReportError) as refused:
        _submit(writing, now=writing.assignment.due_at + timedelta(minutes=1))
    assert refused.value.code == ReportErrorCode.PAST_DUE
    assert Report.objects.get().state == ReportState.DRAFT


def test_before_the_assignment_opens_nothing_is_submitted(writing):
    _save(writing)
    with pytest.raises(ReportError) as refused:
        _submit(writing, now=writing.assignment.opens_at - timedelta(minutes=1))
    assert refused.value.code == ReportErrorCode.NOT_OPEN


def test_a_report_for_an_invitation_of_another_conference_is_refused(writing, other_conference, superuser):
    from hoinghi.conferences import services as conferences
    from hoinghi.conferences.models import Invitation

    conferences.conference_issue(actor=superuser, conference=other_conference.conference)
    stranger = Invitation.objects.filter(conference=other_conference.conference).first()
    for call in (
        lambda: services.report_draft_save(
            invitation=stranger, assignment=writing.assignment, revision=0, sections=sections(), plans=[]
        ),
        lambda: services.report_submit(invitation=stranger, assignment=writing.assignment, revision=0),
    ):
        with pytest.raises(ReportError) as refused:
            call()
        assert refused.value.code == ReportErrorCode.WRONG_CONFERENCE
    assert not Report.objects.exists()


def test_a_note_on_an_item_of_another_conference_is_refused(writing, other_conference):
    from hoinghi.learning_reports.errors import NoteError

    with pytest.raises(NoteError) as refused:
        services.note_save(
            invitation=writing.invitations["Chi"],
            item=other_conference.item,
            text="x",
            written_at=timezone.now(),
        )
    assert refused.value.code == "wrong_conference"


def test_a_note_sent_late_from_an_offline_queue_does_not_overwrite_a_newer_one(writing):
    invitation, now = writing.invitations["Chi"], timezone.now()
    services.note_save(invitation=invitation, item=writing.item, text="mới", written_at=now)
    services.note_save(
        invitation=invitation, item=writing.item, text="cũ", written_at=now - timedelta(seconds=5)
    )
    assert Note.objects.get().text == "mới"
    assert selectors.notes_of(invitation=invitation)[writing.item.pk].text == "mới"


def test_who_must_write_follows_the_assignment(writing):
    assignment = writing.assignment
    names = lambda: sorted(i.person.given_name for i in selectors.required_invitations(assignment=assignment))  # noqa: E731
    assert names() == ["Chi", "Lan"]  # present at Ba Đình
    assignment.who_must_write = WhoMustWrite.ALL_INVITEES
    assert names() == ["An", "Bình", "Chi", "Dũng", "Hà", "Lan"]
    assignment.who_must_write = WhoMustWrite.PRESENT_OR_WATCHED
    assert names() == ["Chi", "Lan"]  # nobody watched a recording


def test_an_assignment_needs_the_two_required_sections_and_ordered_bounds(small_conference, superuser):
    now = timezone.now()
    base = {
        "title": "Bài thu hoạch",
        "opens_at": now,
        "due_at": now + timedelta(days=3),
    }
    with pytest.raises(AssignmentError) as refused:
        services.assignment_create(
            actor=superuser,
            conference=small_conference.conference,
            sections=[{"key": "learned", "title": "Tiếp thu"}],
            **base,
        )
    assert refused.value.code == "sections"
    with pytest.raises(AssignmentError) as refused:
        services.assignment_create(
            actor=superuser,
            conference=small_conference.conference,
            min_syllables=900,
            max_syllables=100,
            **base,
        )
    assert refused.value.code == "invalid"
    assignment = services.assignment_create(actor=superuser, conference=small_conference.conference, **base)
    assert assignment.section_keys == ["learned", "plans"]
    with pytest.raises(AssignmentError) as refused:
        services.assignment_create(actor=superuser, conference=small_conference.conference, **base)
    assert refused.value.code == "exists"
