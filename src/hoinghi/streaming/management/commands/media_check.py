from django.core.management.base import BaseCommand, CommandError

from hoinghi.streaming.selectors import media_server_state


class Command(BaseCommand):
    help = "Hỏi máy chủ truyền hình (GET /healthz) xem nó có trả lời không; mã thoát 1 khi không."

    def handle(self, *args, **options):
        state = media_server_state(fresh=True)
        if not state.is_up:
            raise CommandError(f"Máy chủ truyền hình không phản hồi ở {state.url}: {state.detail}")
        self.stdout.write(f"Máy chủ truyền hình đang hoạt động: {state.url}")
