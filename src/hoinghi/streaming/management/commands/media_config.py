from django.core.management.base import BaseCommand, CommandError

from hoinghi.streaming import config


class Command(BaseCommand):
    help = "Viết cấu hình nginx (mô-đun RTMP) cho truyền hình hội nghị từ các thiết lập."

    def add_arguments(self, parser):
        parser.add_argument(
            "--user", help="Người dùng chạy tiến trình worker của nginx (khi nginx chạy bằng root)."
        )
        parser.add_argument("--check", action="store_true", help="Kiểm tra tệp vừa viết bằng nginx -t.")

    def handle(self, *args, **options):
        overrides = {"user": options["user"]} if options["user"] is not None else {}
        media = config.from_settings(**overrides)
        path = config.write(media)
        self.stdout.write(f"Đã viết {path}")
        if options["check"]:
            try:
                self.stdout.write(config.check(media))
            except (RuntimeError, FileNotFoundError) as error:
                raise CommandError(f"nginx -t báo lỗi: {error}") from error
        self.stdout.write("Chạy máy chủ truyền hình: " + " ".join(media.command()))
