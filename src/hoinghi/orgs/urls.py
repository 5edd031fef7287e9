from django.urls import path

from hoinghi.orgs.views import imports, tree

app_name = "orgs"

urlpatterns = [
    path("", tree.tree, name="tree"),
    path("don-vi/<int:pk>/con/", tree.unit_children, name="unit_children"),
    path("don-vi/<int:pk>/", tree.unit_detail, name="unit_detail"),
    path("don-vi/<int:pk>/xoa/", tree.unit_delete, name="unit_delete"),
    path("tim-don-vi/", tree.unit_search, name="unit_search"),
    path("can-bo/", tree.person_list, name="person_list"),
    path("nhap/", imports.import_start, name="import_start"),
    path("nhap/mau-<str:kind>.xlsx", imports.import_template, name="import_template"),
    path("nhap/<int:pk>/", imports.import_detail, name="import_detail"),
    path("nhap/<int:pk>/tien-do/", imports.import_progress, name="import_progress"),
    path("nhap/<int:pk>/ap-dung/", imports.import_apply, name="import_apply"),
    path("nhap/<int:pk>/lua-chon/", imports.import_choose, name="import_choose"),
    path("xuat/", imports.export_page, name="export"),
    path("xuat/<str:kind>.<str:file_format>", imports.export_download, name="export_download"),
]
