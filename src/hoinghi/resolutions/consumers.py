"""WebSocket consumer of a unit's live indicators (live.py): /ws/chi-tieu/<resolution>/<unit>/<period>/.
Everything but the authorisation is the live layer's (`core.live.consumers.LiveConsumer`)."""

from hoinghi.core.live.consumers import LiveConsumer
from hoinghi.resolutions import live


class IndicatorsConsumer(LiveConsumer):
    view = "resolutions.indicators"

    def authorise(self, user, *, resolution_id, unit_id, period_id):
        return live.subscription(
            actor=user, resolution_id=int(resolution_id), unit_id=int(unit_id), period_id=int(period_id)
        )
