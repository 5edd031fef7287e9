"""What can be done with conferences, and the bridge point operator relation.

An operator of a bridge point (``BridgePoint.operators``) holds the actions that name the
``point_operator`` relation on that point only: its roster, its checklist, its check-in page, and
the conference it belongs to (to open it). They get nothing on the point's unit: its people, their
phones and e-mails stay with those who hold a role there.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoinghi.core.permissions import Action, GrantRole, Relation, declare, declare_relation

ORGANISERS = frozenset({GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER})


class PointOperator(Relation):
    """Operators of a point hold its actions there. A model reaches a point through the lookup it
    names in ``SCOPE_POINT`` (``"id"`` on a point, ``"point_id"`` on a check-in), or a conference
    through ``SCOPE_CONFERENCE`` (the conference of any point the actor operates)."""

    name = "point_operator"

    def held_query(self, actor_pk):
        from hoinghi.conferences.models import BridgePoint

        return BridgePoint.objects.filter(operators=actor_pk).order_by()

    def lookup(self, model):
        if point := getattr(model, "SCOPE_POINT", None):
            return point
        if conference := getattr(model, "SCOPE_CONFERENCE", None):
            from hoinghi.conferences.models import BridgePoint

            def of_conferences(ids):
                conferences = BridgePoint.objects.filter(pk__in=sorted(ids)).values("conference_id")
                return Q(**{f"{conference}__in": conferences})

            return of_conferences
        return None


declare_relation(PointOperator())

declare(
    Action(
        "conferences.view",
        _("Xem hội nghị, điểm cầu và khách mời"),
        roles={GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER, GrantRole.VIEWER},
        relations={"point_operator"},
    ),
    Action("conferences.change", _("Tổ chức hội nghị"), roles=ORGANISERS, view="conferences.view"),
    Action(
        "conferences.send",
        _("Gửi thư mời cho khách mời thuộc phạm vi của mình"),
        roles=ORGANISERS,
        view="conferences.view",
    ),
    Action(
        "conferences.prepare_point",
        _("Cập nhật tình trạng sẵn sàng của điểm cầu"),
        roles=ORGANISERS,
        relations={"point_operator"},
        view="conferences.view",
    ),
)
