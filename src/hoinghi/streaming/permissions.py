"""What can be done with the live video (collected by core.permissions)."""

from django.utils.translation import gettext_lazy as _

from hoinghi.core.permissions import Action, GrantRole, declare

declare(
    Action(
        "streaming.manage",
        _("Quản lý truyền hình trực tiếp và bản ghi"),
        roles={GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER},
        view="conferences.view",
    ),
)
