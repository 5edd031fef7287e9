"""The live dashboard in Chromium, served over ASGI so that its WebSocket is real.

pytest-django's live server speaks WSGI only; the dashboard needs WebSockets, so these tests
run hoinghi.asgi.application under uvicorn in a thread of the test process (the same test
database, as the live server does: the `asgi_server` fixture of conftest.py).
"""

import time

import pytest
from playwright.sync_api import expect

from hoinghi.attendance.tests.live_fixtures import check_in, crowd_fixture  # noqa: F401
from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole

pytestmark = pytest.mark.browser


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


def test_times_are_shown_in_the_conferences_zone_whatever_the_screens_clock(
    crowd, browser, asgi_server, make_user, small_tree
):
    """A screen set to Paris time shows the conference's hours (Hà Nội's), as the reports do."""
    import re
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    small = crowd.small
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    check_in(crowd.operator, small.ba_dinh_point, small.conference, *crowd.ba_dinh_people[:3])
    context = browser.new_context(locale="vi-VN", timezone_id="Europe/Paris")
    try:
        page = context.new_page()
        _login(page, asgi_server, organiser)
        before = datetime.now(UTC)
        page.goto(f"{asgi_server}/truc-tiep/hoi-nghi/{small.conference.pk}/")
        page.wait_for_selector('#live-status[data-state="live"]')
        expect(page.locator("#live-updated")).to_have_text(re.compile(r"\d\d:\d\d:\d\d"))
        after = datetime.now(UTC)
        shown = re.search(r"(\d\d):(\d\d):\d\d", page.inner_text("#live-updated")).group(1, 2)
        zone = ZoneInfo("Asia/Ho_Chi_Minh")
        expected = {moment.astimezone(zone).strftime("%H:%M") for moment in (before, after)}
        assert ":".join(shown) in expected  # Hà Nội is 5 or 6 hours ahead of Paris: never the same
        assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "Europe/Paris"
    finally:
        context.close()
