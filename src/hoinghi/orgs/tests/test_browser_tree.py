"""The tree, a unit and the people list as a user sees them, on a laptop and on a phone."""

import pytest
from playwright.sync_api import expect

from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organiser(small_tree, make_user):
    PersonFactory(unit=small_tree.grassroots_a, family_name="Nguyễn", middle_name="Văn", given_name="An")
    PersonFactory(unit=small_tree.ba_dinh, family_name="Trần", middle_name="Thị", given_name="Bình")
    return make_user(GrantRole.ORGANISER, small_tree.hanoi)


def test_children_load_when_a_node_is_opened(page_for, organiser, live_server):
    page = page_for(organiser)
    tree = page.locator("#tree")
    tree.get_by_text("Liên đoàn Lao động quận Ba Đình").wait_for()  # the first root opens by itself
    page.locator("summary", has_text="Liên đoàn Lao động quận Ba Đình").locator(".code").click()
    tree.get_by_text("Công đoàn Công ty Điện lực Ba Đình").wait_for()
    assert "Hồ Chí Minh" not in page.content()
    screenshot(page, "tree-desktop")


def test_searching_a_unit_without_accents(page_for, organiser):
    page = page_for(organiser, width=390, height=844)
    page.fill("input[name=q]", "dien luc")
    page.locator("#unit-results").get_by_text("Công đoàn Công ty Điện lực Ba Đình").wait_for()
    screenshot(page, "tree-search-phone")


def test_people_list_search_on_a_phone(page_for, organiser, live_server):
    page = page_for(organiser, width=390, height=844)
    page.goto(f"{live_server.url}/to-chuc/can-bo/")
    page.get_by_text("Trần Thị Bình").wait_for()
    page.fill("input[name=q]", "nguyen van an")
    expect(page.locator("#people")).not_to_contain_text("Trần Thị Bình", timeout=10_000)
    assert "Nguyễn Văn An" in page.locator("#people").inner_text()
    screenshot(page, "people-phone")


def test_unit_page_shows_counts(page_for, organiser, small_tree, live_server):
    page = page_for(organiser)
    page.goto(f"{live_server.url}/to-chuc/don-vi/{small_tree.hanoi.pk}/")
    page.get_by_text("cán bộ trong toàn hệ thống").wait_for()
    assert page.locator(".stat .value").nth(3).inner_text() == "2"
    screenshot(page, "unit-desktop")
