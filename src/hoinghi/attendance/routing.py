"""WebSocket routes of the live views (consumers.py)."""

from django.urls import path

from hoinghi.attendance.consumers import DashboardConsumer

websocket_urlpatterns: list = [
    path("ws/truc-tiep/<int:conference_id>/", DashboardConsumer.as_asgi()),
]
