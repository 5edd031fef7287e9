"""The dashboard's WebSocket against the real ASGI stack (hoinghi.asgi.application)."""

import json
import math
import time
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.conf import settings
from django.test import Client

from hoinghi.asgi import application
from hoinghi.attendance.dashboard import dashboard_snapshot
from hoinghi.attendance.tests.live_fixtures import Socket, check_in, crowd_fixture  # noqa: F401
from hoinghi.core import live
from hoinghi.core.live.consumers import CLOSE_CODE_FORBIDDEN
from hoinghi.core.permissions import GrantRole

pytestmark = pytest.mark.django_db(transaction=True)


def _cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


def _connector(conference_id: int, user=None, *, screen: str = "truc-tiep"):
    """A factory of sockets for the user (the session is made here, outside the event loop), to
    the dashboard, or to the presiding board ("chu-toa") or the moderators' page ("cau-hoi")."""
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    if user is not None:
        headers.append((b"cookie", _cookie(user)))
    return lambda: Socket(application, f"/ws/{screen}/{conference_id}/", headers=headers)


async def _messages_within(communicator, seconds: float) -> list[dict]:
    messages, deadline = [], time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if await communicator.receive_nothing(timeout=min(left, 0.05)):
            continue
        messages.append(await communicator.receive_json_from())
    return messages


def test_an_organiser_connects_and_gets_a_snapshot(crowd, make_user, small_tree):
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)

    socket = _connector(crowd.small.conference.pk, organiser)

    async def scenario():
        communicator = socket()
        connected, _ = await communicator.connect()
        assert connected
        snapshot = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return snapshot

    snapshot = async_to_sync(scenario)()
    assert snapshot["type"] == "snapshot"
    assert snapshot["totals"]["points"] == 3
    assert snapshot["totals"]["invited"] == 56  # 5 committee members, chair A, and the 50
    assert snapshot["totals"]["present"] == 0
    assert not live.broadcaster.groups


def test_a_burst_of_fifty_check_ins_reaches_a_dashboard_as_at_most_two_updates_a_second(
    crowd, make_user, small_tree
):
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    small = crowd.small

    def burst():
        for person in crowd.ba_dinh_people:  # fifty commits, fifty changes
            check_in(crowd.operator, small.ba_dinh_point, small.conference, person)

    socket = _connector(small.conference.pk, organiser)

    async def scenario():
        communicator = socket()
        assert (await communicator.connect())[0]
        first = await communicator.receive_json_from(timeout=5)
        started = time.monotonic()
        await database_sync_to_async(burst)()
        burst_took = time.monotonic() - started
        messages = await _messages_within(communicator, 1.5 - min(burst_took, 0.5))
        took = time.monotonic() - started
        await communicator.disconnect()
        return first, messages, took

    first, messages, took = async_to_sync(scenario)()
    assert first["totals"]["present"] == 0
    assert 1 <= len(messages) <= 1 + took / live.MIN_INTERVAL, (len(messages), took)
    assert messages[-1]["totals"]["present"] == 50
    assert messages[-1]["version"] > first["version"]


def test_a_province_organiser_gets_only_the_points_of_their_subtree(crowd, make_user, small_tree):
    hcm_organiser = make_user(GrantRole.ORGANISER, small_tree.hcm)
    small = crowd.small

    socket = _connector(small.conference.pk, hcm_organiser)

    async def scenario():
        communicator = socket()
        assert (await communicator.connect())[0]
        snapshot = await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(check_in)(
            crowd.operator, small.ba_dinh_point, small.conference, *crowd.ba_dinh_people[:3]
        )
        later = await _messages_within(communicator, 1.5)
        await communicator.disconnect()
        return snapshot, later

    snapshot, later = async_to_sync(scenario)()
    assert [p["id"] for p in snapshot["points"]] == [small.hcm_point.pk]
    assert snapshot["totals"]["invited"] == 2  # the committee members of HCM and District 1
    assert {row["name"] for row in snapshot["provinces"]} == {"Hồ Chí Minh"}
    for message in later:  # Hà Nội's check-ins never show in Hồ Chí Minh's figures
        shown = message["points"] if message["type"] == "snapshot" else message["points_changed"]
        assert {p["id"] for p in shown} <= {small.hcm_point.pk}
        assert message["totals"]["people"] == 0


def test_an_update_carries_every_figure_but_only_the_changed_fields_of_points():
    before = {
        "type": "snapshot",
        "version": 3,
        "totals": {"present": 1},
        "points": [{"id": 1, "name": "A", "present": 1}, {"id": 2, "name": "B", "present": 0}],
    }
    after = {
        "type": "snapshot",
        "version": 5,
        "totals": {"present": 2},
        "points": [{"id": 1, "name": "A", "present": 1}, {"id": 2, "name": "B", "present": 1}],
    }
    previous = (3, {point["id"]: point for point in before["points"]})

    assert live.update_message(after, previous) == {
        "type": "update",
        "version": 5,
        "base": 3,
        "totals": {"present": 2},
        "points_changed": [{"id": 2, "present": 1}],
    }
    # Nothing to compare with, or a point came or went: the whole snapshot.
    assert live.update_message(after, None) is after
    assert live.update_message(after, (3, {1: before["points"][0]})) is after


def test_after_the_first_snapshot_a_dashboard_gets_only_what_changed(crowd, make_user, small_tree):
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    small, people = crowd.small, crowd.ba_dinh_people

    socket = _connector(small.conference.pk, organiser)

    async def scenario():
        communicator = socket()
        assert (await communicator.connect())[0]
        first = await communicator.receive_json_from(timeout=5)
        received = []
        for batch in (people[:3], people[3:5], people[5:6]):
            await database_sync_to_async(check_in)(
                crowd.operator, small.ba_dinh_point, small.conference, *batch
            )
            received += await _messages_within(communicator, 1.3)
        await communicator.disconnect()
        return first, received

    first, received = async_to_sync(scenario)()

    # Applied as the page applies them, the messages give the points of a fresh snapshot.
    points, version = {p["id"]: dict(p) for p in first["points"]}, first["version"]
    for message in received:
        if message["type"] == "snapshot":
            points = {p["id"]: dict(p) for p in message["points"]}
        else:
            assert message["base"] <= version  # nothing was missed
            for change in message["points_changed"]:
                points[change["id"]].update(change)
        version = message["version"]
    fresh = dashboard_snapshot(actor=organiser, conference=small.conference)
    assert points == {p["id"]: p for p in fresh["points"]}
    assert received[-1]["totals"]["present"] == 6

    last = received[-1]
    assert last["type"] == "update"
    assert [change["id"] for change in last["points_changed"]] == [small.ba_dinh_point.pk]
    assert set(last["points_changed"][0]) <= {"id", "present", "last_checkin"}
    assert "points" not in last
    assert len(json.dumps(last)) < len(json.dumps(first))


@pytest.mark.parametrize("who", ["anonymous", "no grant", "other conference"])
def test_anonymous_and_ungranted_users_are_refused_with_4403(crowd, make_user, small_tree, who):
    user = None if who == "anonymous" else make_user()
    conference_id = crowd.small.conference.pk + (1000 if who == "other conference" else 0)
    if who == "other conference":
        user = make_user(GrantRole.ORGANISER, small_tree.national)

    socket = _connector(conference_id, user)

    async def scenario():
        communicator = socket()
        connected, _ = await communicator.connect()
        refusal = await communicator.receive_output(timeout=5)
        output = await communicator.receive_output(timeout=5)
        await communicator.wait()
        return connected, refusal, output

    _connected, refusal, output = async_to_sync(scenario)()
    # The refusal in the API's shape, then the close code the page stops reconnecting on.
    error = json.loads(refusal["text"])
    assert (error["type"], error["code"]) == ("error", "not_found")
    assert set(error) == {"type", "code", "message", "params"}
    assert output["type"] == "websocket.close" and output["code"] == CLOSE_CODE_FORBIDDEN
    assert not live.broadcaster.groups


def test_a_dashboard_outlives_a_quiet_spell_longer_than_the_layers_blocking_read(
    crowd, make_user, small_tree
):
    """The Redis layer waits for messages with a 5 s blocking read: the client's socket timeout
    must be longer, or every dashboard dies after 5 s without news (redis-py 8's default is 5 s)."""
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    small = crowd.small

    socket = _connector(small.conference.pk, organiser)

    async def scenario():
        communicator = socket()
        assert (await communicator.connect())[0]
        await communicator.receive_json_from(timeout=5)
        assert await communicator.receive_nothing(timeout=7, interval=0.5)
        await database_sync_to_async(check_in)(
            crowd.operator, small.ba_dinh_point, small.conference, *crowd.ba_dinh_people[:2]
        )
        later = await _messages_within(communicator, 2)
        await communicator.disconnect()
        return later

    later = async_to_sync(scenario)()
    assert later and later[-1]["totals"]["present"] == 2


def test_when_snapshots_overload_a_process_subtree_groups_slow_down_and_whole_ones_do_not():
    broadcaster = live.Broadcaster()
    assert broadcaster.interval(whole=False) == live.MIN_INTERVAL  # idle: everyone at the same pace

    # Snapshots took 3 s of the last 5: twice the budget.
    now = time.monotonic()
    broadcaster.spent.extend([(now, 1.5), (now, 1.5)])
    assert broadcaster.interval(whole=True) == live.MIN_INTERVAL
    assert broadcaster.interval(whole=False) == 2 * live.MIN_INTERVAL
    broadcaster.spent.extend([(now, 40.0)])
    assert broadcaster.interval(whole=False) == live.SLOWEST_INTERVAL

    # The claim holds a subtree group for the longer interval, a whole group for a second.
    whole, subtree = f"live.test.{uuid.uuid4().hex}", f"live.test.{uuid.uuid4().hex}"
    conference_id = 10**9  # a version of its own in the cache
    live.publish(conference_id)
    subscriptions = {whole: (conference_id, None, True), subtree: (conference_id, None, False)}
    assert {due.group for due in broadcaster.claim(subscriptions, time.time())} == {whole, subtree}
    live.publish(conference_id)
    time.sleep(math.ceil(live.MIN_INTERVAL) + 0.2)  # the file cache (no REDIS_URL) keeps whole seconds
    assert {due.group for due in broadcaster.claim(subscriptions, time.time())} == {whole}


def test_a_tick_claims_every_due_group_at_once_so_that_another_process_takes_none_of_them():
    """The groups of a subject are computed together (their audiences share the figures): one
    process takes them all, not half each."""
    here, there = live.Broadcaster(), live.Broadcaster()  # two server processes
    conference_id = 10**9 + 1
    live.publish(conference_id)
    groups = [f"live.test.{uuid.uuid4().hex}" for _ in range(20)]
    subscriptions = {group: (conference_id, None, n > 0) for n, group in enumerate(groups)}

    assert [due.group for due in here.claim(subscriptions, time.time())] == groups
    assert there.claim(subscriptions, time.time()) == []


# --- Questions from the floor: the presiding board and the moderators ------------------------------


def test_a_question_approved_reaches_a_connected_board_and_the_moderators(crowd, make_user, small_tree):
    from hoinghi.attendance.services import question_ask, question_moderate

    small = crowd.small
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    viewer = make_user(GrantRole.VIEWER, small_tree.national)  # watches the board, does not moderate
    board, moderators = (
        _connector(small.conference.pk, viewer, screen="chu-toa"),
        _connector(small.conference.pk, organiser, screen="cau-hoi"),
    )

    def ask_and_approve():
        question = question_ask(
            actor=crowd.operator, point=small.ba_dinh_point, text="Chỉ tiêu chia thế nào?"
        )
        return question_moderate(actor=organiser, question=question, status="approved")

    async def scenario():
        screen, moderation = board(), moderators()
        assert (await screen.connect())[0] and (await moderation.connect())[0]
        opening = await screen.receive_json_from(timeout=5)
        opening_moderation = await moderation.receive_json_from(timeout=5)
        started = time.monotonic()
        question = await database_sync_to_async(ask_and_approve)()
        on_board = None
        while on_board is None and time.monotonic() - started < 5:
            message = await screen.receive_json_from(timeout=5)
            on_board = next((q for q in message["questions"] if q["id"] == question.pk), None)
        took = time.monotonic() - started
        told = await _messages_within(moderation, 1.5)
        await screen.disconnect()
        await moderation.disconnect()
        return opening, opening_moderation, on_board, took, told

    opening, opening_moderation, on_board, took, told = async_to_sync(scenario)()
    assert opening["type"] == "snapshot" and opening["questions"] == [] and opening["current_item"] is None
    assert on_board == {
        "id": on_board["id"],
        "item": None,
        "text": "Chỉ tiêu chia thế nào?",
        "asker": small.ba_dinh_point.name,
        "answered": False,
        "merged_points": [],
    }
    assert took < 2 * live.MIN_INTERVAL + 1
    assert opening_moderation["counts"]["pending"] == 0
    assert told[-1]["counts"]["approved"] == 1 and told[-1]["latest"] == on_board["id"]
    assert told[-1]["version"] > opening_moderation["version"]


@pytest.mark.parametrize("screen", ["chu-toa", "cau-hoi", "cau-hoi-xem"])
def test_who_may_not_watch_the_board_or_moderate_is_refused_with_4403(crowd, make_user, small_tree, screen):
    # A viewer watches the board (and reads the questions) but does not moderate; a provincial
    # organiser does neither.
    user = (
        make_user(GrantRole.VIEWER, small_tree.national)
        if screen == "cau-hoi"
        else make_user(GrantRole.ORGANISER, small_tree.hanoi)
    )
    socket = _connector(crowd.small.conference.pk, user, screen=screen)

    async def scenario():
        communicator = socket()
        await communicator.connect()
        refusal = await communicator.receive_output(timeout=5)
        closed = await communicator.receive_output(timeout=5)
        await communicator.wait()
        return refusal, closed

    refusal, closed = async_to_sync(scenario)()
    assert json.loads(refusal["text"])["code"] == "forbidden"
    assert closed["type"] == "websocket.close" and closed["code"] == CLOSE_CODE_FORBIDDEN
