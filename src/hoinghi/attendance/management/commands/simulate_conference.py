import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hoinghi.attendance.errors import SimulationError
from hoinghi.attendance.models import Attendance
from hoinghi.attendance.simulation import (
    REPLAY_STARTS_BEFORE,
    MorningReplay,
    morning_plan,
    morning_reset,
    require_demo,
)
from hoinghi.conferences import services as conferences
from hoinghi.conferences.models import Conference, ConferenceStatus

TICK = 0.5  # seconds of real time between steps
HEARTBEAT_EVERY = timedelta(seconds=15)  # of simulated time


class Command(BaseCommand):
    help = (
        "Replay the morning of 6-12-2018 on the demo: points come online, 24,814 check-ins over about "
        "fifteen minutes, a few incidents and questions. Open the live dashboard while it runs. Runs on a "
        "demo conference only (made by demo-load); a new run forgets what the previous one made."
    )

    def add_arguments(self, parser):
        parser.add_argument("--speed", type=float, default=10.0, help="simulated seconds per real second")
        parser.add_argument(
            "--conference", type=int, help="id of a demo conference (default: the 2018 demo conference)"
        )
        parser.add_argument(
            "--keep", action="store_true", help="do not forget a previous replay first (nothing is deleted)"
        )

    def handle(self, *args, speed: float, conference: int | None, keep: bool, **options):
        from hoinghi.accounts.models import User

        if speed <= 0:
            raise CommandError("--speed phải lớn hơn 0.")
        if conference:
            target = Conference.objects.select_related("organising_unit").filter(pk=conference).first()
            if target is None:
                raise CommandError(f"Không có hội nghị #{conference}.")
        else:
            target = Conference.objects.filter(is_demo=True).order_by("pk").first()
            if target is None:
                raise CommandError("Chưa có hội nghị mẫu: chạy `hoinghi demo-load` trước.")
        actor = User.objects.filter(is_superuser=True).order_by("pk").first()
        if actor is None:
            raise CommandError("Cần một tài khoản quản trị (chạy `hoinghi demo-logins`).")
        try:
            require_demo(target)
            if not keep:
                forgotten = morning_reset(target)
                if forgotten:
                    self.stdout.write(f"Đã xóa {forgotten:,} lượt điểm danh của lần mô phỏng trước.")
        except SimulationError as error:
            raise CommandError(error.message) from error
        if target.status == ConferenceStatus.INVITATIONS_ISSUED:
            conferences.conference_transition(actor=actor, conference=target, to_status=ConferenceStatus.LIVE)
        elif target.status != ConferenceStatus.LIVE:
            raise CommandError(
                f"Hội nghị đang ở giai đoạn “{target.get_status_display()}”: không mô phỏng được."
            )

        steps = morning_plan(target)
        replay = MorningReplay(actor=actor, conference=target, steps=steps)
        total = steps[-1].at if steps else timedelta()
        self.stdout.write(
            f"Mô phỏng {len(steps):,} sự kiện trong {total.total_seconds() / 60:.0f} phút giả lập, "
            f"tốc độ ×{speed:g} (khoảng {total.total_seconds() / speed / 60:.1f} phút thực). Ctrl+C để dừng."
        )
        started = time.monotonic()
        next_heartbeat = timedelta()
        try:
            while not replay.done:
                elapsed = timedelta(seconds=(time.monotonic() - started) * speed)
                replay.advance(elapsed)
                if elapsed >= next_heartbeat:
                    replay.heartbeat_online()
                    next_heartbeat = elapsed + HEARTBEAT_EVERY
                    clock = timezone.localtime(target.starts_at) - REPLAY_STARTS_BEFORE + elapsed
                    present = Attendance.objects.filter(conference=target).values("person").distinct().count()
                    online = len(replay.online)
                    self.stdout.write(
                        f"  {clock:%H:%M:%S}  {online} điểm cầu trực tuyến, {present:,} người có mặt"
                    )
                time.sleep(TICK)
        except KeyboardInterrupt:
            self.stdout.write("Đã dừng.")
            return
        present = Attendance.objects.filter(conference=target).values("person").distinct().count()
        self.stdout.write(self.style.SUCCESS(f"Xong: {present:,} người có mặt, {replay.scans:,} lượt quét."))
