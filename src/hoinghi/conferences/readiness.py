"""Reads of a conference's readiness: what each bridge point still lacks, the conference's own
problems, and the totals organisers check before the day. Always scoped to the actor, through
the points and invitations of `selectors` that the actor sees.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from hoinghi.conferences.eligibility import rule_match_counts
from hoinghi.conferences.models import (
    BridgePoint,
    BridgePointUnit,
    Conference,
    EligibilityRule,
    InvitationStatus,
)
from hoinghi.conferences.selectors import point_list
from hoinghi.core.permissions import scope
from hoinghi.orgs.vietnamese import sort_key


@dataclass
class PointReadiness:
    point: BridgePoint
    invitee_count: int
    missing: list[str]

    @property
    def is_ready(self) -> bool:
        return not self.missing


@dataclass
class Readiness:
    points: list[PointReadiness]
    ready_count: int
    problems: list[tuple[str, str]]  # (message, where to fix it: a URL name)


def readiness(*, actor, conference: Conference) -> Readiness:
    """Every visible point with what it still lacks, and the conference's own problems."""
    points = list(point_list(actor=actor, conference=conference).prefetch_related("operators"))
    serving = Counter(
        BridgePointUnit.objects.filter(conference=conference).values_list("point_id", flat=True)
    )
    rows = []
    for point in points:
        missing = []
        if not point.operators.all():
            missing.append(_("chưa có người vận hành"))
        if not point.operator_confirmed_at:
            missing.append(_("người vận hành chưa xác nhận"))
        if not point.equipment_ready_at:
            missing.append(_("thiết bị chưa sẵn sàng"))
        if not point.link_tested_at:
            missing.append(_("chưa thử đường truyền"))
        if not (point.contact_phone or point.contact_email):
            missing.append(_("chưa có liên hệ kỹ thuật"))
        if not serving.get(point.pk):
            missing.append(_("không phục vụ đơn vị nào"))
        rows.append(PointReadiness(point=point, invitee_count=point.invitee_count, missing=missing))
    problems = []
    if conference.status != "draft":
        active = scope(
            actor, "conferences.view", conference.invitations.filter(status=InvitationStatus.ACTIVE)
        )
        no_point = active.filter(point__isnull=True).count()
        if no_point:
            problems.append(
                (_("%(count)s người được mời chưa có điểm cầu") % {"count": no_point}, "no_point")
            )
        no_contact = active.filter(person__phone="", person__email="").count()
        if no_contact:
            problems.append(
                (
                    _("%(count)s người được mời không có điện thoại, thư điện tử") % {"count": no_contact},
                    "no_contact",
                )
            )
    return Readiness(points=rows, ready_count=sum(1 for r in rows if r.is_ready), problems=problems)


@dataclass
class Totals:
    points_by_level: list[tuple[str, int]]
    invitees_by_rule: list[tuple[str, int]]
    invitees_by_province: list[tuple[str, int]]
    invitees: int


def totals(*, actor, conference: Conference) -> Totals:
    """Points by level and active invitees by category and by province, within the actor's view."""
    points = point_list(actor=actor, conference=conference)
    invitations = scope(
        actor, "conferences.view", conference.invitations.filter(status=InvitationStatus.ACTIVE)
    )
    by_level = points.order_by().values("level__name", "level__rank").annotate(n=Count("id", distinct=True))
    by_rule = (
        invitations.order_by()
        .values("rules__name", "rules__order")
        .annotate(n=Count("id"))
        .order_by("rules__order")
    )
    by_province = (
        invitations.order_by()
        .values("person__unit__province__short_name")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return Totals(
        points_by_level=[
            (row["level__name"], row["n"]) for row in sorted(by_level, key=lambda r: r["level__rank"])
        ],
        invitees_by_rule=[(row["rules__name"] or _("Mời thêm"), row["n"]) for row in by_rule],
        invitees_by_province=[
            (row["person__unit__province__short_name"] or _("Trung ương, ngành"), row["n"])
            for row in by_province
        ],
        invitees=invitations.count(),
    )


def point_rows(
    *, actor, conference: Conference, level_id: int | None = None, search: str = ""
) -> list[PointReadiness]:
    """The visible points with their readiness, narrowed by level and a diacritics-insensitive
    search on the name, address or unit; a constant number of queries however many points."""
    from hoinghi.orgs.vietnamese import fold, search_terms

    rows = readiness(actor=actor, conference=conference).points
    if level_id is not None:
        rows = [row for row in rows if row.point.level_id == level_id]
    terms = search_terms(search)
    if terms:

        def haystack(point: BridgePoint) -> str:
            return fold(f"{point.name} {point.address} {point.unit.name} {point.unit.code}")

        rows = [row for row in rows if all(term in haystack(row.point) for term in terms)]
    return rows


@dataclass
class ReadinessLevel:
    name: str
    total: int
    ready: int

    @property
    def percent(self) -> int:
        return round(100 * self.ready / self.total) if self.total else 0


@dataclass
class ReadinessSummary:
    readiness: Readiness
    by_level: list[ReadinessLevel]
    not_ready: list[PointReadiness]
    missing_counts: list[tuple[str, int]]
    rules_matching_nobody: list[EligibilityRule]

    @property
    def total(self) -> int:
        return len(self.readiness.points)

    @property
    def percent(self) -> int:
        return round(100 * self.readiness.ready_count / self.total) if self.total else 0

    @property
    def problem_count(self) -> int:
        return len(self.readiness.problems) + len(self.rules_matching_nobody)


def readiness_summary(*, actor, conference: Conference, include_rules: bool = True) -> ReadinessSummary:
    """The readiness page: counts by level, the points not ready with what they lack, what is
    missing most often, and the rules that match nobody (one count query per rule)."""
    result = readiness(actor=actor, conference=conference)
    levels: dict[int, ReadinessLevel] = {}
    missing = Counter()
    for row in result.points:
        level = levels.setdefault(row.point.level_id, ReadinessLevel(row.point.level.name, 0, 0))
        level.total += 1
        level.ready += row.is_ready
        missing.update(row.missing)
    rank = {row.point.level_id: row.point.level.rank for row in result.points}
    nobody = []
    if include_rules:
        counts = rule_match_counts(conference)
        nobody = [rule for rule in conference.rules.all() if not counts.get(rule.pk)]
    return ReadinessSummary(
        readiness=result,
        by_level=[levels[pk] for pk in sorted(levels, key=lambda pk: (rank[pk], sort_key(levels[pk].name)))],
        not_ready=[row for row in result.points if not row.is_ready],
        missing_counts=missing.most_common(),
        rules_matching_nobody=nobody,
    )
