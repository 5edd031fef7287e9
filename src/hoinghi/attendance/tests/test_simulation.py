import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from hoinghi.attendance.errors import SimulationError, SimulationErrorCode
from hoinghi.attendance.models import Attendance, CheckIn, PointPresence
from hoinghi.attendance.services import ScanInput, checkins_record
from hoinghi.attendance.simulation import MorningReplay, Step, morning_plan, morning_reset
from hoinghi.conferences.models import Conference, Invitation


@pytest.fixture
def demo(issued):
    """The small conference marked as `hoinghi demo-load` marks its conference."""
    Conference.objects.filter(pk=issued.conference.pk).update(is_demo=True)
    issued.conference.refresh_from_db()
    return issued


def _check_in_for_real(issued, operator) -> None:
    person = issued.people["HN-BD"]
    scan = ScanInput(id=uuid.uuid4(), method="search", person_id=person.pk, scanned_at=timezone.now())
    checkins_record(actor=operator, point=issued.ba_dinh_point, scans=[scan])


def test_the_morning_plan_is_deterministic_and_scans_each_invitee_at_most_once(issued):
    first, second = morning_plan(issued.conference), morning_plan(issued.conference)
    assert [(s.at, s.kind, s.point_id, s.invitation_id) for s in first] == [
        (s.at, s.kind, s.point_id, s.invitation_id) for s in second
    ]
    scanned = [s.invitation_id for s in first if s.kind == "scan"]
    assert len(scanned) == len(set(scanned))


def test_a_replayed_invitee_at_another_point_is_checked_in_by_their_qr_code(demo, superuser):
    """A point checks in by id only whom it serves: the replay sends the QR code of someone who
    turns up elsewhere, as the day would, so that everyone the plan brings is counted."""
    person = demo.people["HCM"]  # invited to Hồ Chí Minh's point
    invitation = Invitation.objects.get(conference=demo.conference, person=person)
    elsewhere = Step(
        timedelta(minutes=1), "scan", demo.ba_dinh_point.pk, invitation.pk, person.pk, token=invitation.token
    )
    at_home = Step(timedelta(minutes=2), "scan", demo.hcm_point.pk, invitation.pk, person.pk)
    assert elsewhere.scan_fields() == {"method": "qr", "token": invitation.token}
    assert at_home.scan_fields()["method"] == "search"
    replay = MorningReplay(actor=superuser, conference=demo.conference, steps=[elsewhere])
    replay.advance(timedelta(minutes=5))
    assert Attendance.objects.get(person=person, point=demo.ba_dinh_point).is_other_point


def test_replaying_the_morning_fills_the_conference_and_a_reset_forgets_it(demo, superuser):
    conference = demo.conference
    replay = MorningReplay(actor=superuser, conference=conference, steps=morning_plan(conference))
    replay.advance(timedelta(hours=3))
    assert replay.done
    present = Attendance.objects.filter(conference=conference).values("person").distinct().count()
    assert present == replay.scans == CheckIn.objects.filter(conference=conference, is_simulated=True).count()
    assert PointPresence.objects.filter(point__conference=conference).exists()
    # On the morning's clock, not the machine's: arrivals between the replay's start and the end.
    first, last = (
        Attendance.objects.filter(conference=conference)
        .order_by(order)
        .values_list("checked_in_at", flat=True)[0]
        for order in ("checked_in_at", "-checked_in_at")
    )
    assert (
        conference.starts_at - timedelta(minutes=45)
        <= first
        <= last
        <= conference.starts_at + timedelta(hours=2)
    )

    assert morning_reset(conference) == replay.scans
    assert not Attendance.objects.filter(conference=conference).exists()
    assert not CheckIn.objects.filter(conference=conference).exists()


def test_the_command_runs_the_whole_morning(demo, superuser, capsys):
    call_command("simulate_conference", speed=100_000)
    out = capsys.readouterr().out
    assert "Xong:" in out
    demo.conference.refresh_from_db()
    assert demo.conference.status == "live"


def test_a_second_run_forgets_what_the_first_made_and_only_that(demo, superuser, capsys):
    call_command("simulate_conference", speed=100_000)
    scans = CheckIn.objects.filter(conference=demo.conference).count()
    call_command("simulate_conference", speed=100_000)
    assert "Đã xóa" in capsys.readouterr().out
    assert CheckIn.objects.filter(conference=demo.conference).count() == scans


def test_the_command_refuses_a_conference_that_is_not_a_demo_and_changes_nothing(
    issued, ba_dinh_operator, superuser
):
    _check_in_for_real(issued, ba_dinh_operator)
    with pytest.raises(CommandError, match="không phải hội nghị mẫu"):
        call_command("simulate_conference", conference=issued.conference.pk, speed=100_000)
    assert CheckIn.objects.count() == Attendance.objects.count() == 1
    issued.conference.refresh_from_db()
    assert issued.conference.status == "invitations_issued"


def test_without_a_demo_conference_the_command_asks_for_the_demo(issued, superuser):
    with pytest.raises(CommandError, match="demo-load"):
        call_command("simulate_conference", speed=100_000)
    assert not CheckIn.objects.exists()


def test_a_replay_never_deletes_real_check_ins(demo, ba_dinh_operator, superuser):
    """Someone checked a person in by hand on the demo: the reset refuses, saying how many; with
    --keep the replay runs on top, and the real row stays."""
    _check_in_for_real(demo, ba_dinh_operator)
    real = CheckIn.objects.get()
    with pytest.raises(SimulationError) as error:
        morning_reset(demo.conference)
    assert error.value.code == SimulationErrorCode.REAL_CHECKINS
    with pytest.raises(CommandError, match="1 lượt điểm danh thật"):
        call_command("simulate_conference", speed=100_000)
    assert list(CheckIn.objects.all()) == [real]

    call_command("simulate_conference", speed=100_000, keep=True)
    assert CheckIn.objects.filter(pk=real.pk, is_simulated=False).exists()
    assert Attendance.objects.filter(checkin=real).exists()


def test_the_replay_and_its_reset_refuse_a_conference_that_is_not_a_demo(issued, superuser):
    for attempt in (
        lambda: morning_reset(issued.conference),
        lambda: MorningReplay(actor=superuser, conference=issued.conference, steps=[]),
    ):
        with pytest.raises(SimulationError) as error:
            attempt()
        assert error.value.code == SimulationErrorCode.NOT_DEMO
