"""WebSocket consumers of the live views: they authenticate, authorise, join groups and relay.

`DashboardConsumer` serves /ws/truc-tiep/<conference_id>/: a signed-in user who can see the
conference joins the channel group of their audience (`dashboard.Audience`), gets a fresh
snapshot at once (a reconnecting page starts from it) and then whatever the broadcaster
(`live.Broadcaster`) sends to the group, at most once a second. Anyone else gets the refusal as
the API writes it (`{"type": "error", "code", "message", "params"}`) and is closed with 4403.
"""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.translation import gettext as _

from hoinghi.attendance import live
from hoinghi.attendance.dashboard import audience_for
from hoinghi.conferences.selectors import conference_get
from hoinghi.core.errors import DomainError, NotFoundError, PermissionCode, error_event

CLOSE_CODE_FORBIDDEN = 4403


def _subscription(user, conference_id: int):
    """(conference, audience, group, first snapshot as JSON text) for a user allowed to watch;
    raises `NotFoundError` for anyone else. The snapshot the broadcaster sent less than a second
    ago serves if nothing changed since."""
    if not getattr(user, "is_authenticated", False):
        raise NotFoundError(_("Cần đăng nhập để xem bảng theo dõi."), code=PermissionCode.NOT_FOUND)
    conference = conference_get(actor=user, pk=conference_id)
    audience = audience_for(actor=user, conference=conference)
    group = audience.group(conference)
    text = live.recent_snapshot(group)
    if text is None:
        snapshot = live.snapshot_message(conference=conference, audience=audience)
        live.group_seen(group, snapshot["version"])
        text = json.dumps(snapshot)
        live.remember_snapshot(group, snapshot["version"], text)
    return conference, audience, group, text


class DashboardConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None

    async def connect(self):
        conference_id = int(self.scope["url_route"]["kwargs"]["conference_id"])
        try:
            subscription = await database_sync_to_async(_subscription)(self.scope.get("user"), conference_id)
        except DomainError as error:
            # Accepted first so that the page reads the code and stops reconnecting.
            await self.accept()
            await self.send_json(error_event(error))
            await self.close(code=CLOSE_CODE_FORBIDDEN)
            return
        conference, audience, group, text = subscription
        await self.channel_layer.group_add(group, self.channel_name)
        self.group = group
        await self.accept()
        live.broadcaster.subscribe(
            self,
            group=group,
            conference_id=conference.pk,
            audience=audience,
            whole=audience.covers(conference),
        )
        await self.send(text_data=text)

    async def disconnect(self, code):
        if self.group is not None:
            live.broadcaster.unsubscribe(self, group=self.group)
            try:
                await self.channel_layer.group_discard(self.group, self.channel_name)
            except Exception:  # noqa: BLE001 - the layer may be the reason we are closing
                pass
            self.group = None

    async def receive_json(self, content, **kwargs):
        """Clients only listen; a "snapshot" request is answered by reconnecting, not here."""

    async def live_snapshot(self, event):
        await self.send(text_data=event["text"])  # encoded once by the broadcaster
