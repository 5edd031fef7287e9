"""One invitee's link and QR code for the organiser to copy or read out on the phone (issue 17):
for those who may send the invitation; refused to whoever only sees it, not found elsewhere."""

import pytest
from django.urls import reverse

from hoinghi.conferences import services
from hoinghi.conferences.models import Invitation
from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole


@pytest.fixture
def issued(small_conference, superuser):
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    return small_conference


def _invitation(issued, code="HCM"):
    return Invitation.objects.get(conference=issued.conference, person=issued.people[code])


@pytest.mark.parametrize(
    ("role", "unit", "status"),
    [
        (GrantRole.ORGANISER, "national", 200),
        (GrantRole.ORGANISER, "hcm", 200),  # sends the invitations of their province
        (GrantRole.VIEWER, "national", 403),  # sees the invitation, may not send it
        (GrantRole.ORGANISER, "hanoi", 404),  # another province's invitee
    ],
)
def test_who_sees_an_invitees_link(client, issued, make_user, small_tree, role, unit, status):
    client.force_login(make_user(role, getattr(small_tree, unit)))
    invitation = _invitation(issued)
    response = client.get(reverse("conferences:invitation_link", args=[issued.conference.pk, invitation.pk]))
    assert response.status_code == status
    html = response.content.decode()
    assert (invitation.token in html) is (status == 200)
    if status == 200:
        assert f'/moi/{invitation.token}/qr.svg"' in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_organiser_opens_an_invitees_link_from_the_list_and_copies_it(
    page_for, issued, superuser, live_server, settings
):
    settings.HOINGHI_BASE_URL = live_server.url
    invitation = _invitation(issued)
    page = page_for(superuser)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}{reverse('conferences:invitations', args=[issued.conference.pk])}")
    page.locator(f"#invitation-{invitation.pk} a.invitation-link").click()
    page.locator("#invitation-link-value").wait_for()
    link = f"{live_server.url}/moi/{invitation.token}/"
    assert page.input_value("#invitation-link-value") == link
    # The QR code is an image of its own request: wait for it to arrive, then that it drew.
    page.wait_for_function("() => document.querySelector('#invitation-qr').complete", timeout=15_000)
    assert page.locator("#invitation-qr").evaluate("img => img.naturalWidth > 0")
    page.bring_to_front()  # the clipboard takes writes from the focused page only
    page.get_by_role("button", name="Chép").click()
    page.get_by_role("button", name="Đã chép").wait_for()
    copied = ""
    for _ in range(30):  # the write settles asynchronously; a loaded machine takes longer
        copied = page.evaluate("navigator.clipboard.readText()")
        if copied == link:
            break
        page.wait_for_timeout(100)
    assert copied == link
    screenshot(page, "invitation-link")

    personal = page.context.new_page()
    personal.goto(link)
    with personal.expect_download() as download:
        personal.click("#add-to-calendar")
    content = open(download.value.path(), encoding="utf-8").read()
    assert (
        content.startswith("BEGIN:VCALENDAR") and "DTSTART;TZID=Asia/Ho_Chi_Minh:20181206T080000" in content
    )
