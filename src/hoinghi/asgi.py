"""ASGI entry point: `uvicorn hoinghi.asgi:application` — HTTP through Django, WebSockets through Channels."""

import asyncio
import os
import weakref
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import django
from asgiref.sync import sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.http import FileResponse
from django.urls import set_script_prefix

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoinghi.settings")
django.setup(set_prefix=False)  # before the consumers are imported


class OneThreadASGIHandler(ASGIHandler):
    """Django's ASGI handler, with the whole of a request's synchronous work in one thread hop.

    Every view and middleware of hoinghi is synchronous. Django's own handler runs the middleware
    chain in async mode: the request-started signal in a thread, the sync middlewares in a thread,
    back to the event loop for the view's async adapter, into a thread again for the view, and the
    response's close in a thread once more: six hand-overs between the event loop and a thread for
    a page (tests/test_asgi.py counts them), about 0.8 ms of a check-in's 9 ms of CPU
    (docs/benchmarks.md). Here the body is read on the event loop, then signal, middleware, view
    and close run in one call to the request's thread, and the answer is sent from the event loop.

    The threads are kept: Django's handler runs each request in a `ThreadSensitiveContext`, which
    starts a thread for the request and another to join it when the request ends (about a tenth
    of a check-in's CPU). Here a request's work runs in a pool of `limit` threads made once per
    process, which is what the context gave each request: one thread, for the whole request. Each
    thread keeps its database connection wrapper between requests, as a WSGI server's threads do;
    the connection itself goes back to the pool when the request finishes (`request_finished`).

    What this gives up: Django's handler notices a client that disconnects while an *async* view
    runs and cancels it; a synchronous view runs to the end in either handler.
    """

    def __init__(self, *, threads: int):
        BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        self.threads = threads
        self._executor: ThreadPoolExecutor | None = None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django serves HTTP only, not {scope['type']}.")
        await self.handle(scope, receive, send)

    def _in_thread(self, function):
        if self._executor is None:  # made in the serving process, not where the module was imported
            self._executor = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="request")
        return sync_to_async(function, thread_sensitive=False, executor=self._executor)

    async def handle(self, scope, receive, send):
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        with closing(body_file):
            response = await self._in_thread(self._respond)(scope, body_file)
            await self.send_response(response, send)
            if response.streaming:
                await self._in_thread(response.close)()

    def _respond(self, scope, body_file):
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.get_response(request)
            response._handler_class = self.__class__
            if isinstance(response, FileResponse):
                response.block_size = self.chunk_size
        if not response.streaming:
            response.close()  # the content is in memory; closing ends the request (signals)
        return response


from django.conf import settings  # noqa: E402
from django.urls import get_resolver  # noqa: E402

django_application = OneThreadASGIHandler(threads=settings.HOINGHI_MAX_CONCURRENT_REQUESTS)

# The URL configuration, every view module it imports and the API's routers are loaded as the
# worker starts, not by its first request: that request (a value entered, a scan) paid 0.35 s for
# them, and a dashboard waiting for it saw the change that much later (docs/benchmarks.md).
get_resolver().reverse_dict  # noqa: B018 - read for its side effect: the URL patterns resolved

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

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
