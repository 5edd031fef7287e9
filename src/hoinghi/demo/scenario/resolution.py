"""The resolution of the Confederation's 12th Congress (adopted 26-9-2018): its objective, the 9
target groups, the 3 breakthroughs and the 9 tasks, the targets that can be counted configured as
indicators over data elements, a quarterly data set, and generated quarters of values.

The structure is a few dozen rows, loaded by `demo-load` with the rest of the scenario. The
values are drawn per quarter from fixed seeds for every reporting unit of the tree, a few
provinces lagging behind, by `hoinghi demo-resolution --years 2019-2020`: about 30,000 values a
quarter, loaded in bulk and rolled up once per quarter.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from hoinghi.core.tree import path_ids
from hoinghi.demo.scenario.tree import ROOT_CODE
from hoinghi.orgs.models import Level, Unit
from hoinghi.resolutions import selectors as resolution_selectors
from hoinghi.resolutions import services as resolution_services
from hoinghi.resolutions.models import Operator, Periodicity, Resolution, SubmissionState

CODE = "nq-dh12-2018"
DATASET_CODE = "bc-quy-nq-dh12"
SEED = 2019
DEADLINE = date(2023, 12, 31)
LAGGING_PROVINCES = 8  # provincial federations drawn to lag behind

OBJECTIVE = (
    "Đổi mới tổ chức và hoạt động công đoàn; tập trung đại diện, chăm lo, bảo vệ quyền, lợi ích hợp pháp, "
    "chính đáng của đoàn viên, người lao động; phát triển đoàn viên, xây dựng tổ chức công đoàn vững mạnh; "
    "góp phần xây dựng giai cấp công nhân Việt Nam lớn mạnh, quan hệ lao động hài hòa, ổn định, tiến bộ."
)
TARGETS = (
    "Phát triển 2 triệu đoàn viên mới; thành lập công đoàn cơ sở ở 100% doanh nghiệp có 25 lao động "
    "trở lên, phấn đấu ở doanh nghiệp có từ 10 lao động trở lên.",
    "Hằng năm có 80% trở lên công đoàn cấp trên trực tiếp cơ sở, 80% trở lên công đoàn cơ sở khu vực "
    "nhà nước và 55% trở lên công đoàn cơ sở khu vực ngoài nhà nước được đánh giá vững mạnh.",
    "70% trở lên doanh nghiệp có tổ chức công đoàn ký thỏa ước lao động tập thể, trong đó 45% được đánh giá "
    "đạt loại B trở lên.",
    "Thu tài chính công đoàn đạt 90% trở lên số phải thu; 100% công đoàn cấp trên được kiểm tra tài chính "
    "hằng năm.",
    "Xây dựng ít nhất 50 thiết chế công đoàn (nhà ở, nhà trẻ, trạm y tế...) tại các khu công nghiệp, "
    "khu chế xuất.",
    "Giới thiệu 500.000 đoàn viên ưu tú cho Đảng xem xét kết nạp.",
    "100% cán bộ công đoàn chuyên trách và chủ tịch công đoàn cơ sở mới được bồi dưỡng nghiệp vụ.",
    "100% công đoàn cơ sở phối hợp với người sử dụng lao động tổ chức đối thoại định kỳ tại nơi làm việc.",
    "Hằng năm 100% công đoàn các cấp tổ chức học tập, quán triệt nghị quyết và có chương trình hành động.",
)
BREAKTHROUGHS = (
    "Đổi mới phương thức tuyên truyền, vận động, tập hợp người lao động gia nhập công đoàn.",
    "Nâng cao chất lượng đối thoại, thương lượng tập thể và ký kết thỏa ước lao động tập thể.",
    "Xây dựng đội ngũ cán bộ công đoàn đủ phẩm chất, năng lực, bản lĩnh, chuyên nghiệp.",
)
TASKS = (
    "Đại diện, chăm lo, bảo vệ quyền, lợi ích hợp pháp, chính đáng của đoàn viên, người lao động.",
    "Tuyên truyền, giáo dục, nâng cao nhận thức chính trị, pháp luật cho đoàn viên, người lao động.",
    "Phát triển đoàn viên, thành lập công đoàn cơ sở, xây dựng công đoàn cơ sở vững mạnh.",
    "Tham gia xây dựng quan hệ lao động hài hòa, ổn định, tiến bộ.",
    "Tham gia quản lý nhà nước, quản lý kinh tế - xã hội; kiểm tra, giám sát, phản biện xã hội.",
    "Đổi mới công tác cán bộ; đào tạo, bồi dưỡng cán bộ công đoàn.",
    "Nâng cao hiệu quả công tác tài chính, quản lý tài sản công đoàn.",
    "Mở rộng và nâng cao hiệu quả công tác đối ngoại.",
    "Đổi mới tổ chức bộ máy, nâng cao hiệu quả công tác kiểm tra, giám sát.",
)
# code, name, options, level that reports it
SECTORS = (("state", "Khu vực nhà nước"), ("non_state", "Khu vực ngoài nhà nước"))
ELEMENTS = (
    ("workers", "Số lao động tại đơn vị", (), "grassroots"),
    ("members_admitted", "Số đoàn viên kết nạp mới trong kỳ", (), "grassroots"),
    ("party_introduced", "Số đoàn viên ưu tú giới thiệu cho Đảng trong kỳ", (), "grassroots"),
    ("enterprises_25", "Số doanh nghiệp có từ 25 lao động trở lên trên địa bàn", (), "district"),
    ("enterprises_25_union", "Trong đó: đã thành lập công đoàn cơ sở", (), "district"),
    ("grassroots_rated", "Số công đoàn cơ sở được đánh giá, xếp loại", SECTORS, "district"),
    ("grassroots_strong", "Số công đoàn cơ sở đạt vững mạnh", SECTORS, "district"),
    ("enterprises_union", "Số doanh nghiệp có tổ chức công đoàn", (), "district"),
    ("cla_signed", "Số doanh nghiệp đã ký thỏa ước lao động tập thể", (), "district"),
    (
        "cla_graded",
        "Thỏa ước lao động tập thể theo loại",
        (("A", "Loại A"), ("B", "Loại B"), ("C", "Loại C"), ("D", "Loại D")),
        "district",
    ),
    ("finance_due", "Kinh phí, đoàn phí công đoàn phải thu (triệu đồng)", (), "district"),
    ("finance_collected", "Kinh phí, đoàn phí công đoàn đã thu (triệu đồng)", (), "district"),
    ("upper_total", "Số công đoàn cấp trên trực tiếp cơ sở", (), "provincial"),
    ("upper_strong", "Trong đó: đạt vững mạnh", (), "provincial"),
    ("upper_audited", "Trong đó: được kiểm tra tài chính trong năm", (), "provincial"),
    ("facilities", "Thiết chế công đoàn tại khu công nghiệp đưa vào sử dụng trong kỳ", (), "provincial"),
)
RULES = (
    (
        "admitted-le-workers",
        "members_admitted",
        Operator.LTE,
        "workers",
        "Số đoàn viên kết nạp mới (%(left)s) không được lớn hơn số lao động (%(right)s).",
    ),
    (
        "union-le-enterprises",
        "enterprises_25_union",
        Operator.LTE,
        "enterprises_25",
        "Số doanh nghiệp đã có công đoàn (%(left)s) không được lớn hơn số doanh nghiệp (%(right)s).",
    ),
    (
        "strong-le-rated-state",
        ("grassroots_strong", "state"),
        Operator.LTE,
        ("grassroots_rated", "state"),
        "Số CĐCS khu vực nhà nước vững mạnh (%(left)s) không được lớn hơn số được đánh giá (%(right)s).",
    ),
    (
        "strong-le-rated-non-state",
        ("grassroots_strong", "non_state"),
        Operator.LTE,
        ("grassroots_rated", "non_state"),
        "Số CĐCS ngoài nhà nước vững mạnh (%(left)s) không được lớn hơn số được đánh giá (%(right)s).",
    ),
    (
        "cla-le-enterprises",
        "cla_signed",
        Operator.LTE,
        "enterprises_union",
        "Số thỏa ước đã ký (%(left)s) không được lớn hơn số doanh nghiệp có công đoàn (%(right)s).",
    ),
    (
        "upper-strong-le-total",
        "upper_strong",
        Operator.LTE,
        "upper_total",
        "Số công đoàn cấp trên vững mạnh (%(left)s) không được lớn hơn tổng số (%(right)s).",
    ),
    (
        "upper-audited-le-total",
        "upper_audited",
        Operator.LTE,
        "upper_total",
        "Số công đoàn cấp trên được kiểm tra (%(left)s) không được lớn hơn tổng số (%(right)s).",
    ),
)
# code, name, target group, numerator, denominator, factor, target, deadline (None: yearly), cumulative
INDICATORS = (
    (
        "new-members",
        "Đoàn viên kết nạp mới (cộng dồn từ 2019)",
        1,
        "members_admitted",
        None,
        1,
        2_000_000,
        DEADLINE,
        True,
    ),
    (
        "union-in-enterprises",
        "Doanh nghiệp từ 25 lao động có công đoàn",
        1,
        "enterprises_25_union",
        "enterprises_25",
        100,
        100,
        DEADLINE,
        False,
    ),
    (
        "upper-strong",
        "Công đoàn cấp trên trực tiếp cơ sở vững mạnh",
        2,
        "upper_strong",
        "upper_total",
        100,
        80,
        None,
        False,
    ),
    (
        "state-strong",
        "CĐCS khu vực nhà nước vững mạnh",
        2,
        ("grassroots_strong", "state"),
        ("grassroots_rated", "state"),
        100,
        80,
        None,
        False,
    ),
    (
        "non-state-strong",
        "CĐCS khu vực ngoài nhà nước vững mạnh",
        2,
        ("grassroots_strong", "non_state"),
        ("grassroots_rated", "non_state"),
        100,
        55,
        None,
        False,
    ),
    (
        "cla-signed",
        "Doanh nghiệp có công đoàn ký thỏa ước",
        3,
        "cla_signed",
        "enterprises_union",
        100,
        70,
        DEADLINE,
        False,
    ),
    (
        "cla-b-or-better",
        "Thỏa ước đạt loại B trở lên",
        3,
        ("cla_graded", "A,B"),
        "cla_signed",
        100,
        45,
        DEADLINE,
        False,
    ),
    (
        "finance-collected",
        "Thu kinh phí, đoàn phí công đoàn so với số phải thu",
        4,
        "finance_collected",
        "finance_due",
        100,
        90,
        None,
        False,
    ),
    (
        "finance-audited",
        "Công đoàn cấp trên được kiểm tra tài chính",
        4,
        "upper_audited",
        "upper_total",
        100,
        100,
        None,
        False,
    ),
    (
        "facilities",
        "Thiết chế công đoàn tại khu công nghiệp (cộng dồn)",
        5,
        "facilities",
        None,
        1,
        50,
        DEADLINE,
        True,
    ),
    (
        "party-introduced",
        "Đoàn viên ưu tú giới thiệu cho Đảng (cộng dồn)",
        6,
        "party_introduced",
        None,
        1,
        500_000,
        DEADLINE,
        True,
    ),
)


def resolution_2018_create(*, actor) -> Resolution:
    """The resolution, its elements, rules, indicators and quarterly data set (once; a second call
    returns the stored one). About a hundred rows: fast enough for `demo-load`."""
    existing = Resolution.objects.filter(code=CODE).first()
    if existing is not None:
        return existing
    services = resolution_services
    national = Unit.objects.get(code=ROOT_CODE)
    items = [("target", t) for t in TARGETS] + [("breakthrough", b) for b in BREAKTHROUGHS]
    resolution = services.resolution_create(
        actor=actor,
        owner=national,
        code=CODE,
        title="Nghị quyết Đại hội XII Công đoàn Việt Nam, nhiệm kỳ 2018 - 2023",
        adopted_on=date(2018, 9, 26),
        general_objective=OBJECTIVE,
        items=items + [("task", t) for t in TASKS],
    )
    levels = {level.code: level for level in Level.objects.all()}
    elements = {}
    for order, (code, name, options, level) in enumerate(ELEMENTS):
        elements[code] = services.element_create(
            actor=actor,
            resolution=resolution,
            code=code,
            name=name,
            options=options,
            levels=[levels[level]],
            order=order,
        )

    def side(spec):
        if spec is None:
            return None
        return (elements[spec[0]], spec[1]) if isinstance(spec, tuple) else elements[spec]

    for code, left, operator, right, message in RULES:
        services.rule_create(
            actor=actor,
            resolution=resolution,
            code=code,
            left=side(left),
            operator=operator,
            right=side(right),
            message=message,
        )
    targets = {item.number: item for item in resolution.items.filter(kind="target")}
    for order, (code, name, group, numerator, denominator, factor, target, deadline, cumulative) in enumerate(
        INDICATORS
    ):
        services.indicator_create(
            actor=actor,
            resolution=resolution,
            code=code,
            name=name,
            target=targets[group],
            numerator=side(numerator),
            denominator=side(denominator),
            factor=factor,
            target_value=target,
            deadline=deadline,
            is_yearly=deadline is None,
            is_cumulative=cumulative,
            unit_label="%" if denominator else "",
            order=order,
        )
    services.dataset_create(
        actor=actor,
        resolution=resolution,
        code=DATASET_CODE,
        name="Báo cáo quý kết quả thực hiện Nghị quyết Đại hội XII",
        periodicity=Periodicity.QUARTER,
        elements=list(elements.values()),
        levels=[levels["grassroots"], levels["district"], levels["provincial"]],
        due_days=15,
    )
    return resolution


# --- Generated quarters ----------------------------------------------------------------------------


def _quarter_values(rng: random.Random, unit: dict, step: int, lag: float) -> dict:
    """One unit's values for the `step`-th quarter since 2019 (progress grows with it; a lagging
    province has `lag` < 1)."""
    progress = min(1.0, 0.55 + 0.03 * step) * lag
    level = unit["level"]
    if level == "grassroots":
        workers = max(10, unit["workers"] or int(unit["members"] * 1.15) or rng.randint(20, 400))
        return {
            ("workers", ""): workers,
            ("members_admitted", ""): min(workers, max(0, int(rng.gauss(0.045, 0.02) * workers * lag))),
            ("party_introduced", ""): rng.randint(0, 4) if rng.random() < 0.6 * lag else 0,
        }
    if level == "district":
        enterprises = rng.randint(15, 160)
        with_union = int(enterprises * min(1.0, progress * rng.uniform(1.0, 1.35)))
        rated_state, rated_other = rng.randint(5, 40), rng.randint(5, 60)
        signed = int(with_union * min(1.0, progress * rng.uniform(0.85, 1.25)))
        grade_a = int(signed * rng.uniform(0.1, 0.3) * lag)
        grade_b = int(signed * rng.uniform(0.15, 0.35) * lag)
        grade_c = int((signed - grade_a - grade_b) * rng.uniform(0.4, 0.7))
        due = rng.randint(800, 9_000)
        return {
            ("enterprises_25", ""): enterprises,
            ("enterprises_25_union", ""): with_union,
            ("grassroots_rated", "state"): rated_state,
            ("grassroots_rated", "non_state"): rated_other,
            ("grassroots_strong", "state"): int(rated_state * min(1.0, progress * rng.uniform(1.2, 1.5))),
            ("grassroots_strong", "non_state"): int(
                rated_other * min(1.0, progress * rng.uniform(0.75, 1.05))
            ),
            ("enterprises_union", ""): with_union + rng.randint(0, 30),
            ("cla_signed", ""): signed,
            ("cla_graded", "A"): grade_a,
            ("cla_graded", "B"): grade_b,
            ("cla_graded", "C"): grade_c,
            ("cla_graded", "D"): max(0, signed - grade_a - grade_b - grade_c),
            ("finance_due", ""): due,
            ("finance_collected", ""): int(due * min(1.05, progress * rng.uniform(1.3, 1.6))),
        }
    total = rng.randint(8, 30)
    return {
        ("upper_total", ""): total,
        ("upper_strong", ""): int(total * min(1.0, progress * rng.uniform(1.2, 1.5))),
        ("upper_audited", ""): int(total * min(1.0, progress * rng.uniform(1.3, 1.7))),
        ("facilities", ""): 1 if rng.random() < 0.04 * lag else 0,
    }


def _approve_bottom_up(units: list[dict], submitted: dict) -> None:
    """A unit is approved only once all its children are (as `submission_approve` requires):
    from the grassroots up, a unit with a child still waiting waits too."""
    waiting: set[int] = set()
    for unit in sorted(units, key=lambda unit: -len(path_ids(unit["path"]))):
        state, when = submitted[unit["pk"]]
        if unit["pk"] in waiting or state != SubmissionState.APPROVED:
            submitted[unit["pk"]] = (SubmissionState.SUBMITTED, when)
            ids = path_ids(unit["path"])
            if len(ids) > 1:
                waiting.add(ids[-2])


def resolution_2018_values(*, actor, years: range, progress=None) -> int:
    """Generate and load every quarter of `years` not loaded yet, for every unit that reports the
    data set; returns the number of values written. Each quarter has its own seed."""
    resolution = resolution_2018_create(actor=actor)
    dataset = resolution.datasets.get(code=DATASET_CODE)
    reporting = Unit.objects.filter(resolution_selectors.dataset_unit_q(dataset))
    units = [
        {"pk": pk, "path": path, "level": level, "workers": workers, "members": members}
        for pk, path, level, workers, members in reporting.values_list(
            "pk", "path", "kind__level__code", "worker_count", "member_count"
        ).order_by("pk")
    ]
    provinces = sorted({path_ids(unit["path"])[1] for unit in units if len(path_ids(unit["path"])) > 1})
    lagging = set(random.Random(SEED).sample(provinces, min(LAGGING_PROVINCES, len(provinces))))
    written = 0
    for year in years:
        for quarter in range(1, 5):
            period = resolution_services.period_ensure(
                periodicity=Periodicity.QUARTER, year=year, number=quarter
            )
            if resolution_selectors.period_has_values(dataset=dataset, period=period):
                continue
            # Each quarter's window: from the day after it to the due day (closed by now: a change
            # to a past quarter needs the level above to reopen the unit).
            resolution_services.dataset_period_set(
                actor=actor,
                dataset=dataset,
                period=period,
                opens_on=period.end + timedelta(days=1),
                closes_on=period.end + timedelta(days=dataset.due_days),
            )
            rng = random.Random(f"{SEED}-{period.code}")
            step = (year - 2019) * 4 + quarter - 1
            due = timezone.make_aware(
                datetime.combine(period.end + timedelta(days=dataset.due_days), time(17))
            )
            values, submitted = {}, {}
            for unit in units:
                ids = path_ids(unit["path"])
                lag = 0.75 if len(ids) > 1 and ids[1] in lagging else 1.0
                values[unit["pk"]] = _quarter_values(rng, unit, step, lag)
                late = rng.random() < (0.25 if lag < 1 else 0.05)
                when = (
                    due + timedelta(days=rng.randint(1, 20))
                    if late
                    else due - timedelta(days=rng.randint(0, 14))
                )
                approved = rng.random() < 0.97
                submitted[unit["pk"]] = (
                    SubmissionState.APPROVED if approved else SubmissionState.SUBMITTED,
                    when,
                )
            _approve_bottom_up(units, submitted)
            written += resolution_services.datavalues_load(
                actor=actor,
                dataset=dataset,
                period=period,
                values=values,
                submitted=submitted,
                recompute=False,
            )
            if progress:
                progress(f"{period}: {sum(len(v) for v in values.values()):,} số liệu")
    if written:
        # Once for every quarter loaded: the database sums the whole table level by level.
        rows = resolution_services.rollups_recompute(actor=actor)
        if progress:
            progress(f"{rows:,} dòng cộng dồn")
    return written
