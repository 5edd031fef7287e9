"""The live dashboard in Chromium, served over ASGI so that its WebSocket is real.

pytest-django's live server speaks WSGI only; the dashboard needs WebSockets, so these tests
run hoinghi.asgi.application under uvicorn in a thread of the test process (the same test
database, as the live server does).
"""

import socket
import threading
import time

import pytest
import uvicorn
from playwright.sync_api import expect

from hoinghi.attendance.tests.live_fixtures import check_in, crowd_fixture  # noqa: F401
from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole

pytestmark = pytest.mark.browser


@pytest.fixture
def asgi_server(live_server):
    """The ASGI application on a free port; yields its base URL."""
    from hoinghi.asgi import application

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _login(page, base_url, user):
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "mat-khau-thu-nghiem")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/to-chuc/")


def test_a_check_in_shows_on_the_dashboard_within_two_seconds(
    crowd, page_for, asgi_server, make_user, small_tree
):
    small = crowd.small
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    check_in(crowd.operator, small.ba_dinh_point, small.conference, *crowd.ba_dinh_people[:20])
    page = page_for(None)
    _login(page, asgi_server, organiser)
    page.goto(f"{asgi_server}/truc-tiep/hoi-nghi/{small.conference.pk}/")
    page.wait_for_selector('#live-status[data-state="live"]')
    assert page.inner_text("#present-figure") == "20"

    started = time.monotonic()
    check_in(crowd.operator, small.ba_dinh_point, small.conference, *crowd.ba_dinh_people[20:23])
    expect(page.locator("#present-figure")).to_have_text("23", timeout=2000)
    assert time.monotonic() - started < 2
    assert page.locator("#province-bars li").count() >= 1

    # Later messages are updates carrying only the points that changed; the page merges them.
    polled = []
    page.on("request", lambda request: "/live" in request.url and polled.append(request.url))
    page.click("#point-table summary")
    ba_dinh_row = page.locator("#point-rows tr", has_text=small.ba_dinh_point.name)
    check_in(crowd.operator, small.ba_dinh_point, small.conference, *crowd.ba_dinh_people[23:25])
    expect(page.locator("#present-figure")).to_have_text("25", timeout=3000)
    assert ba_dinh_row.locator("td.num").first.inner_text() == "25"
    assert page.locator("#point-rows tr").count() == 3
    assert not polled  # merged, not fetched again
    page.click("#point-table summary")
    page.wait_for_timeout(300)  # the map's outline
    screenshot(page, "dashboard-1280")

    phone = page_for(None, width=390, height=844)
    _login(phone, asgi_server, organiser)
    phone.goto(f"{asgi_server}/truc-tiep/hoi-nghi/{small.conference.pk}/")
    phone.wait_for_selector('#live-status[data-state="live"]')
    assert phone.inner_text("#present-figure") == "25"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.wait_for_timeout(300)
    screenshot(phone, "dashboard-390")
