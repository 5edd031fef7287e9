"""Add to calendar (issue 17): the invitation as an iCalendar event, in the conference's zone,
with RFC 5545's escaping and line folding; served from the personal page's token."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from hoinghi.conferences import services
from hoinghi.conferences.documents.calendar import CalendarEvent, escape, event_ics, fold
from hoinghi.conferences.models import Invitation

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def test_text_is_escaped_as_rfc_5545_says():
    assert escape('Hội nghị; "khóa XII", phần 1\\2\nDòng hai') == (
        'Hội nghị\\; "khóa XII"\\, phần 1\\\\2\\nDòng hai'
    )


def test_long_lines_fold_at_75_octets_between_characters():
    line = "SUMMARY:" + "Quán triệt Nghị quyết Đại hội XII Công đoàn Việt Nam " * 3
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if index else part for index, part in enumerate(parts)) == line


def test_the_event_is_in_the_conference_zone_whatever_the_server_says():
    event = CalendarEvent(
        uid="invitation-1@hoinghi.congdoan.vn",
        title="Hội nghị trực tuyến, toàn quốc; quán triệt",
        starts_at=datetime(2018, 12, 6, 1, 0, tzinfo=UTC),  # 08:00 in Hà Nội
        ends_at=None,
        zone=HANOI,
        location="Cung Văn hóa hữu nghị Việt Xô, 91 Trần Hưng Đạo",
        description="Dòng một\nDòng hai",
        url="https://hoinghi.congdoan.vn/moi/abc/",
    )
    text = event_ics(event, now=datetime(2018, 12, 1, tzinfo=UTC)).decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20181206T080000" in unfolded
    assert "DTEND;TZID=Asia/Ho_Chi_Minh:20181206T120000" in unfolded
    assert "TZOFFSETTO:+0700" in unfolded and "TZID:Asia/Ho_Chi_Minh" in unfolded
    assert "SUMMARY:Hội nghị trực tuyến\\, toàn quốc\\; quán triệt" in unfolded
    assert "DESCRIPTION:Dòng một\\nDòng hai" in unfolded
    assert "DTSTAMP:20181201T000000Z" in unfolded


@pytest.mark.django_db
def test_the_personal_page_offers_the_event(client, small_conference, superuser):
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    invitation = Invitation.objects.get(
        conference=small_conference.conference, person=small_conference.people["HCM"]
    )
    page = client.get(reverse("personal:invitation_page", args=[invitation.token])).content.decode()
    url = reverse("personal:invitation_calendar", args=[invitation.token])
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode().replace("\r\n ", "")
    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20181206T080000" in text
    assert "LOCATION:Điểm cầu Hồ Chí Minh" in text
    assert f"/moi/{invitation.token}/" in text
    assert client.get(reverse("personal:invitation_calendar", args=["khong-co"])).status_code == 404


@pytest.mark.django_db
def test_the_personal_page_names_the_day_in_words(client, small_conference, superuser):
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    invitation = Invitation.objects.get(
        conference=small_conference.conference, person=small_conference.people["HCM"]
    )
    page = client.get(reverse("personal:invitation_page", args=[invitation.token])).content.decode()
    assert "Thứ Năm, 06/12/2018" in page and "Thứ 5" not in page
