"""The organisers' stream page reads: opening it, or its status that htmx polls, makes nothing
(a GET changes nothing); the stream and its first key are made by the page's button, a POST."""

from django.urls import reverse

from hoinghi.core.models import AuditEntry
from hoinghi.streaming.models import Stream, StreamKey


def test_opening_the_stream_page_makes_no_stream(client, issued, superuser):
    client.force_login(superuser)
    conference = issued.conference
    page = client.get(reverse("streaming:manage", args=[conference.pk]))
    status = client.get(reverse("streaming:status", args=[conference.pk]))
    assert (page.status_code, status.status_code) == (200, 200)
    assert 'id="stream-not-made"' in page.content.decode()
    assert not Stream.objects.exists() and not StreamKey.objects.exists()


def test_the_page_button_makes_the_stream_with_its_first_key(client, issued, superuser):
    client.force_login(superuser)
    conference = issued.conference
    made = client.post(reverse("streaming:create", args=[conference.pk]))
    assert made.status_code == 302
    stream = Stream.objects.get(conference=conference)
    (key,) = stream.keys.all()
    assert AuditEntry.objects.filter(type="streaming.stream.created").count() == 1
    client.post(reverse("streaming:create", args=[conference.pk]))  # twice: still one of each
    assert Stream.objects.count() == 1 and StreamKey.objects.count() == 1
    page = client.get(reverse("streaming:manage", args=[conference.pk]))
    assert key.secret in page.content.decode()


def test_a_viewer_of_the_conference_may_not_make_its_stream(client, issued, make_user, small_tree):
    viewer = make_user("viewer", small_tree.national)
    client.force_login(viewer)
    page = client.get(reverse("streaming:manage", args=[issued.conference.pk]))
    assert page.status_code == 200
    assert reverse("streaming:create", args=[issued.conference.pk]) not in page.content.decode()
    refused = client.post(reverse("streaming:create", args=[issued.conference.pk]))
    assert (refused.status_code, refused.context["code"]) == (403, "forbidden")
    assert not Stream.objects.exists()


def test_the_rehearsal_window_is_typed_dd_mm_yyyy(client, issued, superuser):
    """Not a datetime-local picker, which shows the order of the browser's locale (issue 17)."""
    client.force_login(superuser)
    client.post(reverse("streaming:create", args=[issued.conference.pk]))
    body = client.get(reverse("streaming:manage", args=[issued.conference.pk])).content.decode()
    assert 'name="rehearsal_starts_at"' in body
    assert "datetime-local" not in body
    assert 'placeholder="06/12/2018 08:00"' in body
