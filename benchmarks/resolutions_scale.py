"""A resolution's reports at ten times the country (issue 12), on PostgreSQL.

The tree: one national unit, 25 provinces, 10 districts each, and BENCH_GRASSROOTS (125,000)
grassroot unions under them (5,000 a province), written with COPY. A resolution of 20 data
elements reported quarterly by the grassroots, 11 indicators (ratios of two elements, sums, a
cumulative sum, a share of the grassroots units), and 8 quarters (2022–2023) of values for every
unit: 20 million values, generated from fixed formulas and written with COPY, with a report
(approved) per unit and quarter. Then, each timed:

1. the full recompute of the roll-ups (`rollups_recompute`, the database sums level by level);
2. dashboards through the real view (Django's test client, signed in as a national organiser):
   the national unit, every province, districts and grassroots units, the last quarter; p50/p95;
3. live: a real server (uvicorn, two workers, Redis), a WebSocket client on the national
   dashboard of a new quarter; BENCH_LIVE_ENTRIES values entered at grassroots units through the
   real entry form, 2.5 s apart, after one entry that warms the server up (reported apart): from
   the POST to the snapshot that shows the new national total;
4. an Excel upload of one province's quarter (5,000 units × 20 values) through the services the
   upload page calls: the preview (`value_upload_check`), then applying it (`value_upload_apply`).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/resbench BENCH_DATABASE=postgres \
     python -m benchmarks.resolutions_scale
A second run on the same database reuses the tree and the values (BENCH_REBUILD=1 drops them).
"""

import asyncio
import json
import os
import time
from datetime import UTC, date, datetime

from benchmarks._django import percentile, report, setup

GRASSROOTS = int(os.environ.get("BENCH_GRASSROOTS", "125000"))
PROVINCES = 25
DISTRICTS = 10  # a province
ELEMENTS = 20
YEARS = (2022, 2023)
DASHBOARDS = int(os.environ.get("BENCH_DASHBOARDS", "80"))
LIVE_ENTRIES = int(os.environ.get("BENCH_LIVE_ENTRIES", "10"))
REBUILD = os.environ.get("BENCH_REBUILD") == "1"
PASSWORD = "mat-khau-do-do-hieu-nang"
ADMIN = "bench-resolutions-admin"
CODE = "nq-bench"


def _copy(table: str, columns: list[str], lines) -> int:
    """COPY text lines (tab-separated, already escaped) into `table`, a megabyte at a time."""
    from django.db import connection

    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        chunk = []
        for line in lines:
            chunk.append(line)
            count += 1
            if len(chunk) >= 20000:
                copy.write("".join(chunk))
                chunk = []
        if chunk:
            copy.write("".join(chunk))
    return count


def _tree() -> dict:
    """Levels, kinds and the units (COPY, explicit ids); returns the ids by level."""
    from django.db import connection

    from hoinghi.orgs.models import Level, Unit, UnitKind

    kinds = {}
    for rank, (code, name) in enumerate(
        (
            ("national", "Tổng Liên đoàn"),
            ("provincial", "Liên đoàn Lao động tỉnh"),
            ("district", "Liên đoàn Lao động huyện"),
            ("grassroots", "Công đoàn cơ sở"),
        )
    ):
        level, _ = Level.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})
        kinds[code], _ = UnitKind.objects.get_or_create(code=code, defaults={"name": name, "level": level})
    now = datetime.now(UTC).isoformat()
    rows, ids = [], {"provincial": [], "district": [], "grassroots": []}
    next_id = 1

    def unit(code, name, kind, parent, path, depth):
        nonlocal next_id
        pk = next_id
        next_id += 1
        own = f"{path}{pk}/"
        rows.append(
            f"{pk}\t{now}\t{now}\t{code}\t{name}\t\t{kinds[kind].pk}\t{parent if parent else chr(92) + 'N'}\t"
            f"{own}\t{depth}\t\t0\t\\N\t\\N\t\t{name.lower()}\t{name.lower()} {code.lower()}\n"
        )
        return pk, own

    national, national_path = unit("TLD", "Tổng Liên đoàn Lao động Việt Nam", "national", None, "/", 0)
    per_district = GRASSROOTS // (PROVINCES * DISTRICTS)
    for p in range(PROVINCES):
        province, province_path = unit(
            f"T{p:02d}", f"Liên đoàn Lao động tỉnh {p:02d}", "provincial", national, national_path, 1
        )
        ids["provincial"].append(province)
        for d in range(DISTRICTS):
            district, district_path = unit(
                f"T{p:02d}-H{d:02d}",
                f"Liên đoàn Lao động huyện {p:02d}-{d:02d}",
                "district",
                province,
                province_path,
                2,
            )
            ids["district"].append(district)
            for g in range(per_district):
                pk, _path = unit(
                    f"T{p:02d}-H{d:02d}-{g:04d}",
                    f"Công đoàn cơ sở {p:02d}-{d:02d}-{g:04d}",
                    "grassroots",
                    district,
                    district_path,
                    3,
                )
                ids["grassroots"].append(pk)
    columns = [
        "id",
        "created_at",
        "updated_at",
        "code",
        "name",
        "short_name",
        "kind_id",
        "parent_id",
        "path",
        "depth",
        "sector",
        "member_count",
        "worker_count",
        "province_id",
        "place",
        "name_sort_key",
        "search_text",
    ]
    _copy(Unit._meta.db_table, columns, rows)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('orgs_unit', 'id'), (SELECT max(id) FROM orgs_unit))"
        )
    ids["national"] = [national]
    return ids


def _value(unit_id: int, element: int, quarter: int, province: int) -> int:
    """Element 2k+1 is a whole (enterprises...), 2k+2 the part of it (with a union...): part ≤ whole."""
    whole = 50 + (unit_id * 31 + quarter * 7 + element * 13) % 400
    if element % 2 == 0:
        return whole
    lag = 0.8 if province < 3 else 1.0  # three provinces behind
    share = (55 + (unit_id * 17 + quarter * 5 + element) % 40 + quarter * 2) / 100
    whole_of_pair = 50 + (unit_id * 31 + quarter * 7 + (element - 1) * 13) % 400
    return int(whole_of_pair * min(1.0, share * lag))


def _resolution(admin, national_id: int):
    from hoinghi.orgs.models import Level, Unit, UnitKind
    from hoinghi.resolutions import services
    from hoinghi.resolutions.models import Operator, Periodicity

    owner = Unit.objects.get(pk=national_id)
    resolution = services.resolution_create(
        actor=admin,
        owner=owner,
        code=CODE,
        title="Nghị quyết đo hiệu năng",
        adopted_on=date(2021, 12, 1),
        items=[("target", "Chỉ tiêu 1")],
    )
    grassroots = Level.objects.get(code="grassroots")
    elements = [
        services.element_create(
            actor=admin,
            resolution=resolution,
            code=f"e{n:02d}",
            name=f"Chỉ số {n:02d}",
            levels=[grassroots],
            order=n,
        )
        for n in range(1, ELEMENTS + 1)
    ]
    for pair in range(0, ELEMENTS, 2):
        services.rule_create(
            actor=admin,
            resolution=resolution,
            code=f"r{pair:02d}",
            left=elements[pair + 1],
            operator=Operator.LTE,
            right=elements[pair],
            message="Phần (%(left)s) không được lớn hơn tổng (%(right)s).",
        )
    order = 0
    for pair in range(0, ELEMENTS, 4):  # five shares
        order += 1
        services.indicator_create(
            actor=admin,
            resolution=resolution,
            code=f"share-{pair:02d}",
            name=f"Tỷ lệ {pair + 2}/{pair + 1}",
            numerator=elements[pair + 1],
            denominator=elements[pair],
            factor=100,
            target_value=80,
            is_yearly=True,
            unit_label="%",
            order=order,
        )
    services.indicator_create(
        actor=admin,
        resolution=resolution,
        code="sum-e01",
        name="Tổng chỉ số 01",
        numerator=elements[0],
        target_value=10**9,
        deadline=date(2023, 12, 31),
        order=10,
    )
    services.indicator_create(
        actor=admin,
        resolution=resolution,
        code="cumulative-e03",
        name="Chỉ số 03 cộng dồn",
        numerator=elements[2],
        target_value=10**9,
        deadline=date(2023, 12, 31),
        is_cumulative=True,
        order=11,
    )
    services.indicator_create(
        actor=admin,
        resolution=resolution,
        code="per-unit-e06",
        name="Chỉ số 06 trên mỗi CĐCS",
        numerator=elements[5],
        denominator_units=UnitKind.objects.get(code="grassroots"),
        factor=1,
        target_value=100,
        is_yearly=True,
        order=12,
    )
    dataset = services.dataset_create(
        actor=admin,
        resolution=resolution,
        code="bc-bench",
        name="Báo cáo quý (đo hiệu năng)",
        periodicity=Periodicity.QUARTER,
        elements=elements,
        levels=[grassroots],
    )
    periods = [
        services.period_ensure(periodicity=Periodicity.QUARTER, year=year, number=n)
        for year in YEARS
        for n in (1, 2, 3, 4)
    ]
    return resolution, dataset, elements, periods


def build() -> dict:
    """The tree, the resolution and the values (once; a second run reuses them)."""
    from django.db import connection

    from hoinghi.accounts.models import User
    from hoinghi.orgs.models import Unit
    from hoinghi.resolutions.models import DataValue, Resolution, Submission

    figures = {}
    existing = Resolution.objects.filter(code=CODE).first()
    if existing is not None and not REBUILD:
        return figures
    if existing is not None or Unit.objects.exists():
        raise SystemExit(
            "the database holds another tree: use a fresh database (BENCH_REBUILD on a fresh one)"
        )
    admin = User.objects.create_superuser(ADMIN, password=PASSWORD)
    started = time.perf_counter()
    ids = _tree()
    figures["tree_units"] = Unit.objects.count()
    figures["tree_s"] = round(time.perf_counter() - started, 1)
    resolution, dataset, elements, periods = _resolution(admin, ids["national"][0])
    province_of = {}
    for unit_id, path in Unit.objects.filter(depth=3).values_list("pk", "path"):
        province_of[unit_id] = ids["provincial"].index(int(path.strip("/").split("/")[1]))
    now = datetime.now(UTC).isoformat()
    started = time.perf_counter()

    def lines():
        for quarter, period in enumerate(periods):
            for unit_id in ids["grassroots"]:
                province = province_of[unit_id]
                for number, element in enumerate(elements):
                    value = _value(unit_id, number, quarter, province)
                    yield f"{unit_id}\t{period.pk}\t{element.pk}\t\t{value}\t\t{now}\t{now}\n"

    values = _copy(
        DataValue._meta.db_table,
        ["unit_id", "period_id", "element_id", "option", "value", "comment", "created_at", "updated_at"],
        lines(),
    )
    figures["values"] = values
    figures["values_copy_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    _copy(
        Submission._meta.db_table,
        [
            "dataset_id",
            "unit_id",
            "period_id",
            "state",
            "is_locked",
            "submitted_at",
            "decided_at",
            "comment",
            "created_at",
            "updated_at",
        ],
        (
            f"{dataset.pk}\t{unit_id}\t{period.pk}\tapproved\tt\t{period.end.isoformat()}T09:00:00+07:00\t{now}\t\t{now}\t{now}\n"
            for period in periods
            for unit_id in ids["grassroots"]
        ),
    )
    figures["submissions_copy_s"] = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return figures


def recompute() -> dict:
    from django.db import connection

    from hoinghi.resolutions.models import RollUp
    from hoinghi.resolutions.services import rollups_recompute

    started = time.perf_counter()
    rows = rollups_recompute(actor=None)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE resolutions_rollup")
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('resolutions_rollup')),"
            " pg_size_pretty(pg_total_relation_size('resolutions_datavalue'))"
        )
        rollup_size, value_size = cursor.fetchone()
    assert rows == RollUp.objects.count()
    return {
        "recompute_rows": rows,
        "recompute_s": round(seconds, 1),
        "rollup_table": rollup_size,
        "value_table": value_size,
    }


def dashboards() -> dict:
    """p50/p95 of the dashboard page (the real view and template) of units of every level."""
    from django.conf import settings
    from django.test import Client

    from hoinghi.accounts.models import User
    from hoinghi.orgs.models import Unit
    from hoinghi.resolutions.models import Period

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(User.objects.get(username=ADMIN))
    period = Period.objects.filter(code=f"{YEARS[-1]}Q4").get()
    national = Unit.objects.get(depth=0)
    provinces = list(Unit.objects.filter(depth=1).order_by("pk"))
    districts = list(Unit.objects.filter(depth=2).order_by("pk"))[:: max(1, len(provinces) * DISTRICTS // 20)]
    grassroots = list(Unit.objects.filter(depth=3).order_by("pk"))[:: max(1, GRASSROOTS // 20)]
    plan = (
        [("national", national)] * 5
        + [("provincial", u) for u in provinces]
        + [("district", u) for u in districts]
        + [("grassroots", u) for u in grassroots]
    )
    plan = plan[: max(DASHBOARDS, 5)]
    for _level, unit in plan[:3]:  # warm up (first queries, templates)
        assert client.get(f"/chi-tieu/don-vi/{unit.pk}/?ky={period.pk}").status_code == 200
    samples: dict[str, list[float]] = {}
    for level, unit in plan:
        started = time.perf_counter()
        response = client.get(f"/chi-tieu/don-vi/{unit.pk}/?ky={period.pk}")
        samples.setdefault(level, []).append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    every = [sample for level in samples.values() for sample in level]
    figures = {
        "dashboards": len(every),
        "dashboard_p50_ms": round(percentile(every, 0.5)),
        "dashboard_p95_ms": round(percentile(every, 0.95)),
        "dashboard_max_ms": round(max(every)),
        "dashboard_target_p95_ms": "< 300",
    }
    for level, level_samples in samples.items():
        figures[f"dashboard_{level}_p95_ms"] = round(percentile(level_samples, 0.95))
    return figures


async def _live(
    server_url: str,
    session: dict,
    resolution_id: int,
    national_id: int,
    period_id: int,
    dataset_id: int,
    units: list[int],
) -> list[float]:
    import httpx
    import websockets

    cookie = "; ".join(f"{k}={v}" for k, v in session["cookies"].items())
    url = server_url.replace("http://", "ws://") + f"/ws/chi-tieu/{resolution_id}/{national_id}/{period_id}/"
    delays = []
    async with websockets.connect(
        url, origin=server_url, additional_headers={"Cookie": cookie}, max_size=None, open_timeout=60
    ) as socket:
        first = json.loads(await socket.recv())

        def total(message) -> float:
            row = next(i for i in message["indicators"] if i["code"] == "sum-e01")
            return row["value"] or 0

        current = total(first)
        async with httpx.AsyncClient(
            base_url=server_url, timeout=60, cookies=session["cookies"], headers=session["headers"]
        ) as client:
            for n, unit_id in enumerate(units):
                await asyncio.sleep(2.5)
                amount = 100 + n
                fields = {f"v-e{k:02d}": str(amount) for k in range(1, ELEMENTS + 1)}
                fields["version"] = ""
                started = time.perf_counter()
                response = await client.post(
                    f"/chi-tieu/nhap/{dataset_id}/{unit_id}/{period_id}/", data=fields
                )
                assert response.status_code == 302, response.text[:300]
                expected = current + amount
                while True:
                    message = json.loads(await asyncio.wait_for(socket.recv(), timeout=10))
                    if message.get("indicators") and total(message) >= expected:
                        delays.append(time.perf_counter() - started)
                        current = total(message)
                        break
    return delays  # the first is the warm-up's


def live() -> dict:
    """A value entered at a grassroots unit, until the national dashboard's socket shows it."""
    import logging

    from django.db import connection

    from benchmarks._live import server_options
    from hoinghi.attendance.testing import login, running
    from hoinghi.orgs.models import Unit
    from hoinghi.resolutions import services
    from hoinghi.resolutions.models import Periodicity, Resolution

    logging.getLogger("httpx").setLevel(logging.WARNING)
    resolution = Resolution.objects.get(code=CODE)
    dataset = resolution.datasets.get()
    period = services.period_ensure(periodicity=Periodicity.QUARTER, year=YEARS[-1] + 1, number=1)
    national = Unit.objects.get(depth=0)
    # One entry more than measured: the first warms the server up (its workers load the URL
    # configuration and every view module on their first request, about half a second), as the
    # dashboards' part warms up; it is reported apart.
    units = list(Unit.objects.filter(depth=3).order_by("?").values_list("pk", flat=True)[: LIVE_ENTRIES + 1])
    with running(**server_options(connection.vendor)) as server:
        session = login(server.url, ADMIN, PASSWORD)
        delays = asyncio.run(
            _live(server.url, session, resolution.pk, national.pk, period.pk, dataset.pk, units)
        )
    warmup, delays = delays[0], delays[1:]
    return {
        "live_entries": len(delays),
        "live_warmup_ms": round(warmup * 1000),
        "live_p50_ms": round(percentile(delays, 0.5) * 1000),
        "live_max_ms": round(max(delays) * 1000),
        "live_target_ms": "< 1000",
    }


def upload() -> dict:
    """One province's quarter (5,000 units × 20 values) from its Excel template: check, apply."""
    from hoinghi.accounts.models import User
    from hoinghi.orgs.models import Unit
    from hoinghi.resolutions import excel, selectors, services
    from hoinghi.resolutions.models import Periodicity, Resolution

    admin = User.objects.get(username=ADMIN)
    dataset = Resolution.objects.get(code=CODE).datasets.get()
    for number in range(2, 40):  # the first quarter after 2024Q1 (the live part's) with no value yet
        period = services.period_ensure(
            periodicity=Periodicity.QUARTER, year=YEARS[-1] + 1 + number // 4, number=number % 4 + 1
        )
        if not selectors.period_has_values(dataset=dataset, period=period):
            break
    province = Unit.objects.filter(depth=1).order_by("pk")[PROVINCES - 1]
    layout = selectors.dataset_layout(dataset)
    started = time.perf_counter()
    units, _stored = selectors.subtree_values(actor=admin, dataset=dataset, unit=province, period=period)
    filled = {
        unit.pk: {key: 200 if int(key[0][1:]) % 2 else 150 for key in layout.columns} for unit in units
    }  # odd elements are wholes (200), even ones their parts (150)
    content = excel.template_build(layout=layout, title="Mẫu", units=units, values=filled)
    template_s = time.perf_counter() - started
    started = time.perf_counter()
    checked = services.value_upload_check(
        actor=admin, dataset=dataset, unit=province, period=period, file_name="tinh.xlsx", content=content
    )
    check_s = time.perf_counter() - started
    assert not checked.errors, checked.errors[:3]
    started = time.perf_counter()
    services.value_upload_apply(actor=admin, upload=checked)
    apply_s = time.perf_counter() - started
    return {
        "upload_units": len(units),
        "upload_values": checked.summary["values"],
        "upload_file_kb": round(len(content) / 1024),
        "upload_template_s": round(template_s, 1),
        "upload_check_s": round(check_s, 1),
        "upload_apply_s": round(apply_s, 1),
        "upload_total_s": round(check_s + apply_s, 1),
        "upload_target_s": "< 10",
    }


def main() -> None:
    setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("resolutions_scale runs on PostgreSQL")
    load_at_start = os.getloadavg()
    figures = {"grassroots": GRASSROOTS, "elements": ELEMENTS, "quarters": 4 * len(YEARS)}
    figures |= build()
    only = set(filter(None, os.environ.get("BENCH_PARTS", "recompute,dashboards,live,upload").split(",")))
    if "recompute" in only:
        figures |= recompute()
    if "dashboards" in only:
        figures |= dashboards()
    if "live" in only:
        figures |= live()
    if "upload" in only:
        figures |= upload()
    report(
        benchmark="resolutions_scale",
        load_1_5_15_at_start=[round(x, 2) for x in load_at_start],
        load_1_5_15_at_end=[round(x, 2) for x in os.getloadavg()],
        **figures,
    )


if __name__ == "__main__":
    main()
