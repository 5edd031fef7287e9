"""A site operator checks people in on a phone, loses the link, reloads, and the queue syncs."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from hoinghi.attendance.models import Attendance, CheckIn, CheckInOutcome, Headcount
from hoinghi.conferences import services as conferences
from hoinghi.conftest import screenshot
from hoinghi.orgs.models import PositionRole
from hoinghi.orgs.tests.factories import PersonFactory, PositionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ba_dinh(small_conference, small_tree, superuser, make_user):
    """Ba Đình's roster: Nguyễn Văn Chi, Nguyễn Văn Hùng, Nguyễn Văn Lan; and its operator."""
    hung = PersonFactory(unit=small_tree.ba_dinh, family_name="Nguyễn", middle_name="Văn", given_name="Hùng")
    PositionFactory(person=hung, role=PositionRole.objects.get(code="executive_member"))
    conferences.conference_issue(actor=superuser, conference=small_conference.conference)
    operator = make_user()
    conferences.point_operator_add(actor=superuser, point=small_conference.ba_dinh_point, user=operator)
    return small_conference, operator


def _wait_queued(page, count: int, timeout: int = 20_000) -> None:
    expect(page.locator("#checkin")).to_have_attribute("data-queued", str(count), timeout=timeout)


def _check_in(page, query: str, name: str) -> None:
    page.fill("#ci-search", query)
    page.locator("button.ci-person", has_text=name).click()
    page.locator("#ci-answer", has_text=name).wait_for()


def test_an_operator_checks_in_online_and_offline_and_the_queue_survives_a_reload(
    page_for, ba_dinh, live_server
):
    small, operator = ba_dinh
    point = small.ba_dinh_point
    page = page_for(operator, width=390, height=844)
    page.goto(f"{live_server.url}/truc-tiep/diem-cau/{point.pk}/diem-danh/")
    expect(page.locator("#checkin")).to_have_attribute("data-offline-ready", "1", timeout=10_000)
    assert page.locator("#ci-invited").inner_text() == "3"

    _check_in(page, "nguyen van", "Nguyễn Văn Chi")
    assert page.locator("#ci-answer").get_attribute("data-tone") == "ok"
    _wait_queued(page, 0)
    expect(page.locator("#ci-present")).to_have_text("1", timeout=10_000)
    page.fill("#ci-search", "")
    screenshot(page, "checkin-phone-online")

    page.context.set_offline(True)
    _check_in(page, "nguyen van hung", "Nguyễn Văn Hùng")
    _check_in(page, "nguyen van lan", "Nguyễn Văn Lan")
    _wait_queued(page, 2)
    assert page.locator("#ci-queued").inner_text() == "2"
    assert page.locator("#ci-link").get_attribute("data-state") == "offline"
    assert page.locator("#ci-present").inner_text() == "3"
    # The same badge again while offline answers "already checked in" from the device's queue.
    page.fill("#ci-search", "nguyen van lan")
    page.locator("button.ci-person", has_text="Nguyễn Văn Lan").click()
    page.locator("#ci-answer", has_text="Đã điểm danh lúc").wait_for()
    _wait_queued(page, 3)
    page.fill("#ci-search", "")
    screenshot(page, "checkin-phone-offline")
    assert CheckIn.objects.count() == 1

    page.reload()  # served by the service worker; the queue is in IndexedDB
    expect(page.locator("#checkin")).to_have_attribute("data-ready", "1", timeout=10_000)
    assert page.locator("#ci-queued").inner_text() == "3"

    page.context.set_offline(False)
    _wait_queued(page, 0)
    expect(page.locator("#ci-present")).to_have_text("3", timeout=10_000)

    names = {
        attendance.person.full_name: attendance.point_id
        for attendance in Attendance.objects.select_related("person")
    }
    assert names == {name: point.pk for name in ("Nguyễn Văn Chi", "Nguyễn Văn Hùng", "Nguyễn Văn Lan")}
    assert Attendance.objects.count() == 3
    outcomes = sorted(CheckIn.objects.values_list("outcome", flat=True))
    assert outcomes == sorted([CheckInOutcome.PRESENT] * 3 + [CheckInOutcome.ALREADY_PRESENT])
    assert CheckIn.objects.values("id").distinct().count() == 4


def test_in_english_the_page_speaks_english_offline_too_and_reports_reasons_by_code(
    page_for, ba_dinh, live_server
):
    small, operator = ba_dinh
    point = small.ba_dinh_point
    page = page_for(operator, width=390, height=844)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/truc-tiep/diem-cau/{point.pk}/diem-danh/")
    expect(page.locator("#checkin")).to_have_attribute("data-offline-ready", "1", timeout=10_000)

    page.fill("#ci-search", "zz")  # the words come from the JavaScript catalogue
    page.locator(".ci-empty", has_text="Not found on this bridge point's list.").wait_for()

    page.locator("#ci-headcount").evaluate("form => form.closest('details').open = true")
    page.fill("#ci-headcount input[name=present]", "40")
    page.fill('#ci-headcount input[data-reason="business_trip"]', "2")
    page.click("#ci-headcount button[type=submit]")
    page.locator("#ci-headcount .ci-form-result", has_text="Sent.").wait_for()
    assert Headcount.objects.get(point=point).absent_reasons == {"business_trip": 2}

    page.context.set_offline(True)
    page.reload()  # the page, its scripts and the English catalogue come from the service worker
    expect(page.locator("#checkin")).to_have_attribute("data-ready", "1", timeout=10_000)
    page.fill("#ci-search", "zz")
    page.locator(".ci-empty", has_text="Not found on this bridge point's list.").wait_for()
    assert page.locator("#ci-link").inner_text() == "Disconnected"


def test_block_marking_undo_and_the_search_beyond_the_roster_work_without_a_script_error(
    page_for, ba_dinh, live_server, small_tree
):
    small, operator = ba_dinh
    point = small.ba_dinh_point
    walk_in = PersonFactory(unit=small_tree.ba_dinh, family_name="Trần", middle_name="Thị", given_name="Mai")
    page = page_for(operator, width=390, height=844)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/truc-tiep/diem-cau/{point.pk}/diem-danh/")
    expect(page.locator("#checkin")).to_have_attribute("data-ready", "1", timeout=10_000)

    page.click("#ci-block-toggle")  # block mode: choose two, mark them at once
    page.fill("#ci-search", "nguyen van")
    page.locator("button.ci-person", has_text="Nguyễn Văn Chi").click()
    page.locator("button.ci-person", has_text="Nguyễn Văn Hùng").click()
    assert page.locator("#ci-block-count").inner_text() == "2"
    page.click("#ci-block-mark")
    _wait_queued(page, 0)
    expect(page.locator("#ci-present")).to_have_text("2", timeout=10_000)
    page.click("#ci-block-toggle")

    page.locator("#ci-recent button.ci-undo").first.click()  # undo one of them
    page.locator("#ci-answer", has_text="Đã hủy điểm danh").wait_for()
    _wait_queued(page, 0)
    expect(page.locator("#ci-present")).to_have_text("1", timeout=10_000)

    page.fill("#ci-search", "tran thi mai")  # not on the roster: asked of the server
    page.click("#ci-search-people")
    page.locator("button.ci-person", has_text="Trần Thị Mai").click()
    _wait_queued(page, 0)
    page.locator("#ci-answer", has_text="Khách không có giấy mời").wait_for()

    assert Attendance.objects.filter(person=walk_in, is_guest=True).exists()
    assert Attendance.objects.count() == 2
    assert errors == []
