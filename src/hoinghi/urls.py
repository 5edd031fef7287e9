from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from hoinghi.api import api
from hoinghi.conferences.urls import personal_urlpatterns
from hoinghi.core.catalogue import javascript_catalogue
from hoinghi.core.views import favicon

# Errors come out as the Vietnamese pages (or JSON under /api/) of hoinghi.core.views.
handler400 = "hoinghi.core.views.bad_request"
handler403 = "hoinghi.core.views.permission_denied"
handler404 = "hoinghi.core.views.page_not_found"
handler500 = "hoinghi.core.views.server_error"

admin.site.site_header = "hoinghi — quản trị"
admin.site.site_title = "hoinghi"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="orgs:tree", permanent=False)),
    path("tai-khoan/", include("hoinghi.accounts.urls")),
    path("to-chuc/", include("hoinghi.orgs.urls")),
    path("hoi-nghi/", include("hoinghi.conferences.urls")),
    path("truc-tiep/", include("hoinghi.attendance.urls")),
    path("truyen-hinh/", include("hoinghi.streaming.urls")),
    path("chi-tieu/", include("hoinghi.resolutions.urls")),
    path("bai-thu-hoach/", include("hoinghi.learning_reports.urls")),
    path("moi/", include((personal_urlpatterns, "personal"))),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/<str:language>/", javascript_catalogue, name="javascript_catalogue"),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon, name="favicon"),
]
