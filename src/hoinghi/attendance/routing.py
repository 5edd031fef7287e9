"""WebSocket routes of the live views (consumers.py)."""

from django.urls import path

from hoinghi.attendance.consumers import (
    BoardConsumer,
    DashboardConsumer,
    ModerationConsumer,
    OverviewConsumer,
)

websocket_urlpatterns: list = [
    path("ws/truc-tiep/<int:conference_id>/", DashboardConsumer.as_asgi()),
    path("ws/chu-toa/<int:conference_id>/", BoardConsumer.as_asgi()),
    path("ws/cau-hoi/<int:conference_id>/", ModerationConsumer.as_asgi()),
    path("ws/cau-hoi-xem/<int:conference_id>/", OverviewConsumer.as_asgi()),
]
