"""The pages under their Content-Security-Policy in Chromium: nothing refused, nothing broken.

A confirmation that was an inline `onsubmit` still asks (core's behaviour.js, data-confirm), the
board's item list still switches on change (data-autosubmit), the invitee's page runs its self
check-in and the video player (hls.js makes a blob: worker and fetches from the media server), and
the live dashboard draws its map and follows its WebSocket. The pages are served over ASGI
(uvicorn in a thread, on the live server's database) so that the WebSocket is real.

A refusal shows both as a console message ("Refused to ... because it violates the following
Content Security Policy directive") and as a `securitypolicyviolation` event, which a script
injected by the test (Playwright's init scripts are not subject to the page's policy) records.
"""

import socket
import threading
import time

import pytest
import uvicorn
from django.conf import settings
from playwright.sync_api import expect

from hoinghi.conferences import services as conferences
from hoinghi.conferences.models import BridgePoint, ConferenceStatus, Invitation, ProgrammeItemKind
from hoinghi.conftest import screenshot
from hoinghi.streaming import services as streaming

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture(scope="module")
def asgi_server(live_server):
    """hoinghi.asgi.application on a free port, on the live server's database; its base URL."""
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


@pytest.fixture
def watched(browser):
    """watched(base_url, user=None) -> (page, problems): a page whose policy refusals and script
    errors are collected in `problems`, logged in as `user` when given."""
    contexts = []

    def make(base_url: str, user=None):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        contexts.append(context)
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        page.set_default_timeout(10_000)
        problems = []
        page.on(
            "console",
            lambda message: (
                problems.append(message.text)
                if "Content Security Policy" in message.text or "Refused to" in message.text
                else None
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        if user is not None:
            page.goto(f"{base_url}/tai-khoan/dang-nhap/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", "mat-khau-thu-nghiem")
            page.click("button[type=submit]")
            page.wait_for_url(f"{base_url}/to-chuc/")
        return page, problems

    yield make
    for context in contexts:
        context.close()


def _refused(page, problems) -> list[str]:
    return problems + page.evaluate("window.__violations")


def test_a_delete_still_asks_first_and_only_goes_ahead_when_confirmed(
    watched, asgi_server, small_conference, superuser
):
    conference, point = small_conference.conference, small_conference.hcm_point
    page, problems = watched(asgi_server, superuser)
    page.goto(f"{asgi_server}/hoi-nghi/{conference.pk}/diem-cau/{point.pk}/")
    asked = []

    def dismiss(dialog):
        asked.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Xóa điểm cầu").click()
    page.wait_for_timeout(300)  # a form that went anyway would be on its way by now
    assert asked == [("confirm", "Xóa điểm cầu này?")]
    assert page.url.endswith(f"/diem-cau/{point.pk}/")
    assert BridgePoint.objects.filter(pk=point.pk).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Xóa điểm cầu").click()
    page.wait_for_url(f"{asgi_server}/hoi-nghi/{conference.pk}/diem-cau/")
    assert not BridgePoint.objects.filter(pk=point.pk).exists()
    assert _refused(page, problems) == []


def test_the_board_switches_item_when_one_is_chosen(watched, asgi_server, small_conference, superuser):
    conference = small_conference.conference
    item = conferences.programme_item_create(
        actor=superuser, conference=conference, kind=ProgrammeItemKind.TOPIC, title="Chuyên đề 1"
    )
    page, problems = watched(asgi_server, superuser)
    page.goto(f"{asgi_server}/truc-tiep/hoi-nghi/{conference.pk}/chu-toa/")
    page.select_option("#board-item-select", str(item.pk))
    page.wait_for_url(f"**/chu-toa/?muc={item.pk}")
    assert page.locator("#board-item").inner_text() == "1. Chuyên đề 1"
    assert _refused(page, problems) == []


@pytest.fixture
def live_with_video(issued, superuser):
    """The small conference live, its picture from our media server (not running here: the
    player's requests to it fail, which is not a refusal of the policy)."""
    conference = issued.conference
    conferences.conference_transition(actor=superuser, conference=conference, to_status=ConferenceStatus.LIVE)
    streaming.stream_ensure(conference=conference)
    return issued


def test_the_invitees_page_runs_its_self_check_in_and_player(watched, asgi_server, live_with_video):
    invitation = Invitation.objects.get(
        conference=live_with_video.conference, person=live_with_video.people["HN-BD"]
    )
    page, problems = watched(asgi_server)
    with page.expect_request(lambda request: request.url.startswith(settings.STREAM_PLAY_URL)):
        page.goto(f"{asgi_server}/moi/{invitation.token}/")  # hls.js asks the media server
    page.get_by_role("button", name="Tôi đã có mặt").click()
    expect(page.locator("#self-checkin-result")).not_to_be_empty()  # what the server answered
    page.wait_for_timeout(500)  # the player's worker and retries
    screenshot(page, "csp-invitation-page")
    assert _refused(page, problems) == []


def test_the_live_dashboard_draws_and_follows_its_websocket(watched, asgi_server, issued, superuser):
    page, problems = watched(asgi_server, superuser)
    page.goto(f"{asgi_server}/truc-tiep/hoi-nghi/{issued.conference.pk}/")
    page.wait_for_selector('#live-status[data-state="live"]')  # the WebSocket is open
    page.wait_for_selector(".leaflet-container svg path")  # the map's outline was fetched and drawn
    screenshot(page, "csp-dashboard")
    assert _refused(page, problems) == []


def test_the_admin_works_under_the_policy(watched, asgi_server, small_tree, superuser):
    """Where grants are given (docs/operations.md): Django's admin runs no inline script either."""
    page, problems = watched(asgi_server, superuser)
    page.goto(f"{asgi_server}/admin/")
    page.goto(f"{asgi_server}/admin/orgs/unit/")
    page.get_by_role("link", name=small_tree.hanoi.name).first.click()
    page.wait_for_url("**/change/")
    page.goto(f"{asgi_server}/admin/accounts/grant/add/")
    page.locator("#grant_form").wait_for()
    page.wait_for_load_state("networkidle")  # the admin's scripts ran
    assert _refused(page, problems) == []
