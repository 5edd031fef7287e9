"""Who a dashboard is for: the audience that decides its content (see the package's docstring)."""

from bisect import bisect_left
from dataclasses import dataclass

from hoinghi.conferences.models import BridgePoint, Conference
from hoinghi.core.permissions import reach


@dataclass(frozen=True)
class Audience:
    """What a dashboard may show: everything, or the subtrees of `paths` plus the `operated` points."""

    everything: bool
    paths: tuple[str, ...] = ()
    operated: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        if self.everything:
            return "*"
        return ",".join(self.paths) + "|" + ",".join(str(pk) for pk in self.operated)

    def covers(self, conference: Conference) -> bool:
        """Does this audience see all of the conference (a grant on its organising unit or above)?"""
        return self.everything or any(conference.organising_unit.path.startswith(p) for p in self.paths)

    def sees_path(self, path: str) -> bool:
        """Is the unit at `path` in a granted subtree?"""
        return self.everything or any(path.startswith(granted) for granted in self.paths)

    def ranges(self, paths: list[str]) -> list[tuple[int, int]]:
        """Where the granted subtrees are in `paths`, sorted: [start, end) ranges, one a subtree
        (a path holds digits and "/", which sort below "~")."""
        return [(bisect_left(paths, granted), bisect_left(paths, granted + "~")) for granted in self.paths]


def audience_for(*, actor, conference: Conference) -> Audience:
    """Where `conferences.view` reaches for the actor, narrowed to this conference's points: the
    same rows `scope` would give, in a form that several actors who see the same share."""
    where = reach(actor, "conferences.view")
    if where.everything:
        return Audience(everything=True)
    operated: tuple[int, ...] = ()
    if ids := where.related_ids("point_operator"):
        operated = tuple(
            sorted(
                BridgePoint.objects.filter(conference=conference, pk__in=sorted(ids)).values_list(
                    "pk", flat=True
                )
            )
        )
    return Audience(everything=False, paths=where.paths, operated=operated)
