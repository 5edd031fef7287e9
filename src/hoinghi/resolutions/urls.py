from django.urls import path

from hoinghi.resolutions import views

app_name = "resolutions"

REPORT = "<int:dataset_pk>/<int:unit_pk>/<int:period_pk>"

urlpatterns = [
    path("", views.index, name="index"),
    path("don-vi/<int:unit_pk>/", views.dashboard, name="dashboard"),
    path(f"nhap/{REPORT}/", views.entry, name="entry"),
    path(f"duyet/{REPORT}/", views.approval, name="approval"),
    path("bao-cao/<int:pk>/<str:decision>/", views.submission_decide, name="submission_decide"),
    path(f"mau/{REPORT}/", views.template_download, name="template"),
    path(f"tai-len/{REPORT}/", views.upload, name="upload"),
    path("tep/<int:pk>/", views.upload_detail, name="upload_detail"),
    path("tep/<int:pk>/ap-dung/", views.upload_apply, name="upload_apply"),
]
