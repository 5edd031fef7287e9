"""The statistics page's live view against the real ASGI stack (hoinghi.asgi.application): a
snapshot on connect, an update when a report is submitted, marked or released, its figures those of
the page, the watcher's subtree only; and the polling endpoint for a page whose socket is down."""

import time

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.conf import settings
from django.test import Client
from django.urls import reverse

from hoinghi.asgi import application
from hoinghi.attendance.tests.live_fixtures import Socket
from hoinghi.core.live.consumers import CLOSE_CODE_FORBIDDEN
from hoinghi.core.permissions import GrantRole
from hoinghi.learning_reports import services
from hoinghi.learning_reports.live import StatisticsAudience, statistics_snapshot
from hoinghi.learning_reports.models import Report
from hoinghi.learning_reports.statistics import table_rows, unit_statistics
from hoinghi.learning_reports.tests.conftest import levels_for, submit

pytestmark = pytest.mark.django_db(transaction=True)


def _socket(conference_id: int, unit_id: int, user):
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost"), (b"cookie", cookie.encode())]
    return Socket(application, f"/ws/bai-thu-hoach/{conference_id}/{unit_id}/", headers=headers)


async def _until(communicator, wanted, seconds: float = 5) -> dict:
    """The first message within `seconds` for which `wanted(message)` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        message = await communicator.receive_json_from(timeout=deadline - time.monotonic())
        if wanted(message):
            return message
    raise AssertionError("no such message")


def _mark_lan(writing, reviewer):
    report = Report.objects.get(assignment=writing.assignment, invitation=writing.invitations["Lan"])
    services.marking_save(
        actor=reviewer,
        marking_id=report.markings.get(state="allocated").pk,
        levels=levels_for(writing.assignment, [6, 4]),
        comments={},
    )


def test_an_organiser_follows_submission_marking_and_release_live(marking, small_tree, make_user, superuser):
    organiser = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    reviewer = make_user(GrantRole.REVIEWER, small_tree.hanoi)
    conference = marking.conference
    socket = _socket(conference.pk, small_tree.hanoi.pk, organiser)
    ba_dinh = small_tree.ba_dinh.pk

    def cells(message):
        return next(point["cells"] for point in message["points"] if point["id"] == ba_dinh)

    async def scenario():
        assert (await socket.connect())[0]
        first = await socket.receive_json_from(timeout=5)
        await database_sync_to_async(submit)(marking, "Lan")
        submitted = await _until(socket, lambda m: m["own"][1] == 1)
        await database_sync_to_async(_mark_lan)(marking, reviewer)
        marked = await _until(socket, lambda m: m["own"][3] == 1)
        await database_sync_to_async(services.results_release)(
            actor=superuser, assignment=marking.assignment, unit=small_tree.hanoi
        )
        released = await _until(socket, lambda m: m["own"][4] == 1)
        await socket.disconnect()
        return first, submitted, marked, released

    first, submitted, marked, released = async_to_sync(scenario)()
    assert first["type"] == "snapshot" and first["own"][:2] == [2, 0] and first["missing"] == 2
    assert cells(first)[:2] == [2, 0]  # Chi and Lan are present, so they must write
    assert submitted["missing"] == 1 and submitted["version"] > first["version"]
    assert marked["own"][5] == 1  # Xuất sắc
    assert released["own"][4] == 1
    page = unit_statistics(actor=organiser, assignment=marking.assignment, unit=small_tree.hanoi)
    assert [cells for cells, _total in table_rows(page)][0][1:] == released["own"]


def test_a_watcher_outside_the_subtree_is_refused_and_one_beside_it_sees_only_theirs(
    marking, small_tree, make_user
):
    conference = marking.conference
    hcm_organiser = make_user(GrantRole.ORGANISER, small_tree.hcm)

    outside = _socket(conference.pk, small_tree.hanoi.pk, hcm_organiser)
    own = _socket(conference.pk, 0, hcm_organiser)

    async def refused():
        socket = outside
        await socket.connect()
        error = await socket.receive_json_from(timeout=5)
        closed = await socket.receive_output(timeout=5)
        return error, closed

    error, closed = async_to_sync(refused)()
    assert error["type"] == "error" and error["code"] == "not_found"
    assert closed["code"] == CLOSE_CODE_FORBIDDEN

    async def top():
        socket = own
        assert (await socket.connect())[0]
        snapshot = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return snapshot

    snapshot = async_to_sync(top)()
    assert [point["id"] for point in snapshot["points"]] == [small_tree.hcm.pk]
    assert snapshot["own"] is None and snapshot["total"][0] == 0  # nobody of theirs was present


def test_the_polling_endpoint_answers_the_sockets_snapshot(marking, small_tree, make_user, client):
    organiser = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    submit(marking, "Lan")
    client.force_login(organiser)
    url = reverse("learning_reports:statistics_live", args=[marking.conference.pk])
    polled = client.get(url, {"don-vi": small_tree.hanoi.pk}).json()
    from hoinghi.core.permissions import reach

    audience = StatisticsAudience(
        reach(organiser, "learning_reports.view_reports"),
        small_tree.hanoi.pk,
        tuple(
            row.unit.pk
            for row in unit_statistics(
                actor=organiser, assignment=marking.assignment, unit=small_tree.hanoi
            ).rows
        ),
    )
    direct = statistics_snapshot(marking.conference, audience)
    assert {key: polled[key] for key in direct} == direct
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hcm))
    assert client.get(url, {"don-vi": small_tree.hanoi.pk}).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
