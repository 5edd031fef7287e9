import os

from django.core.management.base import BaseCommand, CommandError

from hoinghi.streaming import config
from hoinghi.streaming.config import missing_programs


class Command(BaseCommand):
    help = "Viết cấu hình rồi chạy nginx (mô-đun RTMP) ở tiền cảnh: máy chủ truyền hình cho bản chạy thử."

    def add_arguments(self, parser):
        parser.add_argument(
            "--user", help="Người dùng chạy tiến trình worker của nginx (khi chạy bằng root)."
        )

    def handle(self, *args, **options):
        if missing := missing_programs():
            raise CommandError(
                f"Thiếu {', '.join(missing)}: apt-get install nginx libnginx-mod-rtmp ffmpeg"
                " (xem docs/operations.md)."
            )
        overrides = {"user": options["user"]} if options["user"] is not None else {}
        media = config.from_settings(**overrides)
        config.write(media)
        try:
            config.check(media)
        except RuntimeError as error:
            raise CommandError(f"nginx -t báo lỗi: {error}") from error
        self.stdout.write(
            f"Máy chủ truyền hình: nhận RTMP ở cổng {media.rtmp_listen}, phát HLS ở cổng {media.http_listen}"
        )
        self.stdout.flush()
        command = media.command("-g", "daemon off;")
        os.execv(command[0], command)
