"""Fixtures of the live dashboard's tests: a crowd invited to the small conference."""

import json
import uuid
from dataclasses import dataclass

import pytest
from asgiref.testing import ApplicationCommunicator
from django.utils import timezone

from hoinghi.attendance.services import ScanInput, checkins_record
from hoinghi.conferences import services as conferences
from hoinghi.conferences.models import Invitation
from hoinghi.orgs.models import PositionRole
from hoinghi.orgs.tests.factories import PersonFactory, PositionFactory


@dataclass
class Crowd:
    small: object  # SmallConference
    ba_dinh_people: list  # committee members of Ba Đình, invited to the Ba Đình point
    operator: object  # operator of the Ba Đình point
    hcm_operator: object


@pytest.fixture(name="crowd")
def crowd_fixture(small_conference, superuser, make_user, small_tree) -> Crowd:
    """The small conference issued with 50 more committee members in Ba Đình."""
    committee = PositionRole.objects.get(code="executive_member")
    people = []
    for n in range(50):
        person = PersonFactory(unit=small_tree.ba_dinh, given_name=f"Người{n:02d}")
        PositionFactory(person=person, role=committee)
        people.append(person)
    conferences.conference_issue(actor=superuser, conference=small_conference.conference)
    small_conference.conference.refresh_from_db()
    operator, hcm_operator = make_user(), make_user()
    conferences.point_operator_add(actor=superuser, point=small_conference.ba_dinh_point, user=operator)
    conferences.point_operator_add(actor=superuser, point=small_conference.hcm_point, user=hcm_operator)
    return Crowd(small_conference, people, operator, hcm_operator)


def scan_of(conference, person, at=None) -> ScanInput:
    token = Invitation.objects.get(conference=conference, person=person).token
    return ScanInput(id=uuid.uuid4(), method="qr", token=token, scanned_at=at or timezone.now())


def check_in(actor, point, conference, *people, at=None):
    return checkins_record(actor=actor, point=point, scans=[scan_of(conference, p, at) for p in people])


class Socket(ApplicationCommunicator):
    """A WebSocket client of an ASGI application, as channels.testing's WebsocketCommunicator
    (which cannot be imported without daphne, which hoinghi does not use)."""

    def __init__(self, application, path: str, headers: list | None = None):
        super().__init__(
            application,
            {
                "type": "websocket",
                "path": path,
                "query_string": b"",
                "headers": headers or [],
                "subprotocols": [],
            },
        )

    async def connect(self, timeout: float = 5) -> tuple[bool, int | None]:
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        assert response["type"] == "websocket.accept"
        return True, None

    async def receive_json_from(self, timeout: float = 1) -> dict:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def disconnect(self, code: int = 1000, timeout: float = 5) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)
