import pytest

from hoinghi.attendance.tests.conftest import *  # noqa: F403
from hoinghi.conferences import services as conferences
from hoinghi.conferences.models import ConferenceStatus
from hoinghi.streaming import services


@pytest.fixture
def live(issued, superuser):
    """The small conference, live, with its stream (and first key)."""
    conference = issued.conference
    conferences.conference_transition(actor=superuser, conference=conference, to_status=ConferenceStatus.LIVE)
    conference.refresh_from_db()
    issued.stream = services.stream_ensure(conference=conference)
    issued.key = services.current_key(issued.stream)
    return issued
