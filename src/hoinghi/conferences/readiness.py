"""Reads of a conference's readiness: what each bridge point still lacks, the conference's own
problems, and the totals organisers check before the day. Always scoped to the actor, through
the points and invitations of `selectors` that the actor sees.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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

# A point's readiness checklist, one definition for the point's page, the readiness page, the
# points list and the overview: (key, what it says when done, what it says when missing). The
# keys ending in "_at" are ticked by the point's operator or organiser, with the time.
CHECKS = (
    ("operator", gettext_lazy("Có người vận hành"), gettext_lazy("chưa có người vận hành")),
    (
        "operator_confirmed_at",
        gettext_lazy("Người vận hành đã xác nhận"),
        gettext_lazy("người vận hành chưa xác nhận"),
    ),
    ("equipment_ready_at", gettext_lazy("Thiết bị sẵn sàng"), gettext_lazy("thiết bị chưa sẵn sàng")),
    ("link_tested_at", gettext_lazy("Đã thử đường truyền"), gettext_lazy("chưa thử đường truyền")),
    ("contact", gettext_lazy("Có liên hệ kỹ thuật"), gettext_lazy("chưa có liên hệ kỹ thuật")),
    ("units", gettext_lazy("Phục vụ ít nhất một đơn vị"), gettext_lazy("không phục vụ đơn vị nào")),
)
TICKED = frozenset(key for key, _done, _missing in CHECKS if key.endswith("_at"))


@dataclass(frozen=True)
class CheckItem:
    key: str
    label: str
    missing_label: str
    is_done: bool
    at: datetime | None = None  # when it was ticked

    @property
    def is_ticked(self) -> bool:
        return self.key in TICKED


@dataclass
class PointReadiness:
    point: BridgePoint
    invitee_count: int
    checklist: list[CheckItem]

    @property
    def missing(self) -> list[str]:
        return [str(item.missing_label) for item in self.checklist if not item.is_done]

    @property
    def done_count(self) -> int:
        return sum(item.is_done for item in self.checklist)

    @property
    def is_ready(self) -> bool:
        return self.done_count == len(self.checklist)


def point_readiness(point: BridgePoint, *, has_operator: bool, serves_units: bool) -> PointReadiness:
    """The point's checklist. A confirmation counts only while the point has an operator: one
    recorded by an operator since removed does not make "confirmed" beside "no operator"."""
    done = {
        "operator": (has_operator, None),
        "operator_confirmed_at": (
            has_operator and bool(point.operator_confirmed_at),
            point.operator_confirmed_at,
        ),
        "equipment_ready_at": (bool(point.equipment_ready_at), point.equipment_ready_at),
        "link_tested_at": (bool(point.link_tested_at), point.link_tested_at),
        "contact": (bool(point.contact_phone or point.contact_email), None),
        "units": (serves_units, None),
    }
    checklist = [
        CheckItem(key, str(label), str(missing), done[key][0], done[key][1]) for key, label, missing in CHECKS
    ]
    return PointReadiness(point=point, invitee_count=getattr(point, "invitee_count", 0), checklist=checklist)


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
    rows = [
        point_readiness(
            point, has_operator=bool(point.operators.all()), serves_units=bool(serving.get(point.pk))
        )
        for point in points
    ]
    problems = []
    crowded = [
        row for row in rows if row.point.capacity is not None and row.invitee_count > row.point.capacity
    ]
    if crowded:
        problems.append(
            (
                ngettext(
                    "%(count)s điểm cầu có số người được mời vượt sức chứa: %(names)s",
                    "%(count)s điểm cầu có số người được mời vượt sức chứa: %(names)s",
                    len(crowded),
                )
                % {
                    "count": len(crowded),
                    "names": ", ".join(
                        f"{row.point.name} ({row.invitee_count}/{row.point.capacity})" for row in crowded[:5]
                    )
                    + ("…" if len(crowded) > 5 else ""),
                },
                "over_capacity",
            )
        )
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
        """The lines of the overview's "Cần xử lý" list: the conference's problems, each rule
        that matches nobody, and one line for the points not ready (it counted the first two
        only, and showed 0 above a list that was not empty)."""
        return len(self.readiness.problems) + len(self.rules_matching_nobody) + (1 if self.not_ready else 0)


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
