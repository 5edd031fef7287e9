import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hoinghi.demo.scenario.resolution import CODE, DATASET_CODE
from hoinghi.demo.scenario.resolution_replay import (
    REPORTING_DAYS,
    QuarterReplay,
    quarter_forget,
    quarter_next,
    quarter_plan,
)
from hoinghi.resolutions import selectors as resolution_selectors
from hoinghi.resolutions import services as resolution_services
from hoinghi.resolutions.models import Period, Resolution

TICK = 0.25  # seconds of real time between steps
REPORT_EVERY = 5.0  # seconds of real time between progress lines


class Command(BaseCommand):
    help = (
        "Replay one quarter's reporting of the demo resolution across the country: every unit enters its "
        "values and submits, the level above approves, through the real services. Open the national "
        "dashboard (Chỉ tiêu nghị quyết) while it runs: the figures move as the reports arrive."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quarter", help="e.g. 2024Q1 (default: the quarter after the last one with values)"
        )
        parser.add_argument(
            "--speed",
            type=float,
            default=3000.0,
            help="simulated seconds per real second (3000: the fifteen days in about 7 minutes)",
        )
        parser.add_argument(
            "--reset", action="store_true", help="forget a previous replay of the same quarter first"
        )

    def handle(self, *args, quarter: str | None, speed: float, reset: bool, **options):
        from hoinghi.accounts.models import User

        if speed <= 0:
            raise CommandError("--speed phải lớn hơn 0.")
        resolution = Resolution.objects.filter(code=CODE).first()
        if resolution is None:
            raise CommandError("Chưa có nghị quyết mẫu: chạy `hoinghi demo-load` trước.")
        dataset = resolution.datasets.get(code=DATASET_CODE)
        actor = User.objects.filter(is_superuser=True).order_by("pk").first()
        if quarter:
            period = Period.objects.filter(code=quarter.upper()).first()
            if period is None:
                year, _sep, number = quarter.upper().partition("Q")
                if not (year.isdigit() and number in {"1", "2", "3", "4"}):
                    raise CommandError("--quarter phải có dạng 2024Q1.")
                period = resolution_services.period_ensure(
                    periodicity="quarter", year=int(year), number=int(number)
                )
        else:
            period = quarter_next(dataset)
        if resolution_selectors.period_has_values(dataset=dataset, period=period):
            if not reset:
                raise CommandError(
                    f"{period} đã có số liệu: thêm --reset để xóa và mô phỏng lại, hoặc chọn --quarter khác."
                )
            forgotten = quarter_forget(actor=actor, dataset=dataset, period=period)
            self.stdout.write(f"Đã xóa {forgotten:,} số liệu của lần mô phỏng trước ({period}).")
        today = timezone.localdate()
        resolution_services.dataset_period_set(
            actor=actor,
            dataset=dataset,
            period=period,
            opens_on=today,
            closes_on=today + timedelta(days=REPORTING_DAYS),
        )
        steps, values = quarter_plan(dataset=dataset, period=period)
        replay = QuarterReplay(actor=actor, dataset=dataset, period=period, steps=steps, values=values)
        total = steps[-1].at if steps else timedelta()
        self.stdout.write(
            f"Mô phỏng báo cáo {period}: {replay.total:,} đơn vị, {len(steps):,} bước trong "
            f"{total.total_seconds() / 86400:.0f} ngày giả lập, tốc độ ×{speed:g} "
            f"(khoảng {total.total_seconds() / speed / 60:.0f} phút thực). Ctrl+C để dừng."
        )
        self.stdout.write(f"Bảng theo dõi: /chi-tieu/ → chọn kỳ “{period}”.")
        started = time.monotonic()
        next_report = 0.0
        try:
            while not replay.done:
                real = time.monotonic() - started
                elapsed = timedelta(seconds=real * speed)
                replay.advance(elapsed, budget=REPORT_EVERY)
                if real >= next_report:
                    next_report = real + REPORT_EVERY
                    self.stdout.write(
                        f"  ngày {replay.clock.total_seconds() / 86400:4.1f}: {replay.entered:,} đã gửi, "
                        f"{replay.approved:,} đã duyệt / {replay.total:,} đơn vị"
                    )
                time.sleep(TICK)
        except KeyboardInterrupt:
            self.stdout.write("Đã dừng.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong {period}: {replay.entered:,} đơn vị đã gửi, {replay.approved:,} đã duyệt, "
                f"{replay.total - replay.entered:,} chưa báo cáo."
            )
        )
