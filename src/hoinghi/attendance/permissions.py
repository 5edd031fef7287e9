"""What can be done on the morning (collected by core.permissions)."""

from django.utils.translation import gettext_lazy as _

from hoinghi.core.permissions import Action, GrantRole, declare

ORGANISERS = frozenset({GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER})

declare(
    Action(
        "attendance.operate",
        _("Vận hành điểm cầu: điểm danh, báo số người, sự cố, câu hỏi"),
        roles=ORGANISERS,
        relations={"point_operator"},
        view="conferences.view",
    ),
    Action(
        "attendance.view_reports",
        _("Xem báo cáo điểm danh của phạm vi mình"),
        roles={GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER, GrantRole.VIEWER},
        view="conferences.view",
    ),
    Action(
        "attendance.view_board",
        _("Xem màn hình câu hỏi của đoàn chủ tịch"),
        roles={GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER, GrantRole.VIEWER},
        view="conferences.view",
    ),
    Action(
        "attendance.moderate",
        _("Điều phối câu hỏi gửi đoàn chủ tịch"),
        roles=ORGANISERS,
        view="conferences.view",
    ),
)
