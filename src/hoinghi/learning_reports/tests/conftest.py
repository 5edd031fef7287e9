"""The small conference with its invitations issued, an assignment, and two invitees present.

Invitees (conferences' small conference): An (national), Bình (Hà Nội), Chi (Ba Đình), Dũng
(Hồ Chí Minh), Hà (Quận 1), Lan (CĐCS A). Chi and Lan are checked in at the Ba Đình point.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from hoinghi.attendance import services as attendance
from hoinghi.attendance.services.checkin import ScanInput
from hoinghi.conferences import services as conferences
from hoinghi.conferences.models import Invitation

# The conference fixtures (small_conference, point_levels) are shared with the conferences app's tests.
from hoinghi.conferences.tests.conftest import *  # noqa: F403
from hoinghi.learning_reports import services
from hoinghi.learning_reports.models import Assignment

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class Writing:
    conference: object
    assignment: Assignment
    invitations: dict[str, Invitation]  # by given name
    item: object  # a programme item


def words(n: int, word: str = "đoàn") -> str:
    return " ".join([word] * n)


def plan(**fields) -> dict:
    return {
        "action": "Phát triển đoàn viên tại doanh nghiệp ngoài nhà nước",
        "deadline": "2019-06-30",
        "measure": "Kết nạp 200 đoàn viên mới",
        "target_reference": "Kết nạp 2 triệu đoàn viên",
        **fields,
    }


@pytest.fixture
def writing(small_conference, superuser) -> Writing:
    conference = small_conference.conference
    conferences.conference_issue(actor=superuser, conference=conference)
    conference.refresh_from_db()
    item = conferences.programme_item_create(
        actor=superuser, conference=conference, kind="topic", title="Chuyên đề 1: Nghị quyết Đại hội XII"
    )
    now = timezone.now()
    assignment = services.assignment_create(
        actor=superuser,
        conference=conference,
        title="Bài thu hoạch Nghị quyết Đại hội XII",
        prompt="Nêu những điều tâm đắc và kế hoạch của bản thân.",
        min_syllables=10,
        max_syllables=200,
        opens_at=now - timedelta(days=1),
        due_at=now + timedelta(days=7),
    )
    invitations = {
        i.person.given_name: i
        for i in Invitation.objects.filter(conference=conference).select_related("person__unit", "conference")
    }
    start = datetime(2018, 12, 6, 8, 5, tzinfo=ZONE)
    attendance.checkins_record(
        actor=superuser,
        point=small_conference.ba_dinh_point,
        scans=[
            ScanInput(id=uuid.uuid4(), method="qr", token=invitations[name].token, scanned_at=start)
            for name in ("Chi", "Lan")
        ],
    )
    return Writing(conference, assignment, invitations, item)


def sections(learned: str = "", plans: str = "") -> dict:
    return {"learned": learned or words(20), "plans": plans or words(20, "kế")}


# --- Marking ---------------------------------------------------------------------------------------

RUBRIC = [
    {
        "title": "Nắm được nội dung nghị quyết",
        "levels": [
            {"label": "Chưa nắm", "points": 0},
            {"label": "Nắm một phần", "points": 3},
            {"label": "Nắm vững", "points": 6},
        ],
    },
    {
        "title": "Kế hoạch cụ thể, khả thi",
        "levels": [
            {"label": "Chung chung", "points": 0},
            {"label": "Cụ thể", "points": 2},
            {"label": "Khả thi, đo được", "points": 4},
        ],
    },
]


@pytest.fixture
def marking(writing, superuser):
    """The writing fixture with a rubric (maximum 10 points) and the default bands."""
    services.rubric_set(actor=superuser, assignment=writing.assignment, criteria=RUBRIC)
    return writing


def submit(writing: Writing, name: str, text: str = "") -> object:
    """Save a draft for the invitee called `name` and submit it; returns the version."""
    from hoinghi.learning_reports.models import Report

    invitation = writing.invitations[name]
    report = Report.objects.filter(assignment=writing.assignment, invitation=invitation).first()
    saved = services.report_draft_save(
        invitation=invitation,
        assignment=writing.assignment,
        revision=report.revision if report else 0,
        sections=sections(learned=text) if text else sections(),
        plans=[plan()],
    )
    return services.report_submit(
        invitation=invitation, assignment=writing.assignment, revision=saved.revision
    )


def levels_for(assignment, points: list[int]) -> dict[int, int]:
    """criterion id → the id of its level worth `points[n]` (criteria in order)."""
    from hoinghi.learning_reports.models import Criterion

    chosen = {}
    for criterion, wanted in zip(
        Criterion.objects.filter(assignment=assignment).order_by("order"), points, strict=True
    ):
        chosen[criterion.pk] = criterion.levels.get(points=wanted).pk
    return chosen
