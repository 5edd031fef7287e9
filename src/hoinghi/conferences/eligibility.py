"""Who a conference invites, and where each invitee attends.

Reads only: `eligibility_compute` turns the conference's rules and explicit includes/excludes
into one `Candidate` per person, with the rules they matched and the bridge point that serves
them. Services (`invitations_apply`) and selectors (the preview) both start from it, so the
preview shows exactly what issuing would write.

One query per rule reads the matching current positions together with what the preview needs of
the person (unit path, province, level, contact), so the whole 2018 list is a handful of queries
and no `IN (...)` list of 25,000 ids.
"""

from dataclasses import dataclass, field

from hoinghi.conferences.models import (
    BridgePointUnit,
    Conference,
    EligibilityRule,
    FullTime,
    InvitationOverride,
    OverrideKind,
    PersonPointAssignment,
)
from hoinghi.core.tree import path_ids
from hoinghi.orgs.models import Person, Position

_PERSON_FIELDS = (
    "person_id",
    "person__unit_id",
    "person__unit__path",
    "person__unit__province_id",
    "person__unit__kind__level_id",
    "person__phone",
    "person__email",
)


@dataclass
class Candidate:
    person_id: int
    unit_id: int
    unit_path: str
    province_id: int | None
    level_id: int
    has_contact: bool
    rule_ids: set[int] = field(default_factory=set)
    is_explicit: bool = False
    point_id: int | None = None


@dataclass
class Eligibility:
    candidates: dict[int, Candidate]
    rule_matches: dict[int, int]  # rule id -> people it matched (before excludes)
    excluded: set[int]


def rule_positions(rule: EligibilityRule, organising_path: str):
    """The current positions a rule matches (a QuerySet of `Position`)."""
    positions = Position.objects.filter(end_date__isnull=True)
    role_ids = [role.pk for role in rule.roles.all()]
    level_ids = [level.pk for level in rule.levels.all()]
    kind_ids = [kind.pk for kind in rule.unit_kinds.all()]
    if role_ids:
        positions = positions.filter(role_id__in=role_ids)
    if level_ids:
        positions = positions.filter(unit__kind__level_id__in=level_ids)
    if kind_ids:
        positions = positions.filter(unit__kind_id__in=kind_ids)
    if rule.full_time == FullTime.YES:
        positions = positions.filter(is_full_time=True)
    elif rule.full_time == FullTime.NO:
        positions = positions.filter(is_full_time=False)
    if rule.min_member_count is not None:
        positions = positions.filter(unit__member_count__gte=rule.min_member_count)
    within = rule.within.path if rule.within_id else organising_path
    return positions.filter(unit__path__under=within)


def _candidate(row) -> Candidate:
    person_id, unit_id, path, province_id, level_id, phone, email = row
    return Candidate(person_id, unit_id, path, province_id, level_id, bool(phone or email))


def eligibility_compute(conference: Conference) -> Eligibility:
    """Everyone the conference invites, with their rules and bridge point."""
    organising_path = conference.organising_unit.path
    candidates: dict[int, Candidate] = {}
    rule_matches: dict[int, int] = {}
    rules = conference.rules.prefetch_related("roles", "levels", "unit_kinds").select_related("within")
    for rule in rules:
        matched = 0
        for row in (
            rule_positions(rule, organising_path)
            .values_list(*_PERSON_FIELDS)
            .distinct()
            .iterator(chunk_size=5000)
        ):
            candidate = candidates.get(row[0])
            if candidate is None:
                candidate = candidates[row[0]] = _candidate(row)
            if rule.pk not in candidate.rule_ids:
                candidate.rule_ids.add(rule.pk)
                matched += 1
        rule_matches[rule.pk] = matched

    excluded: set[int] = set()
    includes: list[int] = []
    for person_id, kind in InvitationOverride.objects.filter(conference=conference).values_list(
        "person_id", "kind"
    ):
        if kind == OverrideKind.EXCLUDE:
            excluded.add(person_id)
        else:
            includes.append(person_id)
    for row in Person.objects.filter(pk__in=includes).values_list(
        "id", "unit_id", "unit__path", "unit__province_id", "unit__kind__level_id", "phone", "email"
    ):
        candidate = candidates.get(row[0])
        if candidate is None:
            candidate = candidates[row[0]] = _candidate(row)
        candidate.is_explicit = True
    for person_id in excluded:
        candidates.pop(person_id, None)

    points_assign(conference, candidates.values())
    return Eligibility(candidates=candidates, rule_matches=rule_matches, excluded=excluded)


def serving_points(conference: Conference) -> dict[int, int]:
    """unit id -> id of the point that serves it directly."""
    return dict(BridgePointUnit.objects.filter(conference=conference).values_list("unit_id", "point_id"))


def points_assign(conference: Conference, candidates) -> None:
    """Set each candidate's point: an explicit assignment, else the point serving the nearest
    unit up their unit's path (their own unit first). No point found leaves None."""
    served = serving_points(conference)
    assigned = dict(
        PersonPointAssignment.objects.filter(conference=conference).values_list("person_id", "point_id")
    )
    nearest: dict[str, int | None] = {}
    for candidate in candidates:
        if candidate.person_id in assigned:
            candidate.point_id = assigned[candidate.person_id]
            continue
        path = candidate.unit_path
        if path not in nearest:
            nearest[path] = next((served[i] for i in reversed(path_ids(path)) if i in served), None)
        candidate.point_id = nearest[path]


def rule_match_counts(conference: Conference) -> dict[int, int]:
    """How many people each rule matches on its own (a rule matching nobody is a problem)."""
    organising_path = conference.organising_unit.path
    rules = conference.rules.prefetch_related("roles", "levels", "unit_kinds").select_related("within")
    return {
        rule.pk: rule_positions(rule, organising_path).values("person_id").distinct().count()
        for rule in rules
    }
