from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "hoinghi.conferences"
    verbose_name = _("Hội nghị")
    default_auto_field = "django.db.models.BigAutoField"
