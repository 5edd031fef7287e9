"""Allocating the 2018 conference's learning reports to reviewers (issue 11): 24,814 submitted
reports allocated from nothing in under 10 s on PostgreSQL.

Loads the 2018 scenario (`demo_load`, 24,814 invitees, with the assignment and Hà Nội's 2,455
reports allocated to `chambai`), takes those reports back to submitted without markings and gives
every other invitation a submitted report (one version each). Reviewers are granted as the demo
grants them — `chambai` on the Hà Nội federation — and more, so that every unit directly under
the Confederation (provinces, central sector unions, corporations) has reviewers: one per 300
writers below it, at least two, taken from that unit's own officials (so that the rule "nobody
marks the report of someone above them" has work to do); the same on the Confederation for the
reports of those units' own officials. The Confederation's own invitees have nobody above them:
their reports wait.

Then, as the national organiser, through `services.reports_allocate`:

- every waiting report allocated from nothing (wall time, queries, reports allocated, load per
  reviewer: the largest and smallest, and the largest spread between two reviewers of one unit);
- every report in marking re-allocated (the organiser's bulk re-allocation: each withdrawn and
  given to someone else where the rules leave someone else);
- one report re-allocated, RUNS times (what allocating one report costs, as on its submission).
"""

import math
import os
import time
from collections import Counter, defaultdict
from datetime import timedelta

from benchmarks._django import report, setup, statistics

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
WRITERS_PER_REVIEWER = 300


class _Queries:
    """Counts the statements a block sends (without keeping their text, unlike
    CaptureQueriesContext, whose bookkeeping of 25,000-row INSERTs would be measured too)."""

    def __init__(self, connection):
        self.connection, self.count = connection, 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = self.connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def _reports(assignment, invitations) -> int:
    from django.utils import timezone

    from hoinghi.learning_reports.models import Report, ReportState, ReportVersion

    now = timezone.now()
    sections = {"learned": "Nghị quyết Đại hội XII " * 20, "plans": "Kết nạp đoàn viên mới " * 10}
    reports = [
        Report(
            assignment=assignment,
            invitation_id=invitation_id,
            state=ReportState.SUBMITTED,
            draft_sections=sections,
            revision=1,
            draft_saved_at=now - timedelta(minutes=n),
            submitted_at=now - timedelta(minutes=n),
        )
        for n, invitation_id in enumerate(invitations)
    ]
    Report.objects.bulk_create(reports, batch_size=5000)
    ReportVersion.objects.bulk_create(
        (
            ReportVersion(
                report=r,
                number=1,
                sections=sections,
                syllables=150,
                submitted_at=r.submitted_at,
                is_late=False,
            )
            for r in reports
        ),
        batch_size=5000,
    )
    return len(reports)


def _reviewers(actor, conference) -> int:
    """Besides the demo's reviewer (granted by `demo_load`), one per WRITERS_PER_REVIEWER
    writers (at least two) on every unit directly under the Confederation, for the writers
    below it, and on the Confederation, for the writers of those units themselves: the unit's
    own officials first, then accounts without a person."""
    from hoinghi.accounts.models import Grant, User
    from hoinghi.demo.scenario.learning_reports import PROVINCE_UNIT, REVIEWER
    from hoinghi.orgs.models import Person, Unit

    username, _full_name = REVIEWER
    province = Unit.objects.get(code=PROVINCE_UNIT)
    assert Grant.objects.filter(user__username=username, role="reviewer", unit=province).exists()
    national = Unit.objects.get(parent__isnull=True)
    units = {unit.path: unit for unit in Unit.objects.filter(depth=1)} | {national.path: national}
    writers = Counter()
    for path in conference.invitations.values_list("person__unit__path", flat=True):
        ids = path.strip("/").split("/")
        if len(ids) > 1:  # the Confederation's own officials have nobody above them
            writers["/" + "/".join(ids[: min(2, len(ids) - 1)]) + "/"] += 1
    users, grants = [], []
    for path, n_writers in sorted(writers.items()):
        unit = units[path]
        wanted = max(2, math.ceil(n_writers / WRITERS_PER_REVIEWER))
        people = list(Person.objects.filter(unit=unit, positions__end_date__isnull=True).distinct()[:wanted])
        for n in range(wanted):
            user = User(
                username=f"cham-{unit.code}-{n}".lower()[:150],
                full_name=f"Người chấm {n + 1} {unit.short_name or unit.name}"[:200],
                person=people[n] if n < len(people) else None,
            )
            users.append(user)
            grants.append((user, unit))
    User.objects.bulk_create(users, batch_size=1000)
    Grant.objects.bulk_create(
        [Grant(user=user, role="reviewer", unit=unit, created_by=actor) for user, unit in grants]
    )
    return len(grants) + 1


def _loads(assignment) -> dict:
    from django.db.models import Count

    from hoinghi.learning_reports.models import Marking, MarkingState

    rows = (
        Marking.objects.filter(report__assignment=assignment, state=MarkingState.ALLOCATED)
        .order_by()
        .values("reviewer_id", "unit_path")
        .annotate(n=Count("pk"))
    )
    by_unit = defaultdict(list)
    load = Counter()
    for row in rows:
        load[row["reviewer_id"]] += row["n"]
        by_unit[row["unit_path"]].append(row["n"])
    spread = max((max(ns) - min(ns) for ns in by_unit.values()), default=0)
    return {
        "reviewers_with_reports": len(load),
        "load_max": max(load.values(), default=0),
        "load_min": min(load.values(), default=0),
        "load_median": statistics.median(load.values()) if load else 0,
        "spread_within_a_unit_max": spread,
    }


def main() -> None:
    setup()
    from django.core.management import call_command
    from django.db import connection

    from hoinghi.accounts.models import Grant, User
    from hoinghi.conferences.models import Conference, InvitationStatus
    from hoinghi.learning_reports import services
    from hoinghi.learning_reports.models import Assignment, Marking, Report, ReportState
    from hoinghi.orgs.models import Unit

    started = time.perf_counter()
    call_command("demo_load", scale=1, verbosity=0)
    conference = Conference.objects.order_by("starts_at").first()
    national = Unit.objects.get(parent__isnull=True)
    admin = User.objects.get(username="admin")
    # The demo's assignment, with Hà Nội's reports written and allocated to `chambai`: taken
    # back to submitted, without markings, and a submitted report for everyone else.
    assignment = Assignment.objects.get(conference=conference)
    Marking.objects.filter(report__assignment=assignment).delete()
    Report.objects.filter(assignment=assignment).update(state=ReportState.SUBMITTED)
    invitations = list(
        conference.invitations.filter(status=InvitationStatus.ACTIVE)
        .exclude(pk__in=Report.objects.filter(assignment=assignment).values("invitation_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    _reports(assignment, invitations)
    count = Report.objects.filter(assignment=assignment).count()
    reviewers = _reviewers(admin, conference)
    organiser = User.objects.create_user("bench-allocation-organiser")
    Grant.objects.create(user=organiser, role="organiser", unit=national)
    organiser = User.objects.get(pk=organiser.pk)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    report(
        benchmark="report_allocation_load",
        reports=count,
        reviewers=reviewers,
        seconds=round(time.perf_counter() - started, 1),
    )

    def timed(**arguments) -> tuple[int, float, int]:
        with _Queries(connection) as queries:
            began = time.perf_counter()
            allocated = services.reports_allocate(actor=organiser, assignment=assignment, **arguments)
            seconds = time.perf_counter() - began
        return allocated, seconds, queries.count

    allocated, seconds, queries = timed()
    waiting = Report.objects.filter(assignment=assignment, state=ReportState.SUBMITTED).count()
    report(
        benchmark="report_allocation",
        what="every waiting report, from nothing",
        reports=count,
        allocated=allocated,
        waiting=waiting,
        seconds=round(seconds, 2),
        queries=queries,
        target="< 10 s",
        **_loads(assignment),
    )

    ids = list(
        Report.objects.filter(assignment=assignment, state=ReportState.IN_MARKING).values_list(
            "pk", flat=True
        )
    )
    allocated, seconds, queries = timed(report_ids=ids)
    report(
        benchmark="report_allocation",
        what="every report in marking re-allocated",
        reports=len(ids),
        allocated=allocated,
        seconds=round(seconds, 2),
        queries=queries,
        **_loads(assignment),
    )

    if connection.vendor == "postgresql":  # as autovacuum would after 49,000 new markings
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE learning_reports_marking")
    one = ids[len(ids) // 2]
    samples, counts = [], set()
    for _ in range(RUNS):
        _allocated, seconds, queries = timed(report_ids=[one])
        samples.append(seconds * 1000)
        counts.add(queries)
    report(
        benchmark="report_allocation",
        what="one report re-allocated",
        p50_ms=round(statistics.median(samples), 1),
        max_ms=round(max(samples), 1),
        queries=sorted(counts),
    )


if __name__ == "__main__":
    main()
