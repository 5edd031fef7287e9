from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningReportsConfig(AppConfig):
    name = "hoinghi.learning_reports"
    verbose_name = _("Bài thu hoạch")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hoinghi.core import extensions, live
        from hoinghi.learning_reports import live as learning_reports_live
        from hoinghi.learning_reports.services import reminders
        from hoinghi.learning_reports.views import organiser, personal, plans

        # Nothing below imports this app: it fills the places the apps below it offer.
        extensions.extend("conferences.invitation_page", personal.invitation_section)
        extensions.extend("conferences.tabs", organiser.conference_tab)
        live.register_view(learning_reports_live.LIVE_VIEW)
        extensions.extend("conferences.outbox_email", reminders.reminder_email, key=reminders.REMINDER_EMAIL)
        extensions.extend("resolutions.target_page", plans.target_plans)
