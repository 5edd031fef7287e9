from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolutionsConfig(AppConfig):
    name = "hoinghi.resolutions"
    verbose_name = _("Thực hiện nghị quyết")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hoinghi.core import extensions, live
        from hoinghi.resolutions import live as resolutions_live
        from hoinghi.resolutions.programmes import TARGET_PAGE, TARGET_PAGE_SIGNATURE
        from hoinghi.resolutions.services.recompute import tree_changed

        live.register_view(resolutions_live.LIVE_VIEW)
        # The page of a part of the resolution: the apps above add what else serves it
        # (learning_reports: the personal plans of the reports' writers).
        extensions.declare(TARGET_PAGE, signature=TARGET_PAGE_SIGNATURE)
        # The units counted per subtree (and the roll-ups of a moved subtree) follow the tree.
        extensions.extend("orgs.tree_changed", tree_changed)
