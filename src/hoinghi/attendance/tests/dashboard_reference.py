"""The dashboard's snapshot as it was computed before issue 13: one set of queries per audience.

Kept as the tests' reference: `dashboard.snapshot_assemble` cuts every audience's snapshot from
figures computed once (`dashboard.conference_figures`), and must give exactly what these queries
give for each audience alone (`test_dashboard`). Nothing outside the tests imports it.
"""

from collections import Counter
from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncMinute
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.attendance.dashboard import Audience
from hoinghi.attendance.dashboard.snapshot import (
    TIMELINE_MAX_MINUTES,
    VIDEO_TROUBLE,
    _incident,
    _iso,
    _levels,
    _point,
)
from hoinghi.attendance.models import Attendance, Headcount, Incident
from hoinghi.conferences.models import BridgePoint, Conference, Invitation, InvitationStatus
from hoinghi.core import extensions
from hoinghi.orgs.selectors import person_ids_under


def points_q(audience: Audience, prefix: str = "") -> Q:
    """Which bridge points this audience sees (`prefix` to reach the point from another model)."""
    if audience.everything:
        return Q()
    conditions = [Q(**{f"{prefix}unit__path__under": path}) for path in audience.paths]
    if audience.operated:
        conditions.append(Q(**{f"{prefix}pk__in" if not prefix else f"{prefix}id__in": audience.operated}))
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


def people_q(audience: Audience, prefix: str = "") -> Q:
    """Which invitees and attendees: people of the granted subtrees, and the rosters of the
    operated points."""
    if audience.everything:
        return Q()
    conditions = (
        [Q(**{f"{prefix}person_id__in": person_ids_under(paths=audience.paths)})] if audience.paths else []
    )
    if audience.operated:
        conditions.append(Q(**{f"{prefix}point_id__in": audience.operated}))
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


def snapshot_queried(*, audience: Audience, conference: Conference, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    point_rows = _point_rows(conference, audience)
    attendances = Attendance.objects.filter(conference=conference)
    point_ids = [row["id"] for row in point_rows]
    attended = _attended_by_point(attendances, audience, point_ids)
    visible = (
        attendances
        if audience.everything
        else attendances.filter(Q(point_id__in=point_ids) | people_q(audience))
    )
    invitations = _active_invitations(conference, audience)
    provinces = _present_by_province(invitations)
    categories = _present_by_category(invitations)
    incidents = _open_incidents(conference, audience)
    incidents_by_point = Counter(incident["point_id"] for incident in incidents)
    points = [
        _point(row, attended.get(row["id"], {}), incidents_by_point[row["id"]], now) for row in point_rows
    ]
    return {
        "type": "snapshot",
        "conference": {"id": conference.pk, "title": conference.title, "status": conference.status},
        "generated_at": now.isoformat(),
        "scope": "all" if audience.covers(conference) else "subtree",
        "totals": _totals(points, visible, provinces, incidents),
        "levels": _levels(point_rows, points),
        "provinces": provinces,
        "categories": categories,
        "incidents": [_incident(incident) for incident in incidents],
        "timeline": _timeline(visible),
        "points": points,
        **{
            key: build(conference=conference, now=now)
            for key, build in extensions.keyed_parts("attendance.dashboard_snapshot")
        },
    }


def _point_rows(conference: Conference, audience: Audience) -> list[dict]:
    """The audience's points with their unit's province, last heartbeat and player report, the
    number invited there and their last reported headcount: one query."""
    latest = Headcount.objects.filter(point=OuterRef("pk")).order_by("-reported_at", "-id")
    return list(
        BridgePoint.objects.filter(conference=conference)
        .filter(points_q(audience))
        .values(
            "id",
            "name",
            "is_host",
            "level__code",
            "level__name",
            "level__rank",
            "unit__province_id",
            "unit__parent__province_id",
            "unit__province__short_name",
            "unit__province__latitude",
            "unit__province__longitude",
            "presence__last_seen_at",
            "presence__queued_scans",
            "presence__playback",
            "presence__playback_since",
            "presence__playback_reported_at",
            "presence__playback_delay",
        )
        .annotate(
            invited=Count("invitations", filter=Q(invitations__status=InvitationStatus.ACTIVE)),
            reported=Subquery(latest.values("present")[:1]),
            reported_at=Subquery(latest.values("reported_at")[:1]),
        )
        .order_by("-is_host", "level__rank", "name", "id")
    )


def _attended_by_point(attendances, audience: Audience, point_ids: list[int]) -> dict[int, dict]:
    """Point id -> people present there, guests among them, last check-in."""
    at_points = attendances if audience.everything else attendances.filter(point_id__in=point_ids)
    return {
        row["point_id"]: row
        for row in at_points.values("point_id").annotate(
            present=Count("id"), guests=Count("id", filter=Q(is_guest=True)), last=Max("checked_in_at")
        )
    }


def _active_invitations(conference: Conference, audience: Audience):
    """The audience's active invitations, each marked present if its person is anywhere."""
    return (
        Invitation.objects.filter(conference=conference, status=InvitationStatus.ACTIVE)
        .filter(people_q(audience))
        .annotate(
            is_present=Exists(
                Attendance.objects.filter(conference=conference, person_id=OuterRef("person_id"))
            )
        )
    )


def _present_by_province(invitations) -> list[dict]:
    return [
        {
            "id": row["person__unit__province_id"],
            "name": row["person__unit__province__short_name"] or _("Trung ương"),
            "invited": row["invited"],
            "present": row["present"],
        }
        for row in invitations.values("person__unit__province_id", "person__unit__province__short_name")
        .annotate(invited=Count("id"), present=Count("id", filter=Q(is_present=True)))
        .order_by("person__unit__province__code")
    ]


def _present_by_category(invitations) -> list[dict]:
    """By eligibility rule (an invitee of two rules counts in both; explicit invitees apart)."""
    return [
        {
            "id": row["rules__id"],
            "name": row["rules__name"] or _("Mời thêm"),
            "invited": row["invited"],
            "present": row["present"],
        }
        for row in invitations.values("rules__id", "rules__name", "rules__order")
        .annotate(invited=Count("id"), present=Count("id", filter=Q(is_present=True)))
        .order_by("rules__order", "rules__id")
    ]


def _open_incidents(conference: Conference, audience: Audience) -> list[dict]:
    return list(
        Incident.objects.filter(point__conference=conference, closed_at__isnull=True)
        .filter(points_q(audience, "point__"))
        .values("id", "point_id", "point__name", "kind", "note", "opened_at")
        .order_by("opened_at", "id")
    )


def _timeline(visible) -> list[dict]:
    """Check-ins per minute, oldest first, the last TIMELINE_MAX_MINUTES minutes with any."""
    timeline = [
        {"t": _iso(row["minute"]), "n": row["n"]}
        for row in visible.annotate(minute=TruncMinute("checked_in_at"))
        .values("minute")
        .annotate(n=Count("id"))
        .order_by("-minute")[:TIMELINE_MAX_MINUTES]
    ]
    timeline.reverse()
    return timeline


def _totals(points: list[dict], visible, provinces: list[dict], incidents: list[dict]) -> dict:
    people = visible.aggregate(
        people=Count("person_id", distinct=True),
        guests=Count("person_id", distinct=True, filter=Q(is_guest=True)),
    )
    multi_point = (
        visible.values("person_id").annotate(n=Count("point_id", distinct=True)).filter(n__gte=2).count()
    )
    states = {"online": 0, "silent": 0, "offline": 0, "never": 0}
    for point in points:
        states[point["state"]] += 1
    return {
        "points": len(points),
        **states,
        "invited": sum(row["invited"] for row in provinces),
        "present": sum(row["present"] for row in provinces),  # invitees present, each once wherever they were
        "people": people["people"],  # everyone present, guests included
        "guests": people["guests"],
        "multi_point": multi_point,
        "checked_in": sum(p["present"] for p in points),  # rows per point, beside the reports
        "reported": sum(p["reported"] or 0 for p in points),
        "points_reported": sum(1 for p in points if p["reported"] is not None),
        "incidents_open": len(incidents),
        "video_playing": sum(1 for p in points if p["video"] == "playing"),
        "video_trouble": sum(1 for p in points if p["video"] in VIDEO_TROUBLE),
    }
