"""Figures an operator and an organiser read in Chromium (issue 17): the check-in page says how
many are invited before (or without) its roster, and a full attendance bar is green, not red."""

import pytest
from playwright.sync_api import expect

from hoinghi.attendance.tests.live_fixtures import check_in, crowd_fixture  # noqa: F401
from hoinghi.conferences.models import Invitation
from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole

pytestmark = pytest.mark.browser

RED = "rgb(179, 25, 31)"  # --brand and --bad
GREEN = "rgb(31, 122, 58)"  # --ok


@pytest.mark.django_db(transaction=True)
def test_the_check_in_page_counts_the_invited_even_while_its_roster_has_not_come(
    crowd, page_for, live_server
):
    point = crowd.small.ba_dinh_point
    page = page_for(crowd.operator, width=390, height=844)
    page.route("**/roster*", lambda route: route.abort())  # a link too weak for the roster
    page.goto(f"{live_server.url}/truc-tiep/diem-cau/{point.pk}/diem-danh/")
    page.wait_for_timeout(1500)  # the page's scripts have run and asked for the roster
    assert page.locator("#ci-invited").inner_text() == "52"  # Chi, Hùng's colleagues: 2 + 50
    screenshot(page, "checkin-roster-not-come")


@pytest.mark.django_db(transaction=True)
def test_a_full_attendance_bar_is_green_not_red(crowd, page_for, asgi_server, make_user, small_tree):
    small = crowd.small
    organiser = make_user(GrantRole.ORGANISER, small_tree.hcm)  # sees Hồ Chí Minh only
    invitations = Invitation.objects.filter(conference=small.conference, point=small.hcm_point)
    invited = [invitation.person for invitation in invitations.select_related("person")]
    assert invited
    check_in(crowd.hcm_operator, small.hcm_point, small.conference, *invited)
    page = page_for(None)
    page.goto(f"{asgi_server}/tai-khoan/dang-nhap/")
    page.fill("#id_username", organiser.username)
    page.fill("#id_password", "mat-khau-thu-nghiem")
    page.click("button[type=submit]")
    page.wait_for_url(f"{asgi_server}/to-chuc/")
    page.goto(f"{asgi_server}/truc-tiep/hoi-nghi/{small.conference.pk}/")
    page.wait_for_selector('#live-status[data-state="live"]')
    meter = page.locator("#present-meter")
    expect(meter).to_have_attribute("data-full", "")
    colour = meter.evaluate("node => getComputedStyle(node).backgroundColor")
    assert colour == GREEN and colour != RED
    assert page.locator("#present-percent").evaluate("node => getComputedStyle(node).color") == GREEN
    fills = page.locator("#province-bars .hbar-fill")
    assert fills.count() >= 1
    for index in range(fills.count()):
        assert fills.nth(index).evaluate("node => getComputedStyle(node).backgroundColor") != RED
    screenshot(page, "dashboard-full-attendance")
