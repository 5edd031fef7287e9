"""The dashboard and the entry form in Chromium: what a reporter sees, under the page's
Content-Security-Policy (`page_for` fails on any refusal), at desktop and phone widths."""

import pytest

from hoinghi.conftest import screenshot

pytestmark = pytest.mark.browser


def test_a_reporter_enters_a_value_and_sees_it_on_the_dashboard(
    page_for, live_server, small_tree, reporting, reporter, enter
):
    enter(small_tree.grassroots_b, {"enterprises": 4, "agreements:A": 3})
    page = page_for(reporter(small_tree.national))
    dataset, period = reporting.dataset.pk, reporting.year.pk
    page.goto(f"{live_server.url}/chi-tieu/nhap/{dataset}/{small_tree.grassroots_a.pk}/{period}/")
    page.fill('[name="v-enterprises"]', "2")
    page.fill('[name="v-agreements:A"]', "1")
    page.click('button[name="save"]')
    page.wait_for_selector(".msg-success")
    page.goto(f"{live_server.url}/chi-tieu/don-vi/{small_tree.national.pk}/?xep=agreements-a")
    row = page.locator("tr", has_text="Tỷ lệ thỏa ước loại A").first
    assert "66,7%" in row.inner_text()  # 4 of 6 enterprises, not the mean of 50 % and 75 %
    screenshot(page, "resolutions-dashboard")
    phone = page_for(reporter(small_tree.hanoi), width=390, height=844)
    phone.goto(f"{live_server.url}/chi-tieu/nhap/{dataset}/{small_tree.grassroots_a.pk}/{period}/")
    assert phone.input_value('[name="v-enterprises"]') == "2"
    screenshot(phone, "resolutions-entry-phone")


def test_the_dashboard_draws_its_charts_and_map_under_the_csp(
    page_for, live_server, small_tree, reporting, reporter, enter
):
    for period in (reporting.last_year, reporting.year):
        enter(small_tree.grassroots_a, {"admitted": 4, "enterprises": 4, "agreements:A": 1}, period)
        enter(small_tree.grassroots_b, {"admitted": 6, "enterprises": 6, "agreements:A": 4}, period)
    for unit, (lat, lon) in ((small_tree.hanoi, (21.03, 105.85)), (small_tree.hcm, (10.78, 106.70))):
        unit.province.latitude, unit.province.longitude = lat, lon
        unit.province.save()
    page = page_for(reporter(small_tree.national))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/chi-tieu/don-vi/{small_tree.national.pk}/?xep=agreements-a")
    page.wait_for_selector(".trend-chart canvas")
    assert page.locator(".trend-chart canvas").count() == 3  # a chart per indicator
    page.wait_for_selector("#ranking canvas")
    page.wait_for_selector("#indicator-map .leaflet-interactive")  # Hà Nội's and HCM's markers
    assert page.locator("#indicator-map path.leaflet-interactive").count() == 2
    row = page.locator("tr[data-code='new-members']")
    assert "đúng tiến độ" in row.inner_text() or "chậm tiến độ" in row.inner_text()
    assert errors == []
    screenshot(page, "resolutions-dashboard-charts")


def test_a_district_of_many_units_shows_one_page_of_the_ranking_and_the_next(
    page_for, live_server, small_tree, reporting, reporter, enter
):
    from hoinghi.orgs.tests.factories import UnitFactory
    from hoinghi.resolutions.figures import RANKED_PAGE
    from hoinghi.resolutions.services.recompute import counts_recompute

    for number in range(RANKED_PAGE + 5):
        unit = UnitFactory(
            parent=small_tree.ba_dinh, kind=small_tree.grassroots_a.kind, name=f"Công đoàn {number:03d}"
        )
        if number % 3:
            enter(unit, {"enterprises": 10, "agreements:A": number % 10})
    counts_recompute()  # the factories write units as a bulk load does
    page = page_for(reporter(small_tree.hanoi))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/chi-tieu/don-vi/{small_tree.ba_dinh.pk}/?xep=agreements-a")
    page.wait_for_selector("#ranking canvas")
    assert page.locator("#ranked tbody tr").count() == RANKED_PAGE
    assert f"Hạng 1–{RANKED_PAGE} trên {RANKED_PAGE + 6} đơn vị" in page.locator("#ranked").inner_text()
    assert "Trang 1/2" in page.locator("#ranked").inner_text()
    page.click("#ranked a[rel=next]")
    page.wait_for_selector("#ranking canvas")
    assert page.locator("#ranked tbody tr").count() == 6  # 55 and Ba Đình's first union: 56 in all
    assert page.locator("#ranked tbody tr td").first.inner_text() == str(RANKED_PAGE + 1)
    assert (
        f"Hạng {RANKED_PAGE + 1}–{RANKED_PAGE + 6} trên {RANKED_PAGE + 6} đơn vị"
        in page.locator("#ranked").inner_text()
    )
    assert errors == []
    screenshot(page, "resolutions-dashboard-district-page-2")
