"""An organiser chooses who is invited, checks the preview, issues the invitations and finds
people in the list — on a laptop, then the same pages on a phone."""

import pytest
from playwright.sync_api import expect

from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.models import person_fill_derived

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organiser(small_conference, small_tree, make_user):
    someone = small_conference.people["HCM"]
    someone.family_name, someone.middle_name = "Trần", "Thị"
    person_fill_derived(someone).save()
    return make_user(GrantRole.ORGANISER, small_tree.national)


def test_an_organiser_builds_a_rule_previews_issues_and_searches(
    page_for, organiser, small_conference, live_server
):
    conference = small_conference.conference
    base = f"{live_server.url}/hoi-nghi/{conference.pk}"
    page = page_for(organiser)

    page.goto(f"{base}/doi-tuong/")
    page.click("#rule-create")
    page.fill("input[name=name]", "Chủ tịch công đoàn cơ sở phía Nam")
    page.get_by_label("Chủ tịch công đoàn cơ sở").check()
    page.fill("input[name=within]", "HCM")
    screenshot(page, "invitations-rule-form-desktop")
    page.get_by_role("button", name="Lưu nhóm").click()
    page.wait_for_url(f"{base}/doi-tuong/")
    card = page.locator(".rule-card", has_text="Chủ tịch công đoàn cơ sở phía Nam")
    assert "1 người" in card.inner_text()
    screenshot(page, "invitations-rules-desktop")

    page.goto(f"{base}/xem-truoc/")
    assert page.locator("#preview-total").inner_text() == "7"
    assert "Chủ tịch công đoàn cơ sở phía Nam" in page.locator(".bars").first.inner_text()
    screenshot(page, "invitations-preview-desktop")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#issue")
    page.wait_for_url(f"{base}/danh-sach-moi/")
    page.get_by_text("Đã phát hành giấy mời").first.wait_for()
    page.fill("#invitation-search", "nguyen van")
    expect(page.locator("#invitations")).not_to_contain_text("Trần Thị Dũng", timeout=10_000)
    listed = page.locator("#invitations").inner_text()
    assert "6 người" in listed and "Nguyễn Văn Minh" in listed
    screenshot(page, "invitations-list-desktop")

    phone = page_for(organiser, width=390, height=844)
    for path, name in (
        ("doi-tuong/", "rules"),
        ("xem-truoc/", "preview"),
        ("danh-sach-moi/?q=nguyen+van", "list"),
        ("tong-hop/", "totals"),
        ("hop-thu-di/", "outbox"),
    ):
        phone.goto(f"{base}/{path}")
        screenshot(phone, f"invitations-{name}-phone")
    phone.goto(f"{base}/doi-tuong/them/")
    screenshot(phone, "invitations-rule-form-phone")
