from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "hoinghi.orgs"
    verbose_name = _("Tổ chức")

    def ready(self) -> None:
        from hoinghi.core import extensions

        # The places the apps built on this one fill (core.extensions).
        extensions.declare(
            "orgs.home",
            signature="(request) -> HTML or '': a card at the top of the landing page (the tree)",
        )
