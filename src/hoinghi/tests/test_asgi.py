"""The HTTP side of hoinghi.asgi.application: a request's synchronous work in one thread hop."""

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync
from django.core import signals

from hoinghi.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


def call(path: str, *, method: str = "GET", body: bytes = b"", headers=()) -> dict:
    """Send one HTTP request through the ASGI application; the status, headers and body."""
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict] = []

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()  # the client stays connected; nothing more comes

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    async_to_sync(application)(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return {"status": start["status"], "headers": dict(start["headers"]), "body": body, "messages": sent}


@pytest.fixture
def hops(monkeypatch):
    """How many times the event loop handed work to a thread."""
    from asgiref.sync import SyncToAsync

    counted = [0]
    original = SyncToAsync.__call__

    async def counting(self, *args, **kwargs):
        counted[0] += 1
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counting)
    return counted


@pytest.fixture
def threads():
    """The thread each request signal ran in."""
    seen: dict[str, list[int]] = {"started": [], "finished": []}

    def started(**kwargs):
        seen["started"].append(threading.get_ident())

    def finished(**kwargs):
        seen["finished"].append(threading.get_ident())

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    yield seen
    signals.request_started.disconnect(started)
    signals.request_finished.disconnect(finished)


def test_a_page_is_served_with_its_start_and_end_in_one_thread(threads, hops):
    answer = call("/tai-khoan/dang-nhap/")

    assert hops[0] == 1  # Django's own handler: six here (signal, middleware, view, close...)
    assert answer["status"] == 200
    assert "Đăng nhập".encode() in answer["body"]
    assert len(threads["started"]) == len(threads["finished"]) == 1
    # One hop: the request started and ended in the same thread (Django's own handler sends each
    # signal from a thread hop of its own).
    assert threads["started"] == threads["finished"]


def test_requests_run_in_the_process_s_kept_threads_not_a_new_one_each(threads):
    """Django's handler starts a thread for each request (and one more to join it); here the
    requests of a process share a pool of HOINGHI_MAX_CONCURRENT_REQUESTS threads."""
    from django.conf import settings

    before = threading.active_count()
    for _ in range(3 * settings.HOINGHI_MAX_CONCURRENT_REQUESTS):
        assert call("/tai-khoan/dang-nhap/")["status"] == 200

    served_by = set(threads["started"])
    assert len(threads["started"]) == 3 * settings.HOINGHI_MAX_CONCURRENT_REQUESTS
    assert len(served_by) <= settings.HOINGHI_MAX_CONCURRENT_REQUESTS
    names = {thread.name for thread in threading.enumerate() if thread.ident in served_by}
    assert names and all(name.startswith("request") for name in names)
    assert threading.active_count() <= before + settings.HOINGHI_MAX_CONCURRENT_REQUESTS


def test_a_posted_body_reaches_the_view_and_a_refusal_is_the_vietnamese_page(threads):
    answer = call(
        "/tai-khoan/dang-nhap/",
        method="POST",
        body=b"username=x&password=y",
        headers=[(b"content-type", b"application/x-www-form-urlencoded")],
    )

    assert answer["status"] == 403  # no CSRF cookie: the one error page, in Vietnamese
    assert "Không".encode() in answer["body"] or "không".encode() in answer["body"]
    assert len(threads["finished"]) == 1


def test_an_api_error_is_json_through_the_handler(threads):
    answer = call("/api/points/999999/roster")

    assert answer["status"] in (401, 403, 404)
    assert answer["headers"][b"Content-Type"].startswith(b"application/json")
    assert len(threads["finished"]) == 1


def test_a_streamed_file_is_sent_whole_and_the_request_ends_after_it(threads, django_user_model):
    from django.test import Client

    user = django_user_model.objects.create_user("to-chuc", password="mat-khau-rat-dai-2018")
    client = Client()
    client.force_login(user)
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    threads["started"].clear()
    threads["finished"].clear()

    answer = call("/to-chuc/nhap/mau-units.xlsx", headers=[(b"cookie", cookie.encode())])

    assert answer["status"] == 200, answer["body"][:300]
    assert answer["body"][:2] == b"PK"  # a whole .xlsx (a zip), sent in chunks
    assert answer["messages"][-1]["type"] == "http.response.body"
    assert not answer["messages"][-1].get("more_body", False)
    assert len(threads["finished"]) == 1


def test_a_worker_loads_the_url_configuration_and_the_views_as_it_starts():
    """What a server process imports (hoinghi.asgi) includes the URL configuration and the views,
    so its first request does not pay for them."""
    import subprocess
    import sys

    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, hoinghi.asgi; "
            "print(all(m in sys.modules for m in ('hoinghi.urls', 'hoinghi.attendance.api', "
            "'hoinghi.resolutions.views')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "True", loaded.stderr
