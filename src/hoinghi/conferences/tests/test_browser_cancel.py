"""Cancelling, not deleting, a conference whose invitations went out, in Chromium (issue 17, item 5)."""

import pytest

from hoinghi.conferences import services
from hoinghi.conferences.models import Conference, ConferenceStatus
from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_issued_conference_offers_cancel_with_a_reason_and_no_delete(
    page_for, small_conference, small_tree, make_user, superuser, live_server
):
    conference = small_conference.conference
    services.conference_issue(actor=superuser, conference=conference)
    page = page_for(make_user(GrantRole.ORGANISER, small_tree.national))
    page.on("dialog", lambda dialog: dialog.accept())  # the shared confirmation script, where it runs
    page.goto(f"{live_server.url}/hoi-nghi/{conference.pk}/")
    assert page.locator("#conference-delete").count() == 0
    assert "không thể xóa hội nghị" in page.locator("#no-delete-reason").inner_text()
    assert page.locator("#cancel form").get_attribute("data-confirm")
    page.fill("#cancel-reason", "Hoãn theo chỉ đạo của Đoàn Chủ tịch")
    screenshot(page, "conference-cancel-desktop")
    page.click("#conference-cancel")
    page.locator("#cancelled").wait_for()
    assert "Hoãn theo chỉ đạo của Đoàn Chủ tịch" in page.locator("#cancelled").inner_text()
    assert page.locator("#stepper .cancelled").inner_text().strip().endswith("Đã hủy")
    assert page.locator("#cancel").count() == 0
    screenshot(page, "conference-cancelled-desktop")
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.CANCELLED


def test_a_draft_without_invitations_is_deleted(
    page_for, small_conference, small_tree, make_user, live_server
):
    conference = small_conference.conference
    page = page_for(make_user(GrantRole.ORGANISER, small_tree.national))
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/hoi-nghi/{conference.pk}/")
    page.click("#conference-delete")
    page.wait_for_url(f"{live_server.url}/hoi-nghi/")
    assert "Đã xóa hội nghị" in page.locator(".messages").inner_text()
    assert not Conference.objects.filter(pk=conference.pk).exists()
