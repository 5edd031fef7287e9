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

**In bulk.** `allocate` serves 25,000 reports as it serves the one just submitted: it locks the
reports' rows and reads their writers' places in one statement, then, in batches of ids, their
latest versions and markings; the reviewers of every unit concerned, their accounts and the
current positions of writers and reviewers once (`Allocator.prepare`). It decides in memory,
report after report in the order given, keeping each reviewer's load as it goes, and only then
writes: one UPDATE of the withdrawn markings, the new ones with bulk INSERTs, one UPDATE of the
reports now in marking, the audit rows in bulk. Everything runs in the caller's transaction, so a
refusal (a named reviewer who may not mark one of the reports) leaves nothing half-done. The
number of queries depends on the number of batches, not of reports.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.accounts import selectors as accounts
from hoinghi.core.models import audit_many
from hoinghi.core.permissions import holders
from hoinghi.learning_reports.errors import MarkingError, MarkingErrorCode
from hoinghi.learning_reports.models import (
    Assignment,
    Marking,
    MarkingRound,
    MarkingState,
    Report,
    ReportState,
    ReportVersion,
)
from hoinghi.orgs import selectors as orgs

ACTION = "learning_reports.mark"
# Ids per IN (...) list: far below SQLite's and PostgreSQL's limits on parameters.
BATCH = 2000


def _batches(values: Iterable, size: int = BATCH) -> Iterable[list]:
    values = sorted(set(values))
    for start in range(0, len(values), size):
        yield values[start : start + size]


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
class Writer:
    person_id: int
    unit_path: str


@dataclass(frozen=True)
class Candidate:
    unit_path: str
    user: object


class Allocator:
    """Allocates the reports of one assignment, keeping each reviewer's load as it goes (a bulk
    allocation balances over the whole batch, not just over what was stored before it).

    `prepare` reads what deciding needs for the given writers, once; call it for every writer
    before the first `choose`, so that the loads read are those before this allocation."""

    def __init__(self, assignment: Assignment):
        self.assignment = assignment
        self.load: Counter = Counter()
        self._holders: dict[str, list[Candidate]] = {}
        self._positions: dict[int, list[tuple[str, int]]] = {}

    def prepare(self, writers: Iterable[Writer]) -> None:
        """Read the reviewers of every unit above the writers' units with their accounts and
        open markings of the assignment, and the current positions of writers and reviewers."""
        writers = list(writers)
        paths = {path for w in writers for path in ancestors_above(w.unit_path)} - self._holders.keys()
        pairs = []
        for path in paths:
            self._holders[path] = []
        for batch in _batches(paths):
            pairs += holders(ACTION, batch)
        users = {}
        for batch in _batches(user_id for _path, user_id in pairs):
            users.update(accounts.users_with_person(ids=batch))
        for path, user_id in sorted(pairs):
            self._holders[path].append(Candidate(path, users[user_id]))
        for batch in _batches(users):
            rows = (
                Marking.objects.filter(
                    report__assignment=self.assignment, state=MarkingState.ALLOCATED, reviewer_id__in=batch
                )
                .order_by()
                .values("reviewer_id")
                .annotate(n=Count("pk"))
            )
            self.load.update({row["reviewer_id"]: row["n"] for row in rows})
        people = {w.person_id for w in writers} | {u.person_id for u in users.values() if u.person_id}
        people -= self._positions.keys()
        for person_id in people:
            self._positions[person_id] = []
        for batch in _batches(people):
            self._positions.update(orgs.current_positions(person_ids=batch))

    def _eligible_levels(self, writer: Writer, exclude_ids) -> Iterator[list[Candidate]]:
        writer_positions = self._positions.get(writer.person_id, [])
        for path in ancestors_above(writer.unit_path):
            eligible = []
            for candidate in self._holders.get(path, ()):
                user = candidate.user
                if user.pk in exclude_ids or user.person_id == writer.person_id:
                    continue
                if user.person_id and _is_above(
                    writer_positions, user.person.unit.path, self._positions.get(user.person_id, [])
                ):
                    continue
                eligible.append(candidate)
            if eligible:
                yield eligible

    def candidates(self, writer: Writer, *, exclude_ids=()) -> list[list[Candidate]]:
        """The eligible reviewers of `writer`'s report, level by level, nearest first."""
        return list(self._eligible_levels(writer, exclude_ids))

    def choose(self, writer: Writer, *, exclude_ids=(), prefer_ids=()) -> Candidate | None:
        """The reviewer for `writer`'s report: a preferred one if eligible (who returned it),
        else the least loaded of the nearest level with an eligible reviewer. Counts the new
        load."""
        chosen = None
        if prefer_ids:
            levels = self.candidates(writer, exclude_ids=exclude_ids)
            chosen = next((c for level in levels for c in level if c.user.pk in prefer_ids), None)
            nearest = levels[0] if levels else None
        else:  # the levels further up are not needed
            nearest = next(self._eligible_levels(writer, exclude_ids), None)
        if chosen is None and nearest:
            chosen = min(nearest, key=lambda c: (self.load[c.user.pk], c.user.pk))
        if chosen is not None:
            self.load[chosen.user.pk] += 1
        return chosen

    def is_eligible(self, writer: Writer, user) -> Candidate | None:
        for level in self.candidates(writer):
            for candidate in level:
                if candidate.user.pk == user.pk:
                    return candidate
        return None


@dataclass
class _Pending:
    """A report to allocate, as read: its writer, its latest version, its markings."""

    pk: int
    state: str
    invitation_id: int
    writer: Writer
    version: tuple[int, int] | None = None  # (id, number)
    open: list[tuple[int, int, int]] = field(default_factory=list)  # (id, reviewer, round)
    kept: set[int] = field(default_factory=set)  # reviewers who marked the latest version
    returned_by: set[int] = field(default_factory=set)


def _read(reports: QuerySet) -> list[_Pending]:
    """Lock the reports' rows (only theirs, not the writers') and read them, in the order
    they are allocated: submitted first, then by id."""
    rows = (
        reports.select_for_update(of=("self",))
        .order_by("submitted_at", "pk")
        .values_list(
            "pk", "state", "invitation_id", "invitation__person_id", "invitation__person__unit__path"
        )
    )
    pending = {
        pk: _Pending(pk, state, invitation_id, Writer(person_id, path))
        for pk, state, invitation_id, person_id, path in rows
    }
    for batch in _batches(pending):
        for report_id, version_id, number in ReportVersion.objects.filter(report_id__in=batch).values_list(
            "report_id", "pk", "number"
        ):
            latest = pending[report_id].version
            if latest is None or number > latest[1]:
                pending[report_id].version = (version_id, number)
        markings = Marking.objects.filter(
            report_id__in=batch,
            state__in=[MarkingState.ALLOCATED, MarkingState.MARKED, MarkingState.RETURNED],
        ).values_list("pk", "report_id", "reviewer_id", "round", "state", "version_id")
        for pk, report_id, reviewer_id, round_, state, version_id in markings.order_by("round", "pk"):
            report = pending[report_id]
            if state == MarkingState.ALLOCATED:
                report.open.append((pk, reviewer_id, round_))
            elif state == MarkingState.RETURNED:
                report.returned_by.add(reviewer_id)
            elif report.version and version_id == report.version[0]:
                report.kept.add(reviewer_id)
    return list(pending.values())


def first_rounds(assignment: Assignment) -> list[int]:
    return (
        [MarkingRound.FIRST, MarkingRound.SECOND] if assignment.has_second_marking else [MarkingRound.FIRST]
    )


def allocate(
    *, actor, assignment: Assignment, reports: QuerySet, reviewer=None, rounds=None, prefer_returned=False
) -> list[Marking]:
    """Allocate `reports` (of `assignment`; call inside a transaction): their open markings are
    withdrawn and the rounds they had (else the assignment's first rounds, or `rounds` when
    given) allocated anew, to someone who has not had them open nor marked their latest version;
    to `reviewer` first when given (who must be eligible: else `MarkingError`
    `ineligible_reviewer`, and nothing is written); with `prefer_returned` first to whoever
    returned an earlier version (a resubmission). A report moves from submitted to in marking
    once it has a marking; without an eligible reviewer it is left as it is. Returns the
    markings made."""
    pending = _read(reports)
    allocator = Allocator(assignment)
    allocator.prepare(report.writer for report in pending)
    withdrawn: list[int] = []
    made: list[Marking] = []
    entries: list[tuple[object, str, dict]] = []
    moved: list[int] = []
    # The audit names each report as its model does; one instance renamed row by row costs far
    # less than 25,000 of them.
    named = Report(assignment_id=assignment.pk)
    for report in pending:
        if report.version is None:
            continue  # never submitted: nothing to mark
        for marking_id, reviewer_id, _round in report.open:
            withdrawn.append(marking_id)
            allocator.load[reviewer_id] -= 1
        previous = {reviewer_id for _marking_id, reviewer_id, _round in report.open}
        wanted = rounds or [round_ for _marking_id, _id, round_ in report.open] or first_rounds(assignment)
        if reviewer is not None:
            if reviewer.pk in report.kept or allocator.is_eligible(report.writer, reviewer) is None:
                raise MarkingError(
                    _(
                        "Người được chọn không chấm được bài này (ngoài phạm vi, là người viết "
                        "hoặc cấp dưới của họ)."
                    ),
                    code=MarkingErrorCode.INELIGIBLE_REVIEWER,
                    params={"report": report.pk},
                )
            chosen = _choose(allocator, report, wanted[:1], exclude=report.kept, prefer={reviewer.pk})
            chosen += _choose(allocator, report, wanted[1:], exclude=report.kept | {reviewer.pk})
        else:
            prefer = report.returned_by if prefer_returned else set()
            chosen = _choose(allocator, report, wanted, exclude=report.kept | previous, prefer=prefer)
        for round_, candidate in chosen:
            made.append(
                Marking(
                    report_id=report.pk,
                    version_id=report.version[0],
                    reviewer_id=candidate.user.pk,
                    round=round_,
                    unit_path=candidate.unit_path,
                )
            )
            named.pk, named.invitation_id = report.pk, report.invitation_id
            entries.append(
                (
                    str(named),
                    report.writer.unit_path,
                    {"reviewer": candidate.user.pk, "round": round_, "version": report.version[1]},
                )
            )
        if chosen and report.state == ReportState.SUBMITTED:
            moved.append(report.pk)
    _write(actor, withdrawn, made, entries, moved)
    return made


def _choose(allocator: Allocator, report: _Pending, rounds, *, exclude, prefer=()) -> list[tuple]:
    """(round, candidate) for each of `rounds` while a reviewer is found, each one different."""
    chosen, taken = [], set(exclude)
    for round_ in rounds:
        candidate = allocator.choose(report.writer, exclude_ids=taken, prefer_ids=prefer)
        if candidate is None:
            break
        taken.add(candidate.user.pk)
        chosen.append((round_, candidate))
    return chosen


def _write(actor, withdrawn: list[int], made: list[Marking], entries: list, moved: list[int]) -> None:
    """The decisions in bulk: withdrawn markings first (a round has one live marking)."""
    now = timezone.now()
    for batch in _batches(withdrawn):
        Marking.objects.filter(pk__in=batch).update(state=MarkingState.WITHDRAWN, updated_at=now)
    Marking.objects.bulk_create(made, batch_size=BATCH)
    for batch in _batches(moved):
        Report.objects.filter(pk__in=batch).update(state=ReportState.IN_MARKING, updated_at=now)
    if entries:
        audit_many(actor=actor, type="learning_reports.report.allocated", entries=entries)
