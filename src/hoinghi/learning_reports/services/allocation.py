"""Who marks a report: allocation by the tree (docs/architecture.md, "Marking").

A submitted report goes to the reviewers granted (a grant holding ``learning_reports.mark``) on
the nearest unit strictly above the writer's unit that has an eligible reviewer; among them, to
the one with the fewest open markings of the assignment (then the lowest id, so that the same
data allocate the same way). Eligible: not the writer (the reviewer's account names the writer's
person), and not someone the writer stands above in the same chain (the writer holds a current
position in a unit above the reviewer's own unit, or in that unit with a higher role). When every
reviewer of a level is ineligible the next level up is tried; with none at all the report waits,
submitted, for an organiser to allocate it.

Second marking takes two different reviewers, the nearest first; a third marker is a third one.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from hoinghi.accounts import selectors as accounts
from hoinghi.core.permissions import holders
from hoinghi.learning_reports.models import Assignment, Marking, MarkingState, Report
from hoinghi.orgs import selectors as orgs

ACTION = "learning_reports.mark"


def ancestors_above(path: str) -> list[str]:
    """The paths of the units strictly above the unit at `path`, nearest first."""
    ids = [part for part in path.strip("/").split("/") if part]
    return ["/" + "/".join(ids[:n]) + "/" for n in range(len(ids) - 1, 0, -1)]


def _is_above(writer_positions: list[tuple[str, int]], reviewer_path: str, reviewer_positions) -> bool:
    """Whether the writer holds a position above the reviewer in the same chain."""
    for path, order in writer_positions:
        if reviewer_path.startswith(path) and path != reviewer_path:
            return True
        if path == reviewer_path:
            own = [o for p, o in reviewer_positions if p == reviewer_path]
            if not own or order < min(own):
                return True
    return False


@dataclass(frozen=True)
class Candidate:
    unit_path: str
    user: object


class Allocator:
    """Allocates the reports of one assignment, keeping each reviewer's load as it goes (a bulk
    allocation balances over the whole batch, not just over what was stored before it)."""

    def __init__(self, assignment: Assignment):
        self.assignment = assignment
        rows = (
            Marking.objects.filter(report__assignment=assignment, state=MarkingState.ALLOCATED)
            .order_by()
            .values("reviewer_id")
            .annotate(n=Count("pk"))
        )
        self.load = Counter({row["reviewer_id"]: row["n"] for row in rows})
        self._holders: dict[str, list[Candidate]] = {}

    def _levels(self, writer_path: str) -> list[list[Candidate]]:
        paths = ancestors_above(writer_path)
        missing = [path for path in paths if path not in self._holders]
        if missing:
            for path in missing:
                self._holders[path] = []
            pairs = holders(ACTION, missing)
            users = accounts.users_with_person(ids=[user_id for _path, user_id in pairs])
            for path, user_id in pairs:
                self._holders[path].append(Candidate(path, users[user_id]))
        return [self._holders[path] for path in paths if self._holders[path]]

    def candidates(self, report: Report, *, exclude_ids=()) -> list[list[Candidate]]:
        """The eligible reviewers of `report`, level by level, nearest first."""
        writer = report.invitation.person
        levels = self._levels(writer.unit.path)
        people = {c.user.person_id for level in levels for c in level if c.user.person_id}
        positions = orgs.current_positions(person_ids=people | {writer.pk})
        writer_positions = positions.get(writer.pk, [])
        eligible_levels = []
        for level in levels:
            eligible = []
            for candidate in level:
                user = candidate.user
                if user.pk in exclude_ids or user.person_id == writer.pk:
                    continue
                if user.person_id and _is_above(
                    writer_positions, user.person.unit.path, positions.get(user.person_id, [])
                ):
                    continue
                eligible.append(candidate)
            if eligible:
                eligible_levels.append(eligible)
        return eligible_levels

    def choose(self, report: Report, *, exclude_ids=(), prefer_ids=()) -> Candidate | None:
        """The reviewer for `report`: a preferred one if eligible (who returned it), else the least
        loaded of the nearest level with an eligible reviewer. Counts the new load."""
        levels = self.candidates(report, exclude_ids=exclude_ids)
        everyone = [c for level in levels for c in level]
        chosen = next((c for c in everyone if c.user.pk in prefer_ids), None)
        if chosen is None and levels:
            chosen = min(levels[0], key=lambda c: (self.load[c.user.pk], c.user.pk))
        if chosen is not None:
            self.load[chosen.user.pk] += 1
        return chosen

    def is_eligible(self, report: Report, user) -> Candidate | None:
        for level in self.candidates(report):
            for candidate in level:
                if candidate.user.pk == user.pk:
                    return candidate
        return None
