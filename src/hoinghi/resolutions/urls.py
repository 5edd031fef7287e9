from django.urls import path

from hoinghi.resolutions import views, views_exports

app_name = "resolutions"

REPORT = "<int:dataset_pk>/<int:unit_pk>/<int:period_pk>"

urlpatterns = [
    path("", views.index, name="index"),
    path("don-vi/<int:unit_pk>/", views.dashboard, name="dashboard"),
    path("don-vi/<int:unit_pk>/bang.xlsx", views_exports.dashboard_xlsx, name="dashboard_xlsx"),
    path("don-vi/<int:unit_pk>/bao-cao.pdf", views_exports.dashboard_pdf, name="dashboard_pdf"),
    path(f"nhap/{REPORT}/", views.entry, name="entry"),
    path(f"duyet/{REPORT}/", views.approval, name="approval"),
    path("bao-cao/<int:pk>/<str:decision>/", views.submission_decide, name="submission_decide"),
    path(f"mo-nhap/{REPORT}/", views.entry_reopen, name="entry_reopen"),
    path(f"mau/{REPORT}/", views.template_download, name="template"),
    path(f"tai-len/{REPORT}/", views.upload, name="upload"),
    path("tep/<int:pk>/", views.upload_detail, name="upload_detail"),
    path("tep/<int:pk>/ap-dung/", views.upload_apply, name="upload_apply"),
]
