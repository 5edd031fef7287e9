"""`hoinghi serve`: the app server (uvicorn) with the settings production needs.

uvicorn on its own believes `X-Forwarded-For` from 127.0.0.1, so anyone reaching a server that
listens there could claim any address and try passwords past the per-address lockout. Here the
forwarded headers are believed only from the proxies named in HOINGHI_TRUSTED_PROXIES (none by
default), and the keep-alive outlasts the check-in page's 15 s heartbeat, so an idle point keeps
its connection instead of sending a scan on one the server is closing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

KEEP_ALIVE_SECONDS = 20


class Command(BaseCommand):
    help = "Chạy máy chủ ứng dụng (ASGI, uvicorn)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--log-level", default="info")

    def handle(self, *args, host, port, workers, log_level, **options):
        import uvicorn

        trusted = settings.HOINGHI_TRUSTED_PROXIES
        uvicorn.run(
            "hoinghi.asgi:application",
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            proxy_headers=bool(trusted),
            forwarded_allow_ips=",".join(trusted) if trusted else None,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
