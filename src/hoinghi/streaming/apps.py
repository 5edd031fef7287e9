from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StreamingConfig(AppConfig):
    name = "hoinghi.streaming"
    verbose_name = _("Truyền hình trực tuyến")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hoinghi.attendance import dashboard, reports
        from hoinghi.core import slots
        from hoinghi.streaming import selectors
        from hoinghi.streaming.views import pages

        dashboard.register_extra("stream", selectors.stream_summary)
        slots.register("invitation_page", pages.invitation_player)
        slots.register("checkin_page", pages.point_player)
        reports.register_watched_later(selectors.watched_later)
