"""The 2018 conference's learning reports: the assignment with its rubric and the resolution as
its reference text, and generated reports (learning_reports.corpus, fixed seeds, with planted
copies and pastes from the resolution) written in bulk, the copied-text pass run on them, and
the Hà Nội federation's reviewer (`chambai`) with the reports of the province allocated.

`make demo` loads the reports written in Hà Nội: the city's invitees and the central ones at the
host point there (about 2,500); `hoinghi demo-reports --all` those of all 24,814 invitees.
"""

import random
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q

from hoinghi.conferences.models import Invitation, InvitationStatus
from hoinghi.core.models import audit
from hoinghi.learning_reports import corpus
from hoinghi.learning_reports import services as learning_reports
from hoinghi.learning_reports.models import (
    Assignment,
    Marking,
    PlanItem,
    Report,
    ReportState,
    ReportVersion,
    SimilarityRun,
    WhoMustWrite,
)
from hoinghi.learning_reports.services.similarity import similarity_run
from hoinghi.learning_reports.texts import syllable_count
from hoinghi.orgs.models import Unit

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PROVINCE_UNIT = "LDLD01"  # Hà Nội's federation
REVIEWER = ("chambai", "Người chấm LĐLĐ Hà Nội")
SEED = 2018
RUBRIC = [
    {
        "title": "Nắm được nội dung cơ bản của Nghị quyết",
        "levels": [{"label": "Chưa nắm", "points": 0}, {"label": "Nắm một phần", "points": 2},
                   {"label": "Nắm được", "points": 3}, {"label": "Nắm vững, nêu được điểm mới", "points": 4}],
    },
    {
        "title": "Liên hệ thực tiễn đơn vị",
        "levels": [{"label": "Không liên hệ", "points": 0}, {"label": "Chung chung", "points": 1},
                   {"label": "Cụ thể, có số liệu", "points": 3}],
    },
    {
        "title": "Kế hoạch của bản thân cụ thể, khả thi, đo được",
        "levels": [{"label": "Không có", "points": 0}, {"label": "Chung chung", "points": 1},
                   {"label": "Cụ thể", "points": 2},
                   {"label": "Cụ thể, có thời hạn và cách đo", "points": 3}],
    },
]  # fmt: skip


def assignment_2018_ensure(*, actor, conference) -> Assignment:
    """The conference's assignment with its rubric, once."""
    existing = Assignment.objects.filter(conference=conference).first()
    if existing is not None:
        return existing
    assignment = learning_reports.assignment_create(
        actor=actor,
        conference=conference,
        title=corpus.TITLE.capitalize(),
        prompt=(
            "Đồng chí nêu những nội dung cơ bản của Nghị quyết Đại hội XII Công đoàn Việt Nam mà mình tiếp "
            "thu được, liên hệ với thực tiễn đơn vị, và kế hoạch, giải pháp thực hiện nhiệm vụ của bản thân."
        ),
        sections=[
            {"key": "learned", "title": corpus.SECTION_TITLES[0][3:]},
            {"key": "plans", "title": corpus.SECTION_TITLES[1][4:]},
        ],  # fmt: skip
        min_syllables=800,
        max_syllables=3000,
        opens_at=datetime(2018, 12, 6, 12, 0, tzinfo=ZONE),
        due_at=datetime(2018, 12, 31, 17, 0, tzinfo=ZONE),
        who_must_write=WhoMustWrite.ALL_INVITEES,
        reference_text=corpus.resolution_text(),
    )
    learning_reports.rubric_set(actor=actor, assignment=assignment, criteria=RUBRIC)
    return assignment


def _reviewer(actor):
    from hoinghi.accounts.models import Grant, User
    from hoinghi.accounts.services import grant_create
    from hoinghi.demo.scenario.logins import DEMO_PASSWORD

    username, full_name = REVIEWER
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, password=DEMO_PASSWORD, full_name=full_name, is_staff=True)
    unit = Unit.objects.get(code=PROVINCE_UNIT)
    if not Grant.objects.filter(user=user, role="reviewer", unit=unit).exists():
        grant_create(actor=actor, user=user, role="reviewer", unit=unit)
    return user, unit


@transaction.atomic
def reports_2018_load(*, actor, conference, everyone: bool = False, progress=None) -> dict[str, int]:
    """Write a submitted report for each active invitee of Hà Nội and of the host point
    (`everyone`: of the whole conference) that has none, the copied-text pass over them, and
    the province's reports allocated to its reviewer. A second run adds nothing."""
    started = time.perf_counter()
    assignment = assignment_2018_ensure(actor=actor, conference=conference)
    invitations = Invitation.objects.filter(conference=conference, status=InvitationStatus.ACTIVE)
    province = Unit.objects.get(code=PROVINCE_UNIT)
    if not everyone:  # Hà Nội's invitees, and the central ones at the host point in Hà Nội
        invitations = invitations.filter(
            Q(person__unit__path__startswith=province.path) | Q(point__is_host=True)
        )
    invitations = list(
        invitations.exclude(pk__in=Report.objects.filter(assignment=assignment).values("invitation_id"))
        .select_related("person__unit")
        .order_by("pk")
    )
    if not invitations:
        return {"reports": 0, "flags": 0}
    samples = list(corpus.generate(len(invitations), seed=SEED + (1 if everyone else 0), prefix="bai"))
    rng = random.Random(SEED)
    base = datetime(2018, 12, 7, 8, 0, tzinfo=ZONE)
    reports, versions = [], []
    for invitation, sample in zip(invitations, samples, strict=True):
        # Writers' names in the text are the invitees' own, as they would write them.
        sections = {
            key: text.replace(sample.writer, invitation.person.full_name)
            for key, text in sample.sections.items()
        }
        submitted = base + timedelta(minutes=rng.randrange(0, 24 * 60 * 20))
        reports.append(
            Report(
                assignment=assignment,
                invitation=invitation,
                state=ReportState.SUBMITTED,
                draft_sections=sections,
                revision=1,
                draft_saved_at=submitted,
                submitted_at=submitted,
                is_late=submitted > assignment.due_at,
            )
        )
    Report.objects.bulk_create(reports, batch_size=2000)
    for report in reports:
        versions.append(
            ReportVersion(
                report=report,
                number=1,
                sections=report.draft_sections,
                syllables=sum(syllable_count(text) for text in report.draft_sections.values()),
                submitted_at=report.submitted_at,
                is_late=report.is_late,
            )
        )
    ReportVersion.objects.bulk_create(versions, batch_size=2000)
    PlanItem.objects.bulk_create(
        (
            PlanItem(
                version=version,
                order=1,
                action="Vận động công nhân chưa vào công đoàn tại đơn vị gia nhập công đoàn",
                deadline=datetime(2019, 6, 30).date(),
                measure="Số đoàn viên mới kết nạp mỗi quý",
                target_reference="Phát triển 2 triệu đoàn viên mới",
            )
            for version in versions
        ),
        batch_size=2000,
    )
    if progress:
        progress(f"{len(reports):,} bài thu hoạch ({time.perf_counter() - started:.1f} giây)")
    run = SimilarityRun.objects.create(assignment=assignment, requested_by=actor)
    run = similarity_run(run_id=run.pk)
    reviewer, unit = _reviewer(actor)
    # The province's reports go to its reviewer: written here in bulk as the allocation by the
    # tree would (the nearest unit above each writer with reviewers is the federation; its own
    # officials' reports wait for a reviewer above).
    allocated = [
        Marking(report=report, version=version, reviewer=reviewer, unit_path=unit.path)
        for report, version in zip(reports, versions, strict=True)
        if report.invitation.person.unit.path.startswith(unit.path)
        and report.invitation.person.unit.path != unit.path
    ]
    Marking.objects.bulk_create(allocated, batch_size=2000)
    Report.objects.filter(pk__in=[marking.report_id for marking in allocated]).update(
        state=ReportState.IN_MARKING
    )
    audit(
        actor=actor,
        type="demo.learning_reports.loaded",
        obj=assignment,
        unit_path=conference.organising_unit.path,
        reports=len(reports),
        flags=run.flags,
    )
    return {"reports": len(reports), "flags": run.flags, "allocated": len(allocated)}
