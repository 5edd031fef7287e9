"""What cloning a conference would copy: the counts its page states before the organiser clones."""

from dataclasses import dataclass

from django.db.models import Count

from hoinghi.conferences.models import BridgePoint, Conference, Presenter


@dataclass
class ClonePlan:
    programme_items: int
    presenters: int
    points: int
    rules: int
    materials: int
    operators: int  # operator relations, copied only when the organiser keeps them
    invitations: int  # what is not copied: the clone issues its own


def conference_clone_plan(*, conference: Conference) -> ClonePlan:
    """The parts of `conference` that `services.conference_clone` copies. The conference was
    fetched for an actor who may change it, and its parts belong to it as a whole."""
    return ClonePlan(
        programme_items=conference.programme.count(),
        presenters=Presenter.objects.filter(item__conference=conference).count(),
        points=conference.points.count(),
        rules=conference.rules.count(),
        materials=conference.materials.count(),
        operators=BridgePoint.objects.filter(conference=conference).aggregate(n=Count("operators"))["n"],
        invitations=conference.invitations.count(),
    )
