"""What can be done with the organisation tree and its people (collected by core.permissions)."""

from django.utils.translation import gettext_lazy as _

from hoinghi.core.permissions import EVERY_ROLE, Action, GrantRole, declare

declare(
    Action("orgs.view", _("Xem đơn vị và nhân sự"), roles=EVERY_ROLE),
    Action(
        "orgs.export",
        _("Xuất danh sách đơn vị và nhân sự"),
        roles=EVERY_ROLE - {GrantRole.SITE_OPERATOR},
        view="orgs.view",
    ),
    Action(
        "orgs.change",
        _("Sửa đơn vị và nhân sự"),
        roles={GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER},
        view="orgs.view",
    ),
    Action(
        "orgs.import",
        _("Nhập danh sách từ tệp"),
        roles={GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER},
        view="orgs.view",
    ),
)
