"""The demo morning's figures agree across the dashboard, the report and its .xlsx (issue 17).

The 2018 conference is loaded as `make demo` loads it and its morning is replayed in full (24,814
check-ins, a few people at a point other than their own); then, for the national organiser and
for Hà Nội's, every figure that docs/figures.md defines once is read from the live dashboard's
snapshot, from the report's tables and from the .xlsx an organiser downloads, and each must be
the same number wherever it is shown.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from openpyxl import load_workbook

from hoinghi.accounts.models import User
from hoinghi.attendance.dashboard import dashboard_snapshot
from hoinghi.attendance.documents import report_xlsx
from hoinghi.attendance.models import Attendance
from hoinghi.attendance.reports import absentee_list, absentee_rows, attendance_report
from hoinghi.attendance.simulation import MorningReplay, morning_plan
from hoinghi.conferences.models import Conference

pytestmark = pytest.mark.django_db


def _total_row(sheet) -> list:
    """The bold total row at the foot of a sheet of the report: the last row without a number."""
    rows = [row for row in sheet.iter_rows(min_row=3, values_only=True) if any(v is not None for v in row)]
    assert rows[-1][0] is None, rows[-1]
    return list(rows[-1])


def test_every_figure_is_the_same_number_on_the_dashboard_the_report_and_the_export():
    call_command("demo_load", verbosity=0)
    call_command("demo_logins", verbosity=0)
    conference = Conference.objects.get(is_demo=True)
    admin = User.objects.get(username="admin")
    replay = MorningReplay(actor=admin, conference=conference, steps=morning_plan(conference))
    replay.advance(timedelta(hours=3))
    assert replay.done

    for username in ("bantochuc", "hanoi"):
        actor = User.objects.get(username=username)
        totals = dashboard_snapshot(actor=actor, conference=conference)["totals"]
        report = attendance_report(actor=actor, conference=conference)
        workbook = load_workbook(
            io.BytesIO(report_xlsx(report, absentee_rows(absentee_list(actor=actor, conference=conference)))),
            read_only=True,
        )
        by_point, by_province = workbook.worksheets[0], workbook.worksheets[1]
        point_total, province_total = _total_row(by_point), _total_row(by_province)
        point_rows = [row for row in by_point.iter_rows(min_row=3, values_only=True) if row[0] is not None]

        # "Được mời" and "Có mặt" of the people in the viewer's part: invitees, each once.
        assert totals["invited"] == report.totals.invited == province_total[2], username
        assert totals["present"] == report.totals.present == province_total[3], username
        assert report.totals.absent == province_total[4] == report.totals.invited - report.totals.present
        absentees = sum(1 for _ in absentee_rows(absentee_list(actor=actor, conference=conference)))
        assert absentees == report.totals.absent, username

        # "Điểm danh tại điểm cầu": who was checked in at the viewer's points, a row per point.
        assert totals["checked_in"] == sum(row.present for row in report.points), username
        assert totals["checked_in"] == sum(row[3] for row in point_rows), username
        # Its total row counts people once, as "người có mặt" does on the dashboard's points.
        assert report.points_total.present == point_total[3]
        assert len(point_rows) == len(report.points) == totals["points"], username

        # "Nơi khác, khách": present at one of the viewer's points, not as that point's invitee
        # (whoever they are: a point's figures count everyone there).
        elsewhere = Attendance.objects.filter(
            Q(is_other_point=True) | Q(is_guest=True),
            conference=conference,
            point__in=[row.point_id for row in report.points],
        )
        assert sum(row.elsewhere for row in report.points) == elsewhere.count() == point_total[4], username

        # "Có mặt ở 2 điểm cầu trở lên": people with a presence at two points or more.
        points = [row.point_id for row in report.points]
        several = (
            Attendance.objects.filter(conference=conference, point__in=points)
            .values("person_id")
            .annotate(n=Count("point_id"))
            .filter(n__gte=2)
            .count()
        )
        assert totals["multi_point"] == several, username

    national = dashboard_snapshot(actor=User.objects.get(username="bantochuc"), conference=conference)
    assert national["totals"]["present"] == national["totals"]["invited"] == 24_814
