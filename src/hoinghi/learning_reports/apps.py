from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningReportsConfig(AppConfig):
    name = "hoinghi.learning_reports"
    verbose_name = _("Bài thu hoạch")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hoinghi.core import extensions
        from hoinghi.learning_reports.views import organiser, personal, plans

        # Nothing below imports this app: it fills the places the apps below it offer.
        extensions.extend("conferences.invitation_page", personal.invitation_section)
        extensions.extend("conferences.tabs", organiser.conference_tab)
        extensions.extend("resolutions.target_page", plans.target_plans)
