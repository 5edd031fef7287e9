"""A conference cloned after its morning: the check-ins, attendance, incidents and questions stay
with the original, and the clone starts with none (conferences.services.conference_clone)."""

import uuid
from datetime import datetime

from django.utils import timezone

from hoinghi.attendance import services as attendance
from hoinghi.attendance.models import Attendance, CheckIn, Incident, Question
from hoinghi.conferences import services as conferences
from hoinghi.conferences.models import Invitation
from hoinghi.conferences.tests.conftest import ZONE


def test_the_clone_takes_none_of_the_mornings_data_and_the_original_keeps_it(
    issued, ba_dinh_operator, superuser
):
    conference, point = issued.conference, issued.ba_dinh_point
    invitation = Invitation.objects.get(conference=conference, person=issued.people["HN-BD"])
    attendance.checkins_record(
        actor=ba_dinh_operator,
        point=point,
        scans=[
            attendance.ScanInput(
                id=uuid.uuid4(), method="qr", token=invitation.token, scanned_at=timezone.now()
            )
        ],
    )
    attendance.incident_open(actor=ba_dinh_operator, point=point, kind="no_picture", note="Mất hình")
    attendance.question_ask(actor=ba_dinh_operator, point=point, text="Chỉ tiêu kết nạp đoàn viên?")
    morning = {
        "checkins": CheckIn.objects.filter(point__conference=conference).count(),
        "attendance": Attendance.objects.filter(conference=conference).count(),
        "incidents": Incident.objects.filter(point__conference=conference).count(),
        "questions": Question.objects.filter(point__conference=conference).count(),
    }
    assert morning == {"checkins": 1, "attendance": 1, "incidents": 1, "questions": 1}

    clone = conferences.conference_clone(
        actor=superuser,
        conference=conference,
        title="Lần sau",
        starts_at=datetime(2019, 6, 6, 8, tzinfo=ZONE),
    )

    assert clone.points.count() == conference.points.count() == 3
    assert not CheckIn.objects.filter(point__conference=clone).exists()
    assert not Attendance.objects.filter(conference=clone).exists()
    assert not Incident.objects.filter(point__conference=clone).exists()
    assert not Question.objects.filter(point__conference=clone).exists()
    assert not Invitation.objects.filter(conference=clone).exists()
    assert {
        "checkins": CheckIn.objects.filter(point__conference=conference).count(),
        "attendance": Attendance.objects.filter(conference=conference).count(),
        "incidents": Incident.objects.filter(point__conference=conference).count(),
        "questions": Question.objects.filter(point__conference=conference).count(),
    } == morning
