from django.urls import path

from hoinghi.resolutions import views, views_exports, views_programmes

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
    path("chuong-trinh/don-vi/<int:unit_pk>/", views_programmes.programme, name="programme"),
    path("chuong-trinh/<int:pk>/them-viec/", views_programmes.item_add, name="item_add"),
    path("viec/<int:pk>/sua/", views_programmes.item_edit, name="item_edit"),
    path("viec/<int:pk>/tinh-trang/", views_programmes.item_status, name="item_status"),
    path("viec/<int:pk>/minh-chung/", views_programmes.evidence, name="evidence"),
    path("noi-dung/<int:item_pk>/don-vi/<int:unit_pk>/", views_programmes.target, name="target"),
]
