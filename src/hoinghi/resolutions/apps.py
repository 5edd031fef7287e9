from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolutionsConfig(AppConfig):
    name = "hoinghi.resolutions"
    verbose_name = _("Thực hiện nghị quyết")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hoinghi.core import live
        from hoinghi.resolutions import live as resolutions_live

        live.register_view(resolutions_live.LIVE_VIEW)
