"""What the live benchmarks share: the 2018 conference with one operator per point, a server
process on the bench database (the helpers of the reliability tests), and its peak memory."""

import os
import threading
from dataclasses import dataclass

from benchmarks._django import setup

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
PASSWORD = "mat-khau-do-do-hieu-nang"


@dataclass
class Scene:
    conference: object
    points: dict  # point id -> BridgePoint
    operators: dict  # point id -> User operating it
    organiser: object  # granted "organiser" on the national unit, password PASSWORD


def prepare() -> Scene:
    """The 2018 conference (loaded with `demo_load` unless the database has it already, e.g. when
    a benchmark is run again by hand on the same DATABASE_URL), with no check-in yet."""
    setup()
    from django.core.management import call_command
    from django.db import connection

    from hoinghi.accounts.models import Grant, User
    from hoinghi.conferences.models import BridgePoint, Conference
    from hoinghi.orgs.models import Unit

    conference = Conference.objects.filter(is_demo=True).order_by("starts_at").first()
    if conference is None:
        call_command("demo_load", verbosity=0)
        conference = Conference.objects.filter(is_demo=True).order_by("starts_at").first()
    _forget_the_morning(conference)
    points = {p.pk: p for p in BridgePoint.objects.filter(conference=conference)}
    operators = {}
    for point in points.values():
        user, created = User.objects.get_or_create(username=f"bench-operator-{point.pk}")
        if created:
            user.set_unusable_password()  # signed in through a session made below, not the form
            user.save()
            point.operators.add(user)
        operators[point.pk] = user
    organiser, created = User.objects.get_or_create(username="bench-live-organiser")
    if created:
        organiser.set_password(PASSWORD)
        organiser.save()
        Grant.objects.create(user=organiser, role="organiser", unit=Unit.objects.get(parent__isnull=True))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Scene(conference, points, operators, organiser)


def _forget_the_morning(conference) -> None:
    """Every check-in of the bench database's demo conference, and what they made, goes: the
    benchmark's check-ins come through the real API, so the product's replay reset (which forgets
    only the check-ins a replay marked as its own) would keep them. The bench database is the
    benchmark's own, loaded by demo_load; a conference that is not the demo's is refused."""
    from django.db import transaction

    from hoinghi.attendance.models import Attendance, CheckIn, Headcount, Incident, PointPresence, Question

    if not conference.is_demo:
        raise SystemExit(f"conference {conference.pk} is not the demo's: the live benchmarks run on a demo")
    with transaction.atomic():
        Attendance.objects.filter(conference=conference).delete()
        CheckIn.objects.filter(conference=conference).delete()
        PointPresence.objects.filter(point__conference=conference).delete()
        Headcount.objects.filter(point__conference=conference).delete()
        Incident.objects.filter(point__conference=conference).delete()
        Question.objects.filter(conference=conference).delete()


def reset(scene: Scene) -> None:
    """No check-in, and the two tables check-in writes as compact as a new database's: a plain
    VACUUM leaves their files and indexes as large as the last run made them, and each run on the
    same database then started from more pages than the last (the throughput drifted down by a
    few percent a run)."""
    from django.db import connection

    _forget_the_morning(scene.conference)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM FULL ANALYZE attendance_checkin")
            cursor.execute("VACUUM FULL ANALYZE attendance_attendance")


def session_cookie(user) -> str:
    """A signed-in session of `user`, as `django.contrib.auth.login` stores it: 364 form logins
    would spend minutes on password hashing, which is not what is measured here."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()  # cached ones are warm
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def operator_sessions(scene: Scene, organiser_session: dict) -> dict[int, dict]:
    """point id -> httpx client options (cookies, CSRF header) of that point's operator. The CSRF
    cookie of the organiser's form login serves for all (it is not tied to a session)."""
    from django.conf import settings

    csrf = organiser_session["cookies"]["csrftoken"]
    return {
        point_id: {
            "cookies": {settings.SESSION_COOKIE_NAME: session_cookie(user), "csrftoken": csrf},
            "headers": organiser_session["headers"],
        }
        for point_id, user in scene.operators.items()
    }


def server_options(database: str) -> dict:
    """Two workers on PostgreSQL, as production on two cores; SQLite is the one-process demo store."""
    return {
        "workers": 2 if database == "postgresql" else 1,
        "extra_env": {"REDIS_URL": REDIS_URL, "HOINGHI_LOG_LEVEL": "WARNING"},
    }


class PeakMemory:
    """Samples the server's resident memory every 100 ms in a thread; `peak` in bytes."""

    def __init__(self, server, every: float = 0.1):
        self.server, self.every = server, every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.server.rss())
            self._stop.wait(self.every)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.server.rss())

    @property
    def mib(self) -> int:
        return round(self.peak / 1024 / 1024)


def now_iso() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat()


__all__ = ["PeakMemory", "Scene", "now_iso", "operator_sessions", "prepare", "reset", "server_options"]
