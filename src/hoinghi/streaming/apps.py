from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StreamingConfig(AppConfig):
    name = "hoinghi.streaming"
    verbose_name = _("Truyền hình trực tuyến")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hoinghi.core import extensions
        from hoinghi.streaming import selectors
        from hoinghi.streaming.views import pages

        # Nothing imports this app: it fills the places the apps below it offer (core.extensions).
        extensions.extend("conferences.invitation_page", pages.invitation_player)
        extensions.extend("attendance.checkin_page", pages.point_player)
        extensions.extend("attendance.dashboard_snapshot", selectors.stream_summary, key="stream")
        extensions.extend("attendance.watched_later", selectors.watched_later)
