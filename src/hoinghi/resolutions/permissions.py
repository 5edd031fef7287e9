"""What can be done with a resolution's targets and reports (collected by core.permissions).

A grant on a unit holds the action in its subtree. Approving a unit's report is the level
above's: the services require `resolutions.approve` on the unit's parent, so a district's
reporter approves its grassroots unions but not the district's own report.
"""

from django.utils.translation import gettext_lazy as _

from hoinghi.core.permissions import Action, GrantRole, declare

REPORTERS = frozenset({GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER, GrantRole.DATA_REPORTER})

declare(
    Action(
        "resolutions.view",
        _("Xem chỉ tiêu nghị quyết, số liệu và tiến độ của phạm vi mình"),
        roles=REPORTERS | {GrantRole.VIEWER},
    ),
    Action(
        "resolutions.enter",
        _("Nhập và gửi số liệu báo cáo của đơn vị"),
        roles=REPORTERS,
        view="resolutions.view",
    ),
    Action(
        "resolutions.approve",
        _("Duyệt hoặc trả lại báo cáo của đơn vị cấp dưới"),
        roles=REPORTERS,
        view="resolutions.view",
    ),
    Action(
        "resolutions.manage",
        _("Quản lý nghị quyết, chỉ tiêu và bộ báo cáo"),
        roles={GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER},
        view="resolutions.view",
    ),
    # Who the daily reminder of a period's report writes to at a unit that has not sent it.
    Action(
        "resolutions.reminded",
        _("Nhận thư nhắc gửi báo cáo định kỳ của đơn vị"),
        roles={GrantRole.DATA_REPORTER},
        view="resolutions.view",
    ),
)

# Action programmes: a unit's reporters and organisers keep its programme (a grant on a unit
# covers its subtree, so the level above may help); viewers and everyone holding
# `resolutions.view` read the programmes of their subtree.
declare(
    Action(
        "resolutions.plan",
        _("Lập và cập nhật chương trình hành động của đơn vị"),
        roles=REPORTERS,
        view="resolutions.view",
    ),
)
