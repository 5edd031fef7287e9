from datetime import timedelta

from django.core.management import call_command

from hoinghi.attendance.models import Attendance, CheckIn, PointPresence
from hoinghi.attendance.simulation import MorningReplay, morning_plan, morning_reset


def test_the_morning_plan_is_deterministic_and_scans_each_invitee_at_most_once(issued):
    first, second = morning_plan(issued.conference), morning_plan(issued.conference)
    assert [(s.at, s.kind, s.point_id, s.invitation_id) for s in first] == [
        (s.at, s.kind, s.point_id, s.invitation_id) for s in second
    ]
    scanned = [s.invitation_id for s in first if s.kind == "scan"]
    assert len(scanned) == len(set(scanned))


def test_replaying_the_morning_fills_the_conference_and_a_reset_forgets_it(issued, superuser):
    conference = issued.conference
    replay = MorningReplay(actor=superuser, conference=conference, steps=morning_plan(conference))
    replay.advance(timedelta(hours=3))
    assert replay.done
    present = Attendance.objects.filter(conference=conference).values("person").distinct().count()
    assert present == replay.scans == CheckIn.objects.filter(conference=conference).count()
    assert PointPresence.objects.filter(point__conference=conference).exists()

    morning_reset(conference)
    assert not Attendance.objects.filter(conference=conference).exists()


def test_the_command_runs_the_whole_morning(issued, superuser, capsys):
    call_command("simulate_conference", speed=100_000)
    out = capsys.readouterr().out
    assert "Xong:" in out
    issued.conference.refresh_from_db()
    assert issued.conference.status == "live"
