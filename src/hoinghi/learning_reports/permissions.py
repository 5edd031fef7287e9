"""What can be done with learning reports (collected by core.permissions).

Setting a conference's assignment is organising the conference: the services require
``conferences.change`` on it, declared by conferences. Reading reports is this app's own action:
organisers and viewers read those of the invitees of their subtree (a report belongs to its
writer's unit, ``Report.SCOPE_PATH``). A writer reaches their own report through their personal
link, whose token is the credential (no grant, no account).

Marking: a reviewer's grant on a unit lets them mark the reports of its subtree that are
allocated to them (the allocation is the tree's: services/allocation.py); a report outside
their subtree is not found. Organisers allocate (and re-allocate) and release results for
their subtree, and remind by e-mail those of it who must write and have not submitted.
"""

from django.utils.translation import gettext_lazy as _

from hoinghi.core.permissions import Action, GrantRole, declare

declare(
    Action(
        "learning_reports.view_reports",
        _("Xem bài thu hoạch của cán bộ trong phạm vi mình"),
        roles={GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER, GrantRole.VIEWER},
        view="conferences.view",
    ),
    Action(
        "learning_reports.mark",
        _("Chấm bài thu hoạch được phân công"),
        roles={GrantRole.REVIEWER},
    ),
    Action(
        "learning_reports.allocate",
        _("Phân công chấm bài thu hoạch"),
        roles={GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER},
        view="learning_reports.view_reports",
    ),
    Action(
        "learning_reports.remind",
        _("Nhắc cán bộ chưa nộp bài thu hoạch qua thư điện tử"),
        roles={GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER},
        view="learning_reports.view_reports",
    ),
    Action(
        "learning_reports.release",
        _("Công bố kết quả chấm bài thu hoạch"),
        roles={GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER},
        view="learning_reports.view_reports",
    ),
)
