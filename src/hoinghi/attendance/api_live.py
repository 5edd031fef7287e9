"""Live snapshot endpoints for dashboards that cannot hold a WebSocket (live-operations issue)."""

from ninja import Router

router = Router(tags=["live"])
