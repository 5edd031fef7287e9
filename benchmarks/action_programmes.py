"""Action programmes at national size: every unit of the 2018 tree (--scale 1: 10,349 units) has a
programme of 8 items for the 2018 resolution, spread over its targets and tasks, a third overdue.

Measured: the page of target 1 for the whole Confederation (a national organiser: every item
serving it counted by progress and the first 200 listed, overdue first) and for one province (a
viewer granted there), and the unit programme page of the national level (the programmes below
it with their counts) — each the full page through Django's test client, p50/p95 over 30 runs
after 5 warm-ups; then the daily reminder over every overdue item (e-mails to the in-memory
mailer), run twice: the second run must send nothing.
"""

import time
from datetime import date, timedelta

from benchmarks._django import percentile, report, setup, timed

REPEAT = 30
WARM_UP = 5
ITEMS_PER_PROGRAMME = 8


def main() -> None:
    setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from hoinghi.accounts.models import Grant, User
    from hoinghi.orgs.models import Person, Unit
    from hoinghi.resolutions import services
    from hoinghi.resolutions.models import ActionItem, ActionProgramme, ItemStatus, Resolution

    settings.ALLOWED_HOSTS = ["*"]
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    call_command("demo_load", no_conference=True, verbosity=0)
    resolution = Resolution.objects.get(code="nq-dh12-2018")
    parts = list(resolution.items.exclude(kind="breakthrough").order_by("kind", "number"))
    today = date.today()

    started = time.perf_counter()
    units = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    ActionProgramme.objects.bulk_create(
        [ActionProgramme(resolution=resolution, unit_id=pk, title=f"Chương trình {pk}") for pk in units],
        batch_size=2000,
    )
    programmes = dict(ActionProgramme.objects.values_list("unit_id", "pk"))
    # An item is its unit's, or a person's where the unit has someone with an e-mail address.
    people = {}
    for unit_pk, person_pk in Person.objects.exclude(email="").order_by("pk").values_list("unit_id", "pk"):
        people.setdefault(unit_pk, person_pk)
    statuses = [ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS, ItemStatus.DONE]
    items = []
    for n, unit_pk in enumerate(units):
        for number in range(1, ITEMS_PER_PROGRAMME + 1):
            status = statuses[(n + number) % 3]
            overdue = (n + number) % 3 != 2 and (n * 7 + number) % 2 == 0
            items.append(
                ActionItem(
                    programme_id=programmes[unit_pk],
                    number=number,
                    text=f"Việc {number} của đơn vị {unit_pk}",
                    serves=parts[(n + number) % len(parts)],
                    owner_unit_id=None if unit_pk in people else unit_pk,
                    owner_person_id=people.get(unit_pk),
                    deadline=today + timedelta(days=-30 if overdue else 60),
                    status=status,
                    done_on=today if status == ItemStatus.DONE else None,
                    evidence_text="Đã thực hiện" if status == ItemStatus.DONE else "",
                )
            )
    ActionItem.objects.bulk_create(items, batch_size=5000)
    report(
        benchmark="action_programmes_setup",
        programmes=len(programmes),
        items=len(items),
        seconds=round(time.perf_counter() - started, 1),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    national = Unit.objects.get(parent__isnull=True)
    province = Unit.objects.get(code="LDLD79")
    organiser, _ = User.objects.get_or_create(username="bench-organiser")
    Grant.objects.get_or_create(user=organiser, role="organiser", unit=national)
    viewer, _ = User.objects.get_or_create(username="bench-province-viewer")
    Grant.objects.get_or_create(user=viewer, role="viewer", unit=province)
    target = parts[0]
    serving = ActionItem.objects.filter(serves=target)

    cases = (
        (
            "target_page",
            "national_organiser",
            organiser,
            reverse("resolutions:target", args=[target.pk, national.pk]),
            serving.count(),
        ),
        (
            "target_page",
            "province_viewer",
            viewer,
            reverse("resolutions:target", args=[target.pk, province.pk]),
            serving.filter(programme__unit__path__startswith=province.path).count(),
        ),
        (
            "programme_page",
            "national_organiser",
            organiser,
            reverse("resolutions:programme", args=[national.pk]),
            len(programmes),
        ),
    )
    for page, actor_label, actor, url, rows in cases:
        client = Client()
        client.force_login(actor)
        assert client.get(url).status_code == 200

        def get(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200

        timed(get, WARM_UP)
        samples = timed(get, REPEAT)
        report(
            benchmark=f"action_programmes_{page}",
            actor=actor_label,
            items_or_programmes=rows,
            runs=REPEAT,
            p50_ms=round(percentile(samples, 0.5), 1),
            p95_ms=round(percentile(samples, 0.95), 1),
        )

    due = ActionItem.objects.exclude(status=ItemStatus.DONE).filter(deadline__lt=today).count()
    started = time.perf_counter()
    first = services.action_items_overdue_remind(today=today)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = services.action_items_overdue_remind(today=today)
    report(
        benchmark="action_programmes_overdue_remind",
        overdue=due,
        sent=first["sent"],
        nobody=first["nobody"],
        seconds=round(seconds, 1),
        second_run_sent=second["sent"],
        second_run_seconds=round(time.perf_counter() - started, 2),
    )


if __name__ == "__main__":
    main()
