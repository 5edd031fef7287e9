"""WebSocket consumer of a unit's live statistics (live.py): /ws/bai-thu-hoach/<conference>/<unit>/
(unit 0: the top of the watcher's subtrees). Everything but the authorisation is the live layer's
(`core.live.consumers.LiveConsumer`)."""

from hoinghi.core.live.consumers import LiveConsumer
from hoinghi.learning_reports import live


class StatisticsConsumer(LiveConsumer):
    view = "learning_reports.statistics"

    def authorise(self, user, *, conference_id, unit_id):
        return live.subscription(actor=user, conference_id=int(conference_id), unit_id=int(unit_id))
