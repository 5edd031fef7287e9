from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "hoinghi.attendance"
    verbose_name = _("Điểm danh và theo dõi trực tiếp")
    default_auto_field = "django.db.models.BigAutoField"
