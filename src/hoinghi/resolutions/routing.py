"""WebSocket routes of the live views (consumers.py)."""

from django.urls import path

from hoinghi.resolutions.consumers import IndicatorsConsumer

websocket_urlpatterns: list = [
    path("ws/chi-tieu/<int:resolution_id>/<int:unit_id>/<int:period_id>/", IndicatorsConsumer.as_asgi()),
]
