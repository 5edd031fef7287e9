"""A replay of the 2018 morning for the demo: points come online, people arrive, incidents happen.

`morning_plan` draws, with a fixed seed, when each point's page opens, when each invitee is
scanned (most within the fifteen minutes before the opening, a few late: all 24,814 came, as
the article reports) and at which point (nearly always their own; a few at another one), plus
some incidents and questions. `MorningReplay` then plays the plan against the real services,
at a chosen speed, so that the dashboard fills as it would on the day.

Only on a demo conference (`Conference.is_demo`, set by `hoinghi demo-load`): the people are
invented, and a replay writes check-ins. The check-ins it stores are marked as simulated, and
`morning_reset` forgets those and nothing else of the log; it refuses a conference where
someone checked people in for real.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.attendance import services
from hoinghi.attendance.errors import SimulationError, SimulationErrorCode
from hoinghi.attendance.models import (
    Attendance,
    CheckIn,
    Headcount,
    Incident,
    IncidentKind,
    PointPresence,
    Question,
)
from hoinghi.conferences.models import BridgePoint, Conference, Invitation, InvitationStatus

SEED = 20181206
# The replay starts 45 minutes before the opening: pages open over the next 25 minutes, people
# arrive mostly in the last fifteen minutes before the opening, a few late.
REPLAY_STARTS_BEFORE = timedelta(minutes=45)
ARRIVALS_FROM = timedelta(minutes=30)
QUESTIONS = (
    "Đề nghị làm rõ chỉ tiêu kết nạp 2 triệu đoàn viên được phân bổ cho từng tỉnh như thế nào?",
    "Công đoàn cơ sở doanh nghiệp dưới 25 lao động có bắt buộc thành lập không?",
    "Việc thương lượng tập thể theo ngành tại khu công nghiệp sẽ được hướng dẫn khi nào?",
    "Đề nghị Tổng Liên đoàn có hướng dẫn về thu kinh phí công đoàn khu vực ngoài nhà nước.",
    "Chương trình xây dựng thiết chế công đoàn tại khu công nghiệp triển khai ở địa phương thế nào?",
)


@dataclass(order=True)
class Step:
    at: timedelta  # from the start of the replay
    kind: str = field(compare=False)  # "online", "scan", "incident", "close_incident", "question"
    point_id: int = field(compare=False)
    invitation_id: int | None = field(default=None, compare=False)
    person_id: int | None = field(default=None, compare=False)
    text: str = field(default="", compare=False)
    token: str = field(default="", compare=False)  # a scan at another point than the invitee's

    def scan_fields(self) -> dict:
        """What the point's device sends for this scan: at another point than their own, the
        invitee's QR code (a point checks in by id only whom it serves); otherwise the invitation
        (on the day a QR code or a name on the list: the replay names the invitation)."""
        if self.token:
            return {"method": "qr", "token": self.token}
        return {"method": "search", "invitation_id": self.invitation_id, "person_id": self.person_id}


def morning_plan(conference: Conference) -> list[Step]:
    """Every step of the morning, in time order (deterministic for a given conference)."""
    rng = random.Random(SEED)
    points = list(
        BridgePoint.objects.filter(conference=conference).order_by("pk").values_list("pk", flat=True)
    )
    steps: list[Step] = []
    opened = {point: timedelta(seconds=rng.uniform(0, 25 * 60)) for point in points}
    for point, at in opened.items():
        steps.append(Step(at, "online", point))
    start = ARRIVALS_FROM
    invitations = Invitation.objects.filter(
        conference=conference, status=InvitationStatus.ACTIVE
    ).values_list("pk", "point_id", "person_id", "token")
    for invitation_id, point_id, person_id, token in invitations.iterator(chunk_size=5000):
        if point_id is None:
            continue
        minutes = _arrival_minutes(rng) if rng.random() < 0.97 else rng.uniform(15, 25)
        at = start + timedelta(minutes=minutes)
        where = point_id if rng.random() > 0.004 else rng.choice(points)
        steps.append(
            Step(
                max(at, opened[where] + timedelta(seconds=5)),
                "scan",
                where,
                invitation_id,
                person_id,
                token=token if where != point_id else "",
            )
        )
    for _incident in range(max(3, len(points) // 40)):
        point = rng.choice(points)
        at = start + timedelta(minutes=rng.uniform(-10, 12))
        steps.append(Step(at, "incident", point, text=rng.choice(IncidentKind.values[:3])))
        if rng.random() < 0.7:
            steps.append(Step(at + timedelta(minutes=rng.uniform(2, 8)), "close_incident", point))
    for text in QUESTIONS:
        steps.append(
            Step(start + timedelta(minutes=rng.uniform(15, 30)), "question", rng.choice(points), text=text)
        )
    return sorted(steps)


def _arrival_minutes(rng: random.Random) -> float:
    """Minutes after the doors open: most people early, a long tail, all within 14.8 minutes. Drawn
    again when beyond (not clamped: clamping put one person in ten at the very same instant)."""
    while (minutes := rng.gammavariate(4.0, 2.2)) > 14.8:
        pass
    return minutes


def require_demo(conference: Conference) -> None:
    """Refuse a conference that `hoinghi demo-load` did not make."""
    if not conference.is_demo:
        raise SimulationError(
            _(
                "Hội nghị #%(id)s “%(title)s” không phải hội nghị mẫu: chỉ mô phỏng trên hội nghị do "
                "`hoinghi demo-load` tạo. Không có dữ liệu nào bị thay đổi."
            ),
            code=SimulationErrorCode.NOT_DEMO,
            params={"id": conference.pk, "title": conference.title},
        )


def real_checkins(conference: Conference) -> int:
    """How many check-ins of the conference were not made by a replay."""
    return CheckIn.objects.filter(conference=conference, is_simulated=False).count()


@transaction.atomic
def morning_reset(conference: Conference) -> int:
    """Forget a previous replay of a demo conference: the check-ins it made and the attendance they
    made, and the conference's live state (presence, headcounts, incidents, questions). Returns how
    many check-ins it forgot.

    Raises `SimulationError`: `not_demo`, and `real_checkins` when someone checked people in for
    real (the log is append-only: those rows, and what they made, stay)."""
    require_demo(conference)
    real = real_checkins(conference)
    if real:
        raise SimulationError(
            _(
                "Hội nghị có %(count)s lượt điểm danh thật (không do mô phỏng tạo): không xóa gì. "
                "Dùng --keep để mô phỏng tiếp trên dữ liệu hiện có."
            ),
            code=SimulationErrorCode.REAL_CHECKINS,
            params={"count": real},
        )
    simulated = CheckIn.objects.filter(conference=conference, is_simulated=True)
    Attendance.objects.filter(conference=conference, checkin__in=simulated).delete()
    forgotten, _by_model = simulated.delete()
    PointPresence.objects.filter(point__conference=conference).delete()
    Headcount.objects.filter(point__conference=conference).delete()
    Incident.objects.filter(point__conference=conference).delete()
    Question.objects.filter(conference=conference).delete()
    return forgotten


class MorningReplay:
    """Plays a plan: `advance(to)` performs every step due by `to`, grouped per point."""

    def __init__(self, *, actor, conference: Conference, steps: list[Step]):
        require_demo(conference)
        self.actor = actor
        self.conference = conference
        self.steps = steps
        self.position = 0
        self.points = {
            p.pk: p for p in BridgePoint.objects.filter(conference=conference).select_related("unit")
        }
        self.online: set[int] = set()
        self.scans = 0

    @property
    def done(self) -> bool:
        return self.position >= len(self.steps)

    def clock(self, at: timedelta, now: datetime) -> datetime:
        """The morning's time of a step: the replay starts REPLAY_STARTS_BEFORE the conference's
        opening, so a scan is stamped 07:42 on 6-12-2018 as it was on the day, and the dashboard's
        arrivals and the reports show the morning's hours. A conference still to come is stamped
        now (a scan from the future is not believed: `services.scan_time`)."""
        return min(self.conference.starts_at - REPLAY_STARTS_BEFORE + at, now)

    def advance(self, to: timedelta, *, now: datetime | None = None) -> int:
        """Play the steps due by `to`; return how many."""
        now = now or timezone.now()
        due: list[Step] = []
        while self.position < len(self.steps) and self.steps[self.position].at <= to:
            due.append(self.steps[self.position])
            self.position += 1
        scans: dict[int, list[services.ScanInput]] = {}
        for step in due:
            point = self.points[step.point_id]
            if step.kind == "online":
                self.online.add(point.pk)
                services.point_heartbeat(actor=self.actor, point=point)
            elif step.kind == "scan":
                scans.setdefault(point.pk, []).append(
                    services.ScanInput(
                        id=uuid.uuid4(), scanned_at=self.clock(step.at, now), **step.scan_fields()
                    )
                )
            elif step.kind == "incident":
                services.incident_open(actor=self.actor, point=point, kind=step.text)
            elif step.kind == "close_incident":
                for incident in Incident.objects.filter(point=point, closed_at__isnull=True):
                    services.incident_close(actor=self.actor, incident=incident, resolution="Đã khắc phục")
            elif step.kind == "question":
                services.question_ask(actor=self.actor, point=point, text=step.text)
        for point_id, batch in scans.items():
            for start in range(0, len(batch), services.MAX_BATCH):
                services.checkins_record(
                    actor=self.actor,
                    point=self.points[point_id],
                    scans=batch[start : start + services.MAX_BATCH],
                    is_simulated=True,
                )
            self.scans += len(batch)
        return len(due)

    def heartbeat_online(self) -> None:
        """Keep the points that came online beating, as their open pages would."""
        for point_id in self.online:
            services.point_heartbeat(actor=self.actor, point=self.points[point_id])
