"""Incidents, questions and heartbeats: what a service refuses changes nothing."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone

from hoinghi.attendance import services
from hoinghi.attendance.errors import IncidentError, IncidentErrorCode
from hoinghi.attendance.models import Incident, IncidentKind, PointPresence
from hoinghi.conferences import services as conferences


def test_an_incident_of_an_unknown_kind_is_refused(issued, ba_dinh_operator):
    with pytest.raises(IncidentError) as error:
        services.incident_open(actor=ba_dinh_operator, point=issued.ba_dinh_point, kind="earthquake")
    assert error.value.code == IncidentErrorCode.UNKNOWN_KIND
    assert not Incident.objects.exists()


def test_a_heartbeat_that_fails_part_way_leaves_nothing_behind(issued, ba_dinh_operator):
    """The stalled player's incident and the presence's new state go together or not at all."""
    point = issued.ba_dinh_point
    stalled = services.Playback(state="stalled")
    services.point_heartbeat(actor=ba_dinh_operator, point=point, playback=stalled)
    long_ago = timezone.now() - timedelta(minutes=1)
    PointPresence.objects.filter(point=point).update(
        last_seen_at=long_ago, playback_since=long_ago, playback_reported_at=long_ago
    )

    def presence_write_fails(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and "attendance_pointpresence" in sql:
            raise DatabaseError("the disk is full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(presence_write_fails), pytest.raises(DatabaseError):
        services.point_heartbeat(actor=ba_dinh_operator, point=point, playback=stalled)
    assert not Incident.objects.filter(point=point).exists()

    services.point_heartbeat(actor=ba_dinh_operator, point=point, playback=stalled)
    assert Incident.objects.get(point=point).kind == IncidentKind.STALLED


def test_playing_marks_the_link_tested_once_and_keeps_an_operators_tick(issued, ba_dinh_operator, superuser):
    point, host = issued.ba_dinh_point, issued.host
    services.point_heartbeat(actor=ba_dinh_operator, point=point, playback=services.Playback(state="playing"))
    point.refresh_from_db()
    assert point.link_tested_at is not None

    ticked = timezone.now() - timedelta(days=1)
    conferences.point_readiness_mark(actor=superuser, point=host, item="link_tested_at", done=True, at=ticked)
    host.refresh_from_db()
    services.point_heartbeat(actor=superuser, point=host, playback=services.Playback(state="playing"))
    host.refresh_from_db()
    assert host.link_tested_at == ticked
