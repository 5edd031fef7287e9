from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningReportsConfig(AppConfig):
    name = "hoinghi.learning_reports"
    verbose_name = _("Bài thu hoạch")
    default_auto_field = "django.db.models.BigAutoField"
