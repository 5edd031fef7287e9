"""WebSocket routes of the live views (consumers.py)."""

from django.urls import path

from hoinghi.learning_reports.consumers import StatisticsConsumer

websocket_urlpatterns: list = [
    path("ws/bai-thu-hoach/<int:conference_id>/<int:unit_id>/", StatisticsConsumer.as_asgi()),
]
