"""Who may see and give roles (collected by core.permissions)."""

from django.utils.translation import gettext_lazy as _

from hoinghi.core.permissions import Action, GrantRole, declare

declare(
    Action("accounts.view_grants", _("Xem phân quyền"), roles={GrantRole.SYSTEM_ADMIN}, view="orgs.view"),
    Action("accounts.manage_grants", _("Phân quyền"), roles={GrantRole.SYSTEM_ADMIN}, view="orgs.view"),
)
