"""The readiness figures agree with themselves (issue 17): the overview's "vấn đề cần xử lý"
counts the lines of its "Cần xử lý" list, and a point's checklist says the same on its page, on
the readiness page and in the points list."""

import re

import pytest
from django.urls import reverse

from hoinghi.conferences import services


@pytest.fixture
def issued(small_conference, superuser):
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    small_conference.conference.refresh_from_db()
    return small_conference


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_overview_counts_every_line_it_lists_to_handle(client, issued, superuser):
    client.force_login(superuser)
    page = client.get(reverse("conferences:detail", args=[issued.conference.pk])).content.decode()
    figure = re.search(r'href="#problems"><div class="value">(\d+)</div>', page).group(1)
    listed = re.search(r'<section class="card" id="problems">(.*?)</section>', page, re.S).group(1)
    lines = listed.count("<li>")
    assert lines >= 1  # no point is ready
    assert int(figure) == lines


def test_a_confirmation_without_an_operator_is_not_counted_and_every_page_agrees(
    client, issued, superuser, make_user
):
    point = issued.ba_dinh_point
    operator = make_user()
    services.point_operator_add(actor=superuser, point=point, user=operator)
    services.point_readiness_mark(actor=operator, point=point, item="operator_confirmed_at", done=True)
    services.point_readiness_mark(actor=operator, point=point, item="equipment_ready_at", done=True)
    services.point_operator_remove(actor=superuser, point=point, user=operator)
    client.force_login(superuser)

    detail = client.get(reverse("conferences:point_detail", args=[issued.conference.pk, point.pk]))
    html = detail.content.decode()
    done = re.findall(r'<li class="done" data-check="(\w+)"', html)
    assert "operator_confirmed_at" not in done  # confirmed by nobody now: not beside "no operator"
    assert "equipment_ready_at" in done and "units" in done
    checks = len(re.findall(r'data-check="', html))
    assert checks == 6
    assert re.search(r'id="checklist-count">(\d+)/(\d+)<', html).groups() == (str(len(done)), "6")

    listed = _text(client.get(reverse("conferences:points", args=[issued.conference.pk])))
    assert f"{point.name} " in listed
    row = listed.split(point.name, 1)[1]
    assert f"thiếu {checks - len(done)} mục" in row.split("Điểm cầu", 1)[0]

    readiness = _text(client.get(reverse("conferences:readiness", args=[issued.conference.pk])))
    row = readiness.split(point.name)[-1]
    assert "người vận hành chưa xác nhận" in row and "chưa có người vận hành" in row
    assert "thiết bị chưa sẵn sàng" not in row.split("Tiếng Việt")[0]


def test_a_point_with_more_invitees_than_seats_is_warned_about(client, issued, superuser):
    point = issued.hcm_point  # two invitees: Dũng and Hà
    services.point_update(actor=superuser, point=point, capacity=1)
    client.force_login(superuser)
    detail = client.get(reverse("conferences:point_detail", args=[issued.conference.pk, point.pk]))
    assert 'id="over-capacity"' in detail.content.decode()
    overview = client.get(reverse("conferences:detail", args=[issued.conference.pk])).content.decode()
    assert 'id="over-capacity"' in overview and "Điểm cầu Hồ Chí Minh (2/1)" in overview
    readiness = client.get(reverse("conferences:readiness", args=[issued.conference.pk])).content.decode()
    assert 'id="over-capacity"' in readiness

    services.point_update(actor=superuser, point=point, capacity=2)  # exactly full is fine
    detail = client.get(reverse("conferences:point_detail", args=[issued.conference.pk, point.pk]))
    assert 'id="over-capacity"' not in detail.content.decode()
    assert (
        'id="over-capacity"'
        not in client.get(reverse("conferences:detail", args=[issued.conference.pk])).content.decode()
    )
