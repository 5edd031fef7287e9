"""An organiser builds a conference in the interface, from nothing to a ready bridge point, on a
laptop; each page is also looked at on a phone."""

import pytest

from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organiser(small_tree, make_user, point_levels):
    PersonFactory(
        unit=small_tree.national, code="CB-0001", family_name="Nguyễn", middle_name="Đình", given_name="Khang"
    )
    organiser = make_user(GrantRole.ORGANISER, small_tree.national, username="bantochuc")
    # An account the organiser made: the operator form finds only accounts within their reach.
    make_user(username="vanhanh", first_name="Vận", last_name="Hành", created_by=organiser)
    return organiser


def test_organiser_builds_a_conference_and_its_bridge_point_becomes_ready(page_for, organiser, live_server):
    page = page_for(organiser)
    phone = page_for(organiser, width=390, height=844)

    def both(name):
        screenshot(page, f"conference-{name}-desktop")
        phone.goto(page.url)
        screenshot(phone, f"conference-{name}-phone")

    page.goto(f"{live_server.url}/hoi-nghi/")
    page.click("#conference-create")
    page.fill("#id_title", "Hội nghị trực tuyến quán triệt Nghị quyết Đại hội XII")
    page.fill("#id_subject", "Học tập, quán triệt Nghị quyết Đại hội XII Công đoàn Việt Nam")
    page.fill("#id_starts_at", "06/12/2018 08:00")
    page.fill("#id_ends_at", "06/12/2018 11:30")
    screenshot(page, "conference-create-desktop")
    page.click("form.form button[type=submit]")
    page.locator("#stepper").wait_for()
    assert "Đã tạo hội nghị" in page.locator(".messages").inner_text()
    both("overview")

    page.click("nav.tabs >> text=Chương trình")
    page.select_option("#id_kind", "opening")
    page.fill("#id_title", "Khai mạc hội nghị")
    page.fill("#id_planned_start", "08:00")
    page.fill("#id_planned_end", "08:15")
    page.click("#new-item button[type=submit]")
    page.get_by_text("Đã thêm “Khai mạc hội nghị”").wait_for()
    page.select_option("#id_kind", "topic")
    page.fill("#id_title", "Chuyên đề 1: Những nội dung cơ bản của Nghị quyết")
    page.fill("#id_planned_start", "08:15")
    page.fill("#id_planned_end", "09:30")
    page.click("#new-item button[type=submit]")
    page.get_by_text("Đã thêm “Chuyên đề 1").wait_for()
    topic = page.locator(".programme-item").nth(1)
    topic.locator("summary").click()
    topic.locator("input[name=person]").fill("CB-0001")
    topic.locator("input[name=title]").fill("Phó Chủ tịch Tổng Liên đoàn")
    topic.locator(".presenter-form button[type=submit]").click()
    page.locator(".presenters").get_by_text("Nguyễn Đình Khang").wait_for()
    assert page.locator(".programme-item").count() == 2
    both("programme")

    page.click("nav.tabs >> text=Điểm cầu")
    page.click("#point-create")
    page.fill("#id_name", "Điểm cầu Cung Văn hóa hữu nghị Việt Xô")
    page.select_option("#id_level", label="Trung ương")
    page.fill("#id_unit", "TLD")
    page.check("#id_is_host")
    page.fill("#id_address", "91 Trần Hưng Đạo, Hà Nội")
    page.fill("#id_capacity", "1700")
    page.fill("#id_contact_name", "Trần Văn Kỹ")
    page.fill("#id_contact_phone", "0912345678")
    screenshot(page, "conference-point-create-desktop")
    page.click("form.form button[type=submit]")
    page.locator("#checklist").wait_for()
    page.fill("#operator-add", "vanhanh")
    page.click("#operators button[type=submit]")
    page.get_by_text("Đã thêm người vận hành vanhanh").wait_for()
    for item in ("operator_confirmed_at", "equipment_ready_at", "link_tested_at"):
        page.click(f"button[data-item={item}]")
        page.locator(f"button[data-item={item}]", has_text="Bỏ đánh dấu").wait_for()
    assert page.locator("#checklist .badge").inner_text() == "6/6"  # every item, as the points list counts
    both("point")

    page.click("nav.tabs >> text=Điểm cầu")
    page.locator("#points").get_by_text("sẵn sàng", exact=True).wait_for()
    both("points")

    page.click("nav.tabs >> text=Sẵn sàng")
    assert page.locator(".big-figure").inner_text().replace(" ", "") == "1/1"
    page.get_by_text("Tất cả điểm cầu đã sẵn sàng.").wait_for()
    both("readiness")

    page.goto(f"{live_server.url}/hoi-nghi/")
    page.get_by_text("Hội nghị trực tuyến quán triệt").wait_for()
    both("list")


@pytest.mark.parametrize("width", [1280, 1366])
def test_every_tab_of_a_conference_is_in_sight_on_a_laptop(
    page_for, small_conference, superuser, live_server, width
):
    """Fifteen tabs in one scrolling row hid the last ones: grouped by stage, they all show."""
    page = page_for(superuser, width=width, password="mat-khau-thu-nghiem")
    page.goto(f"{live_server.url}/hoi-nghi/{small_conference.conference.pk}/")
    tabs = page.locator("nav.tabs a")
    assert tabs.count() >= 14
    for index in range(tabs.count()):
        box = tabs.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, tabs.nth(
            index
        ).inner_text()
    assert page.evaluate(
        "(() => { const n = document.querySelector('nav.tabs'); return n.scrollWidth <= n.clientWidth; })()"
    )
    groups = page.locator("nav.tabs .tab-group-label").all_inner_texts()
    assert [g.casefold() for g in groups] == ["chuẩn bị", "mời", "diễn ra", "sau hội nghị"]
