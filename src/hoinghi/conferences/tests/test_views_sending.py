"""Mass sending through the real pages: the count is shown and confirmed before anything goes, by
e-mail and by SMS; and who may send for which part of the tree."""

from datetime import datetime

import pytest
from django.urls import reverse

from hoinghi.conferences import services
from hoinghi.conferences.models import OutboxMessage, SmsMessage, SmsStatus
from hoinghi.conferences.tests.conftest import ZONE
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.models import PositionRole
from hoinghi.orgs.tests.factories import PersonFactory, PositionFactory


def url(name, conference):
    return reverse(f"conferences:{name}", args=[conference.pk])


@pytest.fixture
def sms_files(settings, tmp_path):
    settings.HOINGHI_SMS_BACKEND = "hoinghi.conferences.sms.backends.filebased.SmsBackend"
    settings.HOINGHI_SMS_FILE_PATH = str(tmp_path)
    return tmp_path


@pytest.fixture
def issued(small_conference, small_tree, superuser):
    """Issued, with one more HCM committee member who has a phone only (the fixture's grassroots
    chair is the other), and one in Ba Đình with a number that is not one."""
    committee = PositionRole.objects.get(code="executive_member")
    for unit, phone in ((small_tree.hcm, "0987 000 001"), (small_tree.ba_dinh, "12345")):
        PositionFactory(person=PersonFactory(unit=unit, phone=phone, email=""), role=committee)
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    small_conference.conference.refresh_from_db()
    return small_conference


def test_the_sms_count_is_shown_before_anything_is_sent_then_sent_on_confirmation(
    client, issued, small_tree, make_user, sms_files, django_capture_on_commit_callbacks
):
    conference = issued.conference
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.national))
    outbox = client.get(url("outbox", conference))
    assert outbox.status_code == 200 and outbox.context["sms_summary"].not_texted == 3

    # The outbox's form asks the confirmation page, which states the count and sends nothing.
    page = client.get(
        url("send_confirm", conference), {"channel": "sms", "point": "", "audience": "no_email"}
    )
    html = page.content.decode()
    assert page.context["count"] == 3 and page.context["invalid"] == 1
    assert "Gửi tin nhắn mời cho 3 người?" in html and 'name="expected" value="3"' in html
    assert "1 số điện thoại không hợp lệ" in html
    assert not SmsMessage.objects.exists()

    # A post without the confirmed count goes back to that page.
    response = client.post(url("send_sms", conference))
    assert response.status_code == 302 and response["Location"].startswith(url("send_confirm", conference))
    assert not SmsMessage.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("send_sms", conference), {"expected": "3", "audience": "no_email"})
    assert response.status_code == 302
    assert SmsMessage.objects.filter(status=SmsStatus.SENT).count() == 2
    assert SmsMessage.objects.filter(status=SmsStatus.INVALID).count() == 1
    written = "".join(path.read_text(encoding="utf-8") for path in sms_files.iterdir())
    assert "To: +84987000001" in written and "To: +84900000001" in written
    outbox = client.get(url("outbox", conference))
    assert outbox.context["sms_summary"].sent == 2
    assert "12345" in outbox.content.decode()  # the invalid number is listed to be corrected


def test_the_email_count_is_shown_before_anything_is_sent(
    client, issued, small_tree, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    conference = issued.conference
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.national))
    page = client.get(url("send_confirm", conference), {"channel": "email"})
    assert page.context["count"] == 5
    assert "Gửi thư mời cho 5 người?" in page.content.decode()
    response = client.post(url("send_emails", conference))
    assert response.status_code == 302 and "channel=email" in response["Location"]
    assert not OutboxMessage.objects.exists() and not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("send_emails", conference), {"expected": "5"})
    assert len(mailoutbox) == 5


def test_a_count_that_changed_since_the_confirmation_sends_nothing(
    client, issued, small_tree, make_user, sms_files
):
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.national))
    response = client.post(url("send_sms", issued.conference), {"expected": "7"})
    assert response.status_code == 400
    assert not SmsMessage.objects.exists()


def test_a_provincial_organiser_texts_only_their_subtree(
    client, issued, small_tree, make_user, sms_files, django_capture_on_commit_callbacks
):
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hcm))
    page = client.get(url("send_confirm", issued.conference), {"channel": "sms"})
    assert page.context["count"] == 1  # not the Hà Nội grassroots chair, nor the Ba Đình number
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("send_sms", issued.conference), {"expected": "1"})
    assert list(SmsMessage.objects.values_list("to", flat=True)) == ["+84987000001"]


def test_an_organiser_of_another_province_cannot_send_for_this_conference(
    client, small_tree, superuser, make_user, sms_files, point_levels
):
    conference = services.conference_create(
        actor=superuser,
        organising_unit=small_tree.hcm,
        title="Hội nghị của Thành phố",
        starts_at=datetime(2018, 12, 6, 8, 0, tzinfo=ZONE),
    )
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hanoi))
    assert client.get(url("send_confirm", conference), {"channel": "sms"}).status_code == 404
    assert client.post(url("send_sms", conference), {"expected": "0"}).status_code == 404
    assert client.post(url("send_emails", conference), {"expected": "0"}).status_code == 404


def test_a_viewer_sees_the_outbox_but_cannot_send(client, issued, small_tree, make_user, sms_files):
    client.force_login(make_user(GrantRole.VIEWER, small_tree.hcm))
    assert client.get(url("outbox", issued.conference)).status_code == 200
    assert client.get(url("send_confirm", issued.conference), {"channel": "sms"}).status_code == 403
    assert client.post(url("send_sms", issued.conference), {"expected": "1"}).status_code == 403
    assert not SmsMessage.objects.exists()


def test_a_point_of_another_province_is_not_found(client, issued, small_tree, make_user, sms_files):
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hcm))
    response = client.get(
        url("send_confirm", issued.conference), {"channel": "sms", "point": issued.ba_dinh_point.pk}
    )
    assert response.status_code == 404
