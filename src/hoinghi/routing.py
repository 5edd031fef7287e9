"""WebSocket routes of every app (the HTTP ones are in urls.py)."""

from hoinghi.attendance.routing import websocket_urlpatterns as attendance_websockets
from hoinghi.learning_reports.routing import websocket_urlpatterns as learning_reports_websockets
from hoinghi.resolutions.routing import websocket_urlpatterns as resolutions_websockets

websocket_urlpatterns = [*attendance_websockets, *learning_reports_websockets, *resolutions_websockets]
