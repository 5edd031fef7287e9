"""What one round of live updates costs when many audiences watch (issues 4 and 13).

Every audience (a conference and the subtrees a user's grants cover) is its own channel group,
and during the morning's check-ins every group changes at every update. Since issue 13 the
conference's figures are computed once a round (`dashboard.conference_figures`) and each
audience's snapshot is cut from them (`dashboard.snapshot_assemble`). This benchmark times, on
the 2018 conference (loaded with `demo_load` unless the database holds it), the figures, the
national snapshot cut from them and the snapshots of the national unit's direct children
(provincial federations and national sector unions: the leaders most likely to open their own
dashboard), and the whole round for the 86 audiences as the broadcaster makes it
(`LIVE_VIEW.messages`), with the attendance empty, a quarter full and full (check-ins stored
through `checkins_record`, the people of each point in turn, each point's spread over the 25
minutes of a morning's arrivals, so that the rows by unit, point and minute are as many as on
the day). Each time is the median of BENCH_REPEAT runs after a warm-up; the figures with the
invitations' part made again (as after a change of the invitations) are timed apart. For the
comparison, on the same data and minutes apart, the same round as it was before issue 13: one set
of queries per audience (`attendance/tests/dashboard_reference.py`, the tests' reference).
"""

import os
import statistics
import time
import uuid
from datetime import timedelta

from benchmarks._django import percentile, report
from benchmarks._live import prepare, reset

FILLS = (0.0, 0.25, 1.0)
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def median_seconds(work) -> float:
    work()  # warm
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def timed_round(conference, children: list[str]) -> dict:
    """The figures (kept invitations, and made again), the cuts, and a whole round of 86 audiences."""
    from hoinghi.attendance import dashboard
    from hoinghi.attendance.dashboard import LIVE_VIEW, Audience, conference_figures, snapshot_assemble
    from hoinghi.attendance.events import topic
    from hoinghi.attendance.tests.dashboard_reference import snapshot_queried
    from hoinghi.core import live

    def figures_anew():
        dashboard._invitations.clear()  # as after a change of the invitations
        return conference_figures(conference)

    def round_of_updates():
        live.publish(topic(conference.pk))  # a new version: nothing kept from the last round
        LIVE_VIEW.messages(subject, audiences)

    audiences = [Audience(everything=True), *(Audience(everything=False, paths=(p,)) for p in children)]
    cold = median_seconds(figures_anew)
    warm = median_seconds(lambda: conference_figures(conference))
    figures = conference_figures(conference)
    national = median_seconds(lambda: snapshot_assemble(figures, audiences[0]))
    each = [median_seconds(lambda a=audience: snapshot_assemble(figures, a)) for audience in audiences[1:]]
    subject = LIVE_VIEW.load(conference.pk)
    whole_round = median_seconds(round_of_updates)
    one_by_one = median_seconds(
        lambda: [snapshot_queried(audience=audience, conference=conference) for audience in audiences]
    )
    return {
        "figures_ms": round(warm * 1000, 1),
        "figures_with_invitations_ms": round(cold * 1000, 1),
        "national_cut_ms": round(national * 1000, 1),
        "subtree_audiences": len(each),
        "subtree_cut_p50_ms": round(percentile(each, 0.5) * 1000, 2),
        "subtree_cut_max_ms": round(max(each) * 1000, 2),
        "all_audiences_one_round_ms": round(whole_round * 1000),
        "all_audiences_queried_one_by_one_ms": round(one_by_one * 1000),
    }


def main() -> None:
    scene = prepare()
    from django.db import connection
    from django.utils import timezone

    from hoinghi.attendance.services import ScanInput, checkins_record
    from hoinghi.conferences.models import Invitation, InvitationStatus
    from hoinghi.orgs.models import Unit

    conference = scene.conference
    national = Unit.objects.get(parent__isnull=True)
    children = list(Unit.objects.filter(parent=national).order_by("path").values_list("path", flat=True))
    invitations = list(
        Invitation.objects.filter(conference=conference, status=InvitationStatus.ACTIVE)
        .order_by("point_id", "pk")
        .values_list("point_id", "pk")
    )
    morning = timezone.now() - timedelta(minutes=30)
    arrival = {}  # each point's invitees arrive evenly over 25 minutes
    at_point: dict[int, list[int]] = {}
    for point_id, invitation_id in invitations:
        at_point.setdefault(point_id, []).append(invitation_id)
    for ids in at_point.values():
        arrival.update((pk, morning + timedelta(minutes=25 * n / len(ids))) for n, pk in enumerate(ids))
    stored = 0
    for fill in FILLS:
        target = int(len(invitations) * fill)
        by_point: dict[int, list[int]] = {}
        for point_id, invitation_id in invitations[stored:target]:
            by_point.setdefault(point_id, []).append(invitation_id)
        for point_id, invitation_ids in by_point.items():
            for start in range(0, len(invitation_ids), 200):
                checkins_record(
                    actor=scene.operators[point_id],
                    point=scene.points[point_id],
                    scans=[
                        ScanInput(id=uuid.uuid4(), method="search", invitation_id=i, scanned_at=arrival[i])
                        for i in invitation_ids[start : start + 200]
                    ],
                )
        stored = target
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE attendance_attendance")
                cursor.execute("ANALYZE attendance_checkin")

        figures = timed_round(conference, children)
        report(
            benchmark="dashboard_audiences",
            present=stored,
            **figures,
            load_1min=round(os.getloadavg()[0], 2),
        )
    reset(scene)


if __name__ == "__main__":
    main()
