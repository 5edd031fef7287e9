"""The WebSocket consumer every live view uses: it authenticates, authorises the subscription,
joins the audience's group and relays what the broadcaster sends.

An app subclasses `LiveConsumer`, names its registered view and says who may watch what
(`authorise`); the base does the rest: an anonymous or refused user gets the refusal as the API
writes it (`core.errors.error_event`) and is closed with 4403; a watcher gets a fresh snapshot at
once (a reconnecting page starts from it) and then whatever the broadcaster sends to the group,
at most every `MIN_INTERVAL` (half a second). Clients only listen.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from hoinghi.core.cache import redis_outage
from hoinghi.core.errors import DomainError, NotFoundError, PermissionCode, error_event
from hoinghi.core.live.broadcasting import CLOSE_CODE_UNAVAILABLE, broadcaster, opening_text
from hoinghi.core.live.registry import view

CLOSE_CODE_FORBIDDEN = 4403  # the page stops reconnecting


class LiveConsumer(AsyncJsonWebsocketConsumer):
    view: str  # the name of a registered LiveView
    group: str | None = None
    accepted = False

    async def __call__(self, scope, receive, send):
        """The consumer, with Redis (the channel layer) being away turned into "poll for now".

        Channels listens on the layer from the first moment, before `connect`: with Redis away
        that read fails and the handshake would answer 500. Here the socket is accepted and closed
        with `CLOSE_CODE_UNAVAILABLE`: the page polls and reconnects with backoff."""
        self._send = send
        try:
            await super().__call__(scope, receive, send)
        except (RedisError, OSError) as error:
            redis_outage.failed("live: a dashboard's socket", error)
            await self.disconnect(CLOSE_CODE_UNAVAILABLE)
            try:
                if not self.accepted:
                    await send({"type": "websocket.accept"})
                await send({"type": "websocket.close", "code": CLOSE_CODE_UNAVAILABLE})
            except Exception:  # noqa: BLE001 - the client may be gone already
                pass

    async def accept(self, subprotocol=None, headers=None):
        await super().accept(subprotocol, headers)
        self.accepted = True

    def authorise(self, user, **url_kwargs):
        """(subject, audience) when the signed-in `user` may watch the subject the URL names; raises
        a `DomainError` otherwise (`NotFoundError` for a subject outside the user's grants, exactly
        as for a missing one). Runs in a thread: it may query."""
        raise NotImplementedError

    def subscription(self, user, url_kwargs: dict):
        if not getattr(user, "is_authenticated", False):
            raise NotFoundError(_("Cần đăng nhập."), code=PermissionCode.NOT_FOUND)
        subject, audience = self.authorise(user, **url_kwargs)
        live_view = view(self.view)
        group = live_view.group(subject, audience)
        return live_view, subject, audience, group, opening_text(live_view, subject, audience, group)

    async def connect(self):
        try:
            subscription = await database_sync_to_async(self.subscription)(
                self.scope.get("user"), self.scope["url_route"]["kwargs"]
            )
        except DomainError as error:
            # Accepted first so that the page reads the refusal and the code, and stops reconnecting.
            await self.accept()
            await self.send_json(error_event(error))
            await self.close(code=CLOSE_CODE_FORBIDDEN)
            return
        live_view, subject, audience, group, text = subscription
        await self.channel_layer.group_add(group, self.channel_name)
        self.group = group
        await self.accept()
        broadcaster.subscribe(
            self,
            group=group,
            view=live_view,
            subject_id=subject.pk,
            audience=audience,
            whole=audience.covers(subject),
        )
        await self.send(text_data=text)

    async def disconnect(self, code):
        if self.group is not None:
            broadcaster.unsubscribe(self, group=self.group)
            try:
                await self.channel_layer.group_discard(self.group, self.channel_name)
            except Exception:  # noqa: BLE001 - the layer may be the reason we are closing
                pass
            self.group = None

    async def receive_json(self, content, **kwargs):
        """Clients only listen; a "snapshot" request is answered by reconnecting, not here."""

    async def live_snapshot(self, event):
        await self.send(text_data=event["text"])  # encoded once by the broadcaster
