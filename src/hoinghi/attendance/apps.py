from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "hoinghi.attendance"
    verbose_name = _("Điểm danh và theo dõi trực tiếp")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hoinghi.attendance import dashboard, questions
        from hoinghi.attendance.views.checkin import points_to_operate_card
        from hoinghi.core import extensions, live

        # The places the apps built on this one fill (core.extensions).
        extensions.declare(
            "attendance.checkin_page",
            signature="(request, *, point, conference) -> HTML or '': a section of a point's check-in page",
        )
        extensions.declare(
            "attendance.dashboard_snapshot",
            signature=(
                "(*, conference, now) -> JSON-ready value, under its key in every snapshot: computed once "
                "for all the audiences, so the same for each"
            ),
            keyed=True,
        )
        extensions.declare(
            "attendance.watched_later",
            signature=(
                "(invitation ids) -> {invitation id: {programme item title: minutes}}: what absentees "
                "watched later, in the absentee list"
            ),
        )

        # What this app adds below it, and its live view.
        extensions.extend("orgs.home", points_to_operate_card)
        live.register_view(dashboard.LIVE_VIEW)
        live.register_view(questions.LIVE_VIEW)
