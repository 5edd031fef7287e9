import socket
import threading
import time

import pytest
import uvicorn

from hoinghi.conferences import services as conferences

# The conference fixtures (small_conference, point_levels) are shared with the conferences app's tests.
from hoinghi.conferences.tests.conftest import *  # noqa: E402, F403


@pytest.fixture
def issued(small_conference, superuser):
    """The small conference with invitations issued and an operator on the Ba Đình point."""
    conferences.conference_issue(actor=superuser, conference=small_conference.conference)
    small_conference.conference.refresh_from_db()
    return small_conference


@pytest.fixture
def ba_dinh_operator(issued, make_user, superuser):
    user = make_user()
    conferences.point_operator_add(actor=superuser, point=issued.ba_dinh_point, user=user)
    return user


@pytest.fixture
def asgi_server(live_server):
    """The ASGI application on a free port; yields its base URL."""
    from hoinghi.asgi import application

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def operator_client(client, ba_dinh_operator):
    client.force_login(ba_dinh_operator)
    return client


@pytest.fixture
def scans_url(issued):
    return f"/api/points/{issued.ba_dinh_point.pk}/scans"
