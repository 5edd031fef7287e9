"""What one second of live updates costs when many audiences watch (issue 4).

Every audience (a conference and the subtrees a user's grants cover) is its own channel group,
and the broadcaster computes one snapshot a second for each group whose figures changed. During
the morning's check-ins every group changes every second, so the work per second is the sum of
the snapshots of every audience watching. This benchmark times, on the 2018 conference (loaded
with `demo_load` unless the database holds it), the national snapshot and the snapshots of the
national unit's direct children (provincial federations and national sector unions: the
leaders most likely to open their own dashboard), with the attendance empty, a quarter full and
full (check-ins stored through `checkins_record`, the people of each point in turn).
"""

import time
import uuid

from benchmarks._django import percentile, report
from benchmarks._live import prepare, reset

FILLS = (0.0, 0.25, 1.0)


def main() -> None:
    scene = prepare()
    from django.db import connection
    from django.utils import timezone

    from hoinghi.attendance.dashboard import Audience, snapshot_for
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
    stored = 0
    for fill in FILLS:
        target = int(len(invitations) * fill)
        by_point: dict[int, list[int]] = {}
        for point_id, invitation_id in invitations[stored:target]:
            by_point.setdefault(point_id, []).append(invitation_id)
        now = timezone.now()
        for point_id, invitation_ids in by_point.items():
            for start in range(0, len(invitation_ids), 200):
                checkins_record(
                    actor=scene.operators[point_id],
                    point=scene.points[point_id],
                    scans=[
                        ScanInput(id=uuid.uuid4(), method="search", invitation_id=i, scanned_at=now)
                        for i in invitation_ids[start : start + 200]
                    ],
                )
        stored = target
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE attendance_attendance")
                cursor.execute("ANALYZE attendance_checkin")

        def seconds(audience: Audience) -> float:
            snapshot_for(audience=audience, conference=conference)  # warm
            started = time.perf_counter()
            snapshot_for(audience=audience, conference=conference)
            return time.perf_counter() - started

        whole = seconds(Audience(everything=True))
        each = [seconds(Audience(everything=False, paths=(path,))) for path in children]
        report(
            benchmark="dashboard_audiences",
            present=stored,
            national_snapshot_ms=round(whole * 1000, 1),
            subtree_audiences=len(each),
            subtree_snapshot_p50_ms=round(percentile(each, 0.5) * 1000, 1),
            subtree_snapshot_max_ms=round(max(each) * 1000, 1),
            all_audiences_one_second_of_updates_ms=round((whole + sum(each)) * 1000),
        )
    reset(scene)


if __name__ == "__main__":
    main()
