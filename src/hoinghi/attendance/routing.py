"""WebSocket routes of the live views (consumers.py)."""

websocket_urlpatterns: list = []
