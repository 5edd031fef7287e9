"""The 2018 conference (issue 3): who is invited, the preview, and the print-outs of the host point.

Loads the scenario at BENCH_SCALE_CONFERENCE (default 1; `demo_load` also creates the conference
of 6-12-2018 and issues its invitations), then times, each as the best and the median of a few
runs after one warm-up:

- `eligibility_compute` over the whole conference (target < 5 s at scale 1);
- `selectors.invitation_preview` for an organiser granted on the national unit (< 1 s);
- the sign-in sheet of the host point, 1,700 names: the roster query and the PDF (< 10 s);
- the host point's invitations, one part of 500 (each page with its QR code).
"""

import os
import re
import statistics
import time

from benchmarks._django import report, setup, timed

RUNS = 3


def _figures(samples: list[float]) -> dict:
    return {"best_ms": round(min(samples)), "median_ms": round(statistics.median(samples))}


def main() -> None:
    setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from hoinghi.accounts.models import Grant, User
    from hoinghi.conferences import documents, selectors
    from hoinghi.conferences.eligibility import eligibility_compute
    from hoinghi.conferences.models import Conference, InvitationStatus
    from hoinghi.orgs.models import Unit

    scale = int(os.environ.get("BENCH_SCALE_CONFERENCE", "1"))
    started = time.perf_counter()
    call_command("demo_load", scale=scale, verbosity=0)
    conference = Conference.objects.order_by("starts_at").first()
    report(
        benchmark=f"conference_load_scale_{scale}",
        seconds=round(time.perf_counter() - started, 1),
        points=conference.points.count(),
        invited=conference.invitations.filter(status=InvitationStatus.ACTIVE).count(),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    national = Unit.objects.get(parent__isnull=True)
    organiser, _created = User.objects.get_or_create(username="bench-conference-organiser")
    Grant.objects.get_or_create(user=organiser, role="organiser", unit=national)
    organiser = User.objects.get(pk=organiser.pk)

    candidates = len(eligibility_compute(conference).candidates)
    report(
        benchmark="eligibility_compute",
        scale=scale,
        candidates=candidates,
        target="< 5 s",
        **_figures(timed(lambda: eligibility_compute(conference), RUNS)),
    )

    selectors.invitation_preview(actor=organiser, conference=conference)
    report(
        benchmark="invitation_preview",
        scale=scale,
        actor="national_organiser",
        target="< 1 s",
        **_figures(timed(lambda: selectors.invitation_preview(actor=organiser, conference=conference), RUNS)),
    )

    host = conference.points.get(is_host=True)
    letterhead = documents.Letterhead(
        issuer=conference.organising_unit.name,
        department="Ban Tổ chức",
        place=selectors.document_place(conference=conference, point=host),
        day=timezone.localdate(conference.starts_at),
    )
    starts_at = timezone.localtime(conference.starts_at)

    def roster():
        return selectors.point_roster(
            actor=organiser, conference=conference, point=host, base_url="https://hoinghi.example"
        )

    invitees = roster()
    report(benchmark="host_point_roster", people=len(invitees), **_figures(timed(roster, RUNS)))

    def signin():
        sheet = documents.SigninSheet(
            letterhead, conference.title, host.name, host.address, starts_at, roster()
        )
        return documents.signin_pdf(sheet)

    pdf = signin()
    report(
        benchmark="signin_pdf_host_point",
        people=len(invitees),
        pages=len(re.findall(rb"/Type /Page[^s]", pdf)),
        kib=len(pdf) // 1024,
        target="< 10 s",
        **_figures(timed(signin, RUNS)),
    )

    def invitations():
        letter = documents.InvitationLetter(
            letterhead,
            conference.title,
            conference.subject,
            starts_at,
            host.name,
            host.address,
            roster()[:500],
        )
        return documents.invitations_pdf(letter)

    pdf = invitations()
    report(
        benchmark="invitations_pdf_host_point_500",
        pages=len(re.findall(rb"/Type /Page[^s]", pdf)),
        kib=len(pdf) // 1024,
        **_figures(timed(invitations, RUNS)),
    )


if __name__ == "__main__":
    main()
