from hoinghi.attendance.views.arrivals import urlpatterns as arrivals_urlpatterns
from hoinghi.attendance.views.checkin import urlpatterns as checkin_urlpatterns
from hoinghi.attendance.views.live import urlpatterns as live_urlpatterns
from hoinghi.attendance.views.questions import urlpatterns as questions_urlpatterns
from hoinghi.attendance.views.reports import urlpatterns as reports_urlpatterns

app_name = "attendance"

urlpatterns = [
    *checkin_urlpatterns,
    *arrivals_urlpatterns,
    *live_urlpatterns,
    *questions_urlpatterns,
    *reports_urlpatterns,
]
