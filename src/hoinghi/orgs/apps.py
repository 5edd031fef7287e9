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
        extensions.declare(
            "orgs.tree_changed",
            signature=(
                "(*, unit, change, old_path='', old_kind_id=None) -> None: called inside the transaction of "
                "the service that changed the tree, once it is written: change is 'created', 'moved' "
                "(old_path: the unit's path before), 'kind_changed' (old_kind_id), 'deleting' (before the "
                "row goes) or 'rewritten' (an import changed units of unit's subtree in bulk)"
            ),
        )
