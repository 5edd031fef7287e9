"""Operator accounts made in bulk, in Chromium: the organiser chooses and confirms with the count,
gets the sheet, and an operator's first login leads through the password change (issue 17)."""

import re

import pytest

from hoinghi.conferences import services
from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organiser(small_tree, make_user):
    return make_user(GrantRole.ORGANISER, small_tree.national, username="bantochuc")


def test_the_organiser_confirms_the_count_and_gets_the_hand_over_sheet(
    page_for, organiser, small_conference, live_server, superuser
):
    conference = small_conference.conference
    services.point_update(actor=superuser, point=small_conference.hcm_point, contact_email="kythuat@hcm.vn")
    page = page_for(organiser)
    page.goto(f"{live_server.url}/hoi-nghi/{conference.pk}/diem-cau/")
    assert "3 điểm cầu chưa có" in page.locator("#operator-accounts").inner_text()
    page.click("#operator-accounts")
    page.locator("#operator-accounts-form").wait_for()
    page.locator("details summary").click()
    screenshot(page, "operators-choose-desktop")
    page.check("input[name=which][value=level]")
    page.select_option("select[name=level]", label="Huyện (1)")
    page.click("#operator-accounts-next")
    assert page.locator("#operator-count").inner_text() == "Tạo 1 tài khoản vận hành cho 1 điểm cầu?"
    page.goto(f"{live_server.url}/hoi-nghi/{conference.pk}/diem-cau/tai-khoan-van-hanh/")
    page.check("input[name=delivery][value=email]")
    page.click("#operator-accounts-next")
    assert page.locator("#operator-count").inner_text() == "Tạo 3 tài khoản vận hành cho 3 điểm cầu?"
    assert "thư tới kythuat@hcm.vn" in page.locator("#operator-confirm").inner_text()
    assert page.locator("form[data-confirm]").get_attribute("data-confirm") == "Tạo 3 tài khoản vận hành?"
    screenshot(page, "operators-confirm-desktop")
    phone = page_for(organiser, width=390, height=844)
    phone.goto(f"{live_server.url}/hoi-nghi/{conference.pk}/diem-cau/tai-khoan-van-hanh/")
    screenshot(phone, "operators-choose-phone")

    page.on("dialog", lambda dialog: dialog.accept())  # the shared confirmation script, where it runs
    answers = []

    def keep(route):  # the PDF as sent: Chromium shows it in its viewer, whose page the test would see
        answer = route.fetch()
        answers.append((answer.headers, answer.body()))
        route.fulfill(response=answer)

    page.route("**/tai-khoan-van-hanh/tao/", keep)
    page.click("#operator-create")
    page.wait_for_url("**/tai-khoan-van-hanh/tao/")
    [(headers, pdf)] = answers
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type /Page[^s]", pdf)) == 1
    assert f"tai-khoan-van-hanh-hoi-nghi-{conference.pk}-2-tai-khoan.pdf" in headers["content-disposition"]
    assert all(point.operators.count() == 1 for point in conference.points.all())


def test_a_new_operator_chooses_a_password_then_reaches_their_check_in_page(
    page_for, organiser, small_conference, live_server
):
    point = small_conference.ba_dinh_point
    [account] = services.point_operators_create(
        actor=organiser, conference=small_conference.conference, points=[point]
    )
    page = page_for()
    page.goto(f"{live_server.url}/truc-tiep/diem-cau/{point.pk}/diem-danh/")
    page.fill("#id_username", account.user.username)
    page.fill("#id_password", account.password)
    page.click("button[type=submit]")
    page.locator("#must-change").wait_for()
    assert "/tai-khoan/doi-mat-khau/" in page.url
    screenshot(page, "operators-password-change-desktop")
    page.fill("#id_old_password", account.password)
    page.fill("#id_new_password1", "Diem-cau-Ba-Dinh-2018")
    page.fill("#id_new_password2", "Diem-cau-Ba-Dinh-2018")
    page.click("#password-change-submit")
    page.wait_for_url(f"{live_server.url}/truc-tiep/diem-cau/{point.pk}/diem-danh/")
    screenshot(page, "operators-checkin-after-change-desktop")
    account.user.refresh_from_db()
    assert not account.user.must_change_password
