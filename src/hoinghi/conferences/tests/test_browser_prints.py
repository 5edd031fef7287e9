"""The point page follows a background print of its invitations in Chromium (issue 17, item 3)."""

import pytest
from django.core.cache import cache

from hoinghi.conferences import services
from hoinghi.conferences.models import InvitationPrint, PrintStatus
from hoinghi.conferences.tests.test_views_prints import _invite
from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_point_page_shows_the_count_follows_the_progress_and_offers_the_file(
    page_for, small_conference, small_tree, make_user, live_server
):
    small, point = small_conference, small_conference.host
    _invite(small, point, 620)
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    # A print under way, as the worker leaves it between two reports.
    job = InvitationPrint.objects.create(
        conference=small.conference,
        point=point,
        requested_by=organiser,
        total=620,
        status=PrintStatus.RUNNING,
    )
    cache.set(services.print_progress_key(job.pk), {"done": 250, "total": 620})
    page = page_for(organiser)
    page.goto(f"{live_server.url}/hoi-nghi/{small.conference.pk}/diem-cau/{point.pk}/#invitation-prints")
    assert "620" in page.locator("#invitations-count").inner_text()
    assert page.locator("#invitation-print progress").get_attribute("value") == "250"
    assert page.locator("#invitation-print-request").is_disabled()
    screenshot(page, "invitation-print-running-desktop")

    services.invitation_print_build(job=job)  # the worker finishes: the page reloads by itself
    page.locator("#invitation-print-file").wait_for(timeout=8_000)
    assert f"giay-moi-diem-cau-{point.pk}-620-giay.pdf" in page.locator("#invitation-print-file").inner_text()
    assert "620 giấy mời trong một tệp PDF (620 trang)" in page.locator("#invitation-print-file").inner_text()
    screenshot(page, "invitation-print-done-desktop")
