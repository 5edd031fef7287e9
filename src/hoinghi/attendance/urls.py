from hoinghi.attendance.views.checkin import urlpatterns as checkin_urlpatterns
from hoinghi.attendance.views.live import urlpatterns as live_urlpatterns

app_name = "attendance"

urlpatterns = [*checkin_urlpatterns, *live_urlpatterns]
