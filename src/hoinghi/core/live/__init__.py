"""The live layer: screens that follow changes within a second, for any app.

Why a package of `core` and not an app of its own: it is the real-time transport STYLE.md §1
puts in `core` — no models, no migrations, no pages, no URLs — and every app that shows
something live depends on it, so it sits below them all, with the permission engine. An app
would add an INSTALLED_APPS entry and nothing else.

How it works (DESIGN.md: "live views are snapshots pushed about once a second"): a service
publishes a *topic* on commit; that bumps the topic's version in the cache and nothing else.
Each server process runs one broadcaster, which every 0.1 s looks at the versions of the topics
its sockets follow and, at most every `MIN_INTERVAL` (half a second) per channel group, computes
one snapshot per *audience* and sends it to the group (an update: every figure, and of the
`points` only what changed). Pages that lose the socket poll. Details and figures: `broadcasting`.

The interface, for an app that owns a live view (the attendance dashboard is the first; learning
reports will show marking progress and resolutions their target values the same way):

1. Publish — in a service, after the write, name the topic whose views must refresh::

       live.publish_on_commit(f"learning_reports.{conference.pk}")

   Topics are "<app>.<subject id>". A rolled-back transaction publishes nothing.

2. An audience — whatever decides what a snapshot shows, with a `key` naming all of it (equal
   keys share a channel group and one snapshot) and `covers(subject)` (it sees everything; such
   groups are never slowed down). Build it from the permission engine's `reach` (`live.Audience`)::

       @dataclass(frozen=True)
       class Reviewers:
           reach: Reach  # core.permissions.reach(actor, "learning_reports.review")

           @property
           def key(self) -> str:  # the same string in every process: it names the channel group
               return "*" if self.reach.everything else ",".join(self.reach.paths)

           def covers(self, conference) -> bool:
               return self.reach.covers_path(conference.organising_unit.path)

3. A view — declared beside its snapshot builder, registered in `AppConfig.ready`::

       MARKING = live.LiveView(  # learning_reports/marking.py
           name="learning_reports.marking",
           topic=lambda conference_id: f"learning_reports.{conference_id}",
           load=lambda pk: Conference.objects.filter(pk=pk).first(),
           snapshot=lambda conference, audience: marking_snapshot(conference=conference, audience=audience),
       )
       live.register_view(marking.MARKING)  # LearningReportsConfig.ready

   `MARKING.message(conference, audience)` is a fresh snapshot with its `version` (for the page's
   first render); `live.polled_message(MARKING, conference, audience)` is what a polling endpoint
   returns; `MARKING.group(conference, audience)` is the audience's channel group.

   When many audiences see parts of the same figures (the attendance dashboard: the nation, and
   each province's leaders), give `shared(subject)` and `assemble(subject, shared, audience)`
   instead of `snapshot`: the live layer computes `shared` once per subject and version, and cuts
   every audience's snapshot from it (`LiveView.messages`).

4. A consumer — authorise, the base does the rest::

       from hoinghi.core.live.consumers import LiveConsumer

       class MarkingConsumer(LiveConsumer):
           view = "learning_reports.marking"
           def authorise(self, user, *, conference_id):
               conference = conference_get(actor=user, pk=conference_id)  # NotFoundError: 4403
               return conference, reviewers_for(actor=user, conference=conference)

   and route it in the app's `routing.py`.
"""

from hoinghi.core.live.broadcasting import (
    CLOSE_CODE_UNAVAILABLE,
    LOAD_WINDOW,
    MIN_INTERVAL,
    REFRESH_EVERY,
    SLOWEST_INTERVAL,
    SNAPSHOT_BUDGET,
    TICK,
    Broadcaster,
    broadcaster,
    polled_message,
    update_message,
)
from hoinghi.core.live.publishing import publish, publish_on_commit, version
from hoinghi.core.live.registry import (
    SHARED_KEEP_FOR,
    Audience,
    LiveView,
    group_name,
    register_view,
    view,
)

__all__ = [
    "CLOSE_CODE_UNAVAILABLE",
    "LOAD_WINDOW",
    "MIN_INTERVAL",
    "REFRESH_EVERY",
    "SHARED_KEEP_FOR",
    "SLOWEST_INTERVAL",
    "SNAPSHOT_BUDGET",
    "TICK",
    "Audience",
    "Broadcaster",
    "LiveView",
    "broadcaster",
    "group_name",
    "polled_message",
    "publish",
    "publish_on_commit",
    "register_view",
    "update_message",
    "version",
    "view",
]
