"""ASGI entry point: `uvicorn hoinghi.asgi:application` — HTTP through Django, WebSockets through Channels."""

import asyncio
import os
import weakref

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoinghi.settings")
django_application = get_asgi_application()  # sets Django up before the consumers are imported

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from hoinghi.routing import websocket_urlpatterns  # noqa: E402


class ConcurrencyLimit:
    """Let at most `limit` HTTP requests of this process into Django at once.

    Django runs every synchronous request of an ASGI server in a thread of its own, with a
    database connection of its own: 364 check-in clients arriving together would otherwise make
    364 threads and connections (PostgreSQL refuses beyond max_connections; SQLite's single
    writer lock makes them wait past its timeout). Waiting here costs a suspended coroutine.
    WebSockets are long-lived and are not counted.
    """

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit
        # One per event loop: a semaphore belongs to the loop it first waited in. A server has one
        # loop; tests start several servers in one process, one after the other.
        self._semaphores: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        loop = asyncio.get_running_loop()
        if (semaphore := self._semaphores.get(loop)) is None:
            semaphore = self._semaphores[loop] = asyncio.Semaphore(self.limit)
        async with semaphore:
            return await self.app(scope, receive, send)


application = ProtocolTypeRouter(
    {
        "http": ConcurrencyLimit(django_application, settings.HOINGHI_MAX_CONCURRENT_REQUESTS),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
