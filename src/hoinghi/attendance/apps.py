from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "hoinghi.attendance"
    verbose_name = _("Điểm danh và theo dõi trực tiếp")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hoinghi.attendance import dashboard
        from hoinghi.attendance.views.checkin import points_to_operate_card
        from hoinghi.core import live, slots

        live.register_view(dashboard.LIVE_VIEW)
        slots.register("home", points_to_operate_card)
