"""Reads of conferences, always scoped to the actor.

Who sees what:
- the conference itself: whoever may view its organising unit, and whoever holds a grant inside
  it (a provincial organiser follows the national conference), and the operators of its points;
- bridge points: those run by a unit of the actor's grants, plus the points they operate;
- invitations: those of people in the actor's grants, plus the rosters of points they operate.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.accounts import selectors as accounts
from hoinghi.conferences.eligibility import eligibility_compute, rule_match_counts
from hoinghi.conferences.models import (
    INVITATION_EMAIL,
    BridgePoint,
    Conference,
    ConferenceStatus,
    EligibilityRule,
    Invitation,
    InvitationOverride,
    InvitationPrint,
    InvitationStatus,
    Material,
    OutboxMessage,
    Presenter,
)
from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import reach, scope
from hoinghi.orgs import selectors as orgs_selectors
from hoinghi.orgs.models import Level, Person, Province, Unit


def _not_found() -> NotFoundError:
    return NotFoundError(_("Không tìm thấy."), code="not_found")


def conference_list(*, actor) -> QuerySet[Conference]:
    """Conferences the actor sees: of a unit in their grants or above one (a provincial organiser
    follows the national conference), and those of the points they operate."""
    return scope(actor, "conferences.view", Conference.objects.select_related("organising_unit"))


def conference_get(*, actor, pk: int) -> Conference:
    conference = conference_list(actor=actor).filter(pk=pk).first()
    if conference is None:
        raise _not_found()
    return conference


def conference_is_deletable(*, conference: Conference) -> bool:
    """A draft whose invitations never went out (none was ever written) may be deleted; any
    other is cancelled instead, so that what invitees received and did stays on record."""
    return conference.status == ConferenceStatus.DRAFT and not conference.invitations.exists()


def point_list(*, actor, conference: Conference) -> QuerySet[BridgePoint]:
    """The points the actor sees, with their active invitee counts."""
    points = BridgePoint.objects.filter(conference=conference).select_related("level", "unit")
    return (
        scope(actor, "conferences.view", points)
        .annotate(
            invitee_count=Count(
                "invitations", filter=Q(invitations__status=InvitationStatus.ACTIVE), distinct=True
            )
        )
        .order_by("-is_host", "level__rank", "name_sort_key", "id")
    )


def point_get(*, actor, conference: Conference, pk: int) -> BridgePoint:
    point = point_list(actor=actor, conference=conference).filter(pk=pk).first()
    if point is None:
        raise _not_found()
    return point


def operator_candidate_get(*, actor, conference: Conference, username: str):
    """The active user `username` if the actor may name them an operator of a point of
    `conference`, else None, whether or not the username exists: users holding a grant within
    the actor's organising grants, those the actor made, and those already operating a point of
    the conference the actor sees."""
    points = scope(actor, "conferences.view", BridgePoint.objects.filter(conference=conference))
    operating = get_user_model().objects.filter(is_active=True, operated_points__in=points.values("pk"))
    candidates = accounts.user_list(actor=actor, action="conferences.change") | operating
    return candidates.filter(username=username).distinct().first()


# --- Operator accounts made in bulk --------------------------------------------------------------


def points_without_operator(*, actor, conference: Conference) -> QuerySet[BridgePoint]:
    """The points the actor may change that have no operator yet, in the points list's order."""
    points = BridgePoint.objects.filter(conference=conference, operators=None)
    return (
        scope(actor, "conferences.change", points)
        .select_related("level", "unit")
        .order_by("-is_host", "level__rank", "name_sort_key", "id")
    )


def point_codes(*, conference: Conference) -> dict[int, str]:
    """Each point's code, as the operator accounts' usernames and their .xlsx name them: the code
    of the unit that runs it, or, where a unit runs several points of the conference,
    "<unit code>-<point id>" for each of them."""
    rows = list(BridgePoint.objects.filter(conference=conference).values_list("pk", "unit__code"))
    shared = {code for code, count in Counter(code for _pk, code in rows).items() if count > 1}
    return {pk: f"{code}-{pk}" if code in shared else code for pk, code in rows}


def _username_part(code: str) -> str:
    from hoinghi.orgs.vietnamese import fold

    return "-".join(re.findall(r"[a-z0-9]+", fold(code)))


@dataclass(frozen=True)
class PlannedOperator:
    """An operator account `point_operators_create` makes: its point, username, what the .xlsx
    said of the person, and the address its one-time password goes to ("": on the sheet)."""

    point: BridgePoint
    code: str
    username: str
    full_name: str = ""
    phone: str = ""
    email: str = ""
    send_to: str = ""


def operator_accounts_plan(
    *, actor, conference: Conference, point_ids, details=None, send_email: bool = False
) -> list[PlannedOperator]:
    """The accounts that making operators for `point_ids` would make now: one for each of those
    points the actor may change that still has no operator, named "dc-<conference>-<point code>"
    (with the point's id added if that name is taken). `details` maps a point id to
    (full name, phone, e-mail) from the .xlsx. With `send_email` the password goes to that
    e-mail, else to the point's technical contact, and on the sheet for a point with neither.
    The confirmation page shows this plan, and the service writes it."""
    details = details or {}
    codes = point_codes(conference=conference)
    prefix = f"dc-{conference.pk}-"
    taken = accounts.usernames_taken(prefix=prefix)
    planned = []
    for point in points_without_operator(actor=actor, conference=conference).filter(pk__in=list(point_ids)):
        code = codes[point.pk]
        username = f"{prefix}{_username_part(code) or point.pk}"[:150]
        if username in taken:
            username = f"{username[:140]}-{point.pk}"
        suffix = 2
        while username in taken:  # an account someone made by hand with these very names
            username = f"{prefix}{point.pk}-{suffix}"
            suffix += 1
        taken.add(username)
        full_name, phone, email = details.get(point.pk, ("", "", ""))
        send_to = (email or point.contact_email) if send_email else ""
        planned.append(PlannedOperator(point, code, username, full_name, phone, email, send_to))
    return planned


def invitation_list(
    *,
    actor,
    conference: Conference,
    point: BridgePoint | None = None,
    status: str = InvitationStatus.ACTIVE,
    rule: EligibilityRule | None = None,
    province: Province | None = None,
    search: str = "",
) -> QuerySet[Invitation]:
    """Invitations the actor sees, in Vietnamese order of the invitees' names.

    Invitees of units within the actor's grants, and the whole roster of the points they operate.
    """
    from hoinghi.orgs.vietnamese import search_terms

    invitations = Invitation.objects.filter(conference=conference).select_related(
        "person", "person__unit", "point"
    )
    invitations = scope(actor, "conferences.view", invitations)
    if point is not None:
        invitations = invitations.filter(point=point)
    if status:
        invitations = invitations.filter(status=status)
    if rule is not None:
        invitations = invitations.filter(rules=rule)
    if province is not None:
        invitations = invitations.filter(person__unit__province=province)
    for term in search_terms(search):
        invitations = invitations.filter(person__search_text__contains=term)
    return invitations.order_by("person__sort_key", "person_id")


def invitation_by_token(*, token: str) -> Invitation:
    """The invitation a personal link or QR code names (the token is the credential)."""
    invitation = (
        Invitation.objects.select_related("person", "person__unit", "point", "conference")
        .filter(token=token, status=InvitationStatus.ACTIVE)
        .first()
    )
    if invitation is None:
        raise _not_found()
    return invitation


# --- The preview before issuing, and the difference after data changed ---------------------------


@dataclass
class Preview:
    total: int
    by_rule: list[tuple[EligibilityRule, int]]
    by_level: list[tuple[str, int]]
    by_province: list[tuple[str, int]]
    by_point_level: list[tuple[str, int]]
    without_point: list[Person] = field(default_factory=list)
    without_point_count: int = 0
    without_contact: list[Person] = field(default_factory=list)
    without_contact_count: int = 0
    coming_in: int = 0
    dropping_out: int = 0
    moving_point: int = 0
    coming_in_sample: list[Person] = field(default_factory=list)
    dropping_out_sample: list[Person] = field(default_factory=list)
    rules_matching_nobody: list[EligibilityRule] = field(default_factory=list)


SAMPLE = 50


def invitation_preview(*, actor, conference: Conference) -> Preview:
    """What issuing (or re-applying) would give, counted the ways organisers check it, limited to
    the invitees the actor may see; and how it differs from the invitations stored now."""
    eligibility = eligibility_compute(conference)
    where = reach(actor, "conferences.view")
    candidates = [c for c in eligibility.candidates.values() if where.covers_path(c.unit_path)]
    rules = list(conference.rules.all())
    rule_counts = Counter(rule_id for c in candidates for rule_id in c.rule_ids)
    levels = {level.pk: level.name for level in Level.objects.all()}
    provinces = {p.pk: p.short_name for p in Province.objects.all()}
    points = {p.pk: p for p in BridgePoint.objects.filter(conference=conference).select_related("level")}
    by_level = Counter(levels.get(c.level_id, "") for c in candidates)
    central = _("Trung ương, ngành")  # once, not once per candidate: gettext is slow in a loop
    by_province = Counter(provinces.get(c.province_id, central) for c in candidates)
    by_point_level = Counter(
        points[c.point_id].level.name if c.point_id in points else _("Chưa có điểm cầu") for c in candidates
    )
    no_point = [c.person_id for c in candidates if c.point_id is None]
    no_contact = [c.person_id for c in candidates if not c.has_contact]

    stored = (
        dict(
            scope(
                actor,
                "conferences.view",
                Invitation.objects.filter(conference=conference, status=InvitationStatus.ACTIVE),
            ).values_list("person_id", "point_id")
        )
        if not where.everything
        else dict(
            Invitation.objects.filter(conference=conference, status=InvitationStatus.ACTIVE).values_list(
                "person_id", "point_id"
            )
        )
    )
    wanted = {c.person_id: c.point_id for c in candidates}
    coming_in = [p for p in wanted if p not in stored]
    dropping_out = [p for p in stored if p not in wanted]
    moving = sum(1 for p, point in wanted.items() if p in stored and stored[p] != point)

    def people(ids: list[int]) -> list[Person]:
        return list(Person.objects.filter(pk__in=ids[:SAMPLE]).select_related("unit").order_by("sort_key"))

    all_matches = eligibility.rule_matches  # the same counts rule_match_counts would query again
    return Preview(
        total=len(candidates),
        by_rule=[(rule, rule_counts.get(rule.pk, 0)) for rule in rules],
        by_level=sorted(by_level.items(), key=lambda item: -item[1]),
        by_province=sorted(by_province.items(), key=lambda item: (-item[1], item[0])),
        by_point_level=sorted(by_point_level.items(), key=lambda item: -item[1]),
        without_point=people(no_point),
        without_point_count=len(no_point),
        without_contact=people(no_contact),
        without_contact_count=len(no_contact),
        coming_in=len(coming_in),
        dropping_out=len(dropping_out),
        moving_point=moving,
        coming_in_sample=people(coming_in),
        dropping_out_sample=people(dropping_out),
        rules_matching_nobody=[rule for rule in rules if not all_matches.get(rule.pk)],
    )


def units_served(*, point: BridgePoint) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=point.served.values("unit_id")).order_by("depth", "name_sort_key")


# --- What the conference pages show --------------------------------------------------------------


@dataclass
class ConferenceCounts:
    points: int = 0
    invitees: int = 0


def conference_counts(*, actor, conferences) -> dict[int, ConferenceCounts]:
    """Visible points and active invitees of each conference, in two queries whatever the list."""
    ids = [conference.pk for conference in conferences]
    scoped = scope(actor, "conferences.view", BridgePoint.objects.filter(conference_id__in=ids))
    invitations = scope(
        actor,
        "conferences.view",
        Invitation.objects.filter(conference_id__in=ids, status=InvitationStatus.ACTIVE),
    )
    counts = {pk: ConferenceCounts() for pk in ids}
    for pk, n in (
        scoped.order_by()
        .values("conference_id")
        .annotate(n=Count("id", distinct=True))
        .values_list("conference_id", "n")
    ):
        counts[pk].points = n
    for pk, n in (
        invitations.order_by()
        .values("conference_id")
        .annotate(n=Count("id"))
        .values_list("conference_id", "n")
    ):
        counts[pk].invitees = n
    return counts


# --- Print-outs, rosters and materials -----------------------------------------------------------


def point_roster(*, actor, conference: Conference, point: BridgePoint, base_url: str = ""):
    """The active invitees of `point` the actor sees, in Vietnamese order, as the rows the
    print-outs and the spreadsheet show (`documents.Invitee`).

    Three queries whatever the size: the invitations, their current positions and their
    categories, the last two by subquery rather than a list of ids.
    """
    from hoinghi.conferences.documents import Invitee
    from hoinghi.orgs.models import Position

    invitations = invitation_list(actor=actor, conference=conference, point=point)
    rows = list(
        invitations.values_list(
            "pk",
            "token",
            "person_id",
            "person__code",
            "person__full_name",
            "person__unit__name",
            "person__phone",
            "person__email",
        )
    )
    positions: dict[int, list[str]] = {}
    for person_id, role in (
        Position.objects.filter(
            end_date__isnull=True, person_id__in=invitations.order_by().values("person_id")
        )
        .order_by("person_id", "role__sort_order", "role__name")
        .values_list("person_id", "role__name")
    ):
        held = positions.setdefault(person_id, [])
        if role not in held:
            held.append(role)
    categories: dict[int, list[str]] = {}
    Through = Invitation.rules.through
    for invitation_id, name in (
        Through.objects.filter(invitation_id__in=invitations.order_by().values("pk"))
        .order_by("invitation_id", "eligibilityrule__order")
        .values_list("invitation_id", "eligibilityrule__name")
    ):
        categories.setdefault(invitation_id, []).append(name)
    return [
        Invitee(
            code=code,
            full_name=full_name,
            positions=", ".join(positions.get(person_id, ())),
            unit=unit_name,
            phone=phone,
            email=email,
            categories="; ".join(categories.get(pk, ())) or _("Mời thêm"),
            link=f"{base_url}/moi/{token}/" if base_url else "",
        )
        for pk, token, person_id, code, full_name, unit_name, phone, email in rows
    ]


def document_place(*, conference: Conference, point: BridgePoint | None = None) -> str:
    """Where a print-out of the conference is issued: the place of its issuer, the organising
    unit (`orgs.selectors.unit_place`: "Hà Nội" for the Confederation), whichever point it is
    printed for — Decree 30/2020 dates a document where the body that issues it sits, so the
    Đà Nẵng point's invitations from the Confederation say "Hà Nội, ngày …". Without a place
    anywhere up the chain, the last part of the host point's address."""
    place = orgs_selectors.unit_place(unit=conference.organising_unit)
    if place:
        return place
    host = conference.points.filter(is_host=True).first()
    if host is not None and host.address:
        return host.address.rsplit(",", 1)[-1].strip()
    return ""


def document_letterhead(*, conference: Conference, point: BridgePoint | None = None, day=None):
    """The official header of a print-out of the conference: its organising unit, the place and
    the day (by default the conference's)."""
    from hoinghi.conferences.documents import Letterhead

    return Letterhead(
        issuer=conference.organising_unit.name,
        department=_("Ban Tổ chức"),
        place=document_place(conference=conference, point=point),
        day=day or timezone.localdate(conference.starts_at),
    )


def invitation_letter(*, conference: Conference, point: BridgePoint, invitees):
    """What the printed invitations of `point` show, for `invitees` (rows of `point_roster`)."""
    from hoinghi.conferences.documents import InvitationLetter

    return InvitationLetter(
        letterhead=document_letterhead(
            conference=conference, point=point, day=invitations_issued_on(conference=conference)
        ),
        conference_title=conference.title,
        subject=conference.subject,
        starts_at=timezone.localtime(conference.starts_at),
        point_name=point.name,
        point_address=point.address,
        invitees=invitees,
    )


def invitation_prints(*, actor, point: BridgePoint):
    """The point's background prints the actor may fetch (those who may change the point)."""
    return scope(actor, "conferences.change", InvitationPrint.objects.filter(point=point)).order_by(
        "-created_at", "-id"
    )


def invitations_issued_on(*, conference: Conference):
    """The day invitations were (last) issued, for the date line of the printed invitation."""
    moved = (
        conference.transitions.filter(to_status="invitations_issued")
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return timezone.localdate(moved) if moved else timezone.localdate()


def programme_items(*, conference: Conference):
    """The programme in order, with its presenters (and their people) loaded."""
    return conference.programme.prefetch_related(
        Prefetch("presenters", queryset=Presenter.objects.select_related("person").order_by("order", "id")),
        "materials",
    ).order_by("order", "id")


def material_list(*, actor, conference: Conference):
    """The conference's materials. Whoever sees the conference (organisers, viewers, operators
    of its points: `conference_get`) sees all of them: they are meant for every invitee."""
    conference_get(actor=actor, pk=conference.pk)
    return (
        Material.objects.filter(conference=conference)
        .select_related("item")
        .order_by("item__order", "title", "id")
    )


def material_get(*, actor, conference: Conference, pk: int):
    material = material_list(actor=actor, conference=conference).filter(pk=pk).first()
    if material is None:
        raise _not_found()
    return material


def invitation_materials(*, invitation: Invitation):
    """What the invitee may download from their personal page: every material of the conference."""
    return (
        Material.objects.filter(conference_id=invitation.conference_id)
        .select_related("item")
        .order_by("item__order", "title", "id")
    )


# --- Pages of rules, invitations and the outbox ---------------------------------------------------


@dataclass
class RuleRow:
    rule: EligibilityRule
    matches: int


def rule_rows(*, conference: Conference) -> list[RuleRow]:
    """The conference's rules with their conditions loaded and how many people each matches now.

    The rules belong to the conference as a whole: whoever sees the conference sees them, and the
    counts are of the whole organisation (only the preview narrows to the actor's subtree)."""
    counts = rule_match_counts(conference)
    rules = conference.rules.prefetch_related("roles", "levels", "unit_kinds").select_related("within")
    return [RuleRow(rule=rule, matches=counts.get(rule.pk, 0)) for rule in rules]


def rule_get(*, conference: Conference, pk: int) -> EligibilityRule:
    rule = conference.rules.prefetch_related("roles", "levels", "unit_kinds").filter(pk=pk).first()
    if rule is None:
        raise _not_found()
    return rule


def override_list(*, actor, conference: Conference) -> QuerySet[InvitationOverride]:
    """The explicit includes and excludes of people the actor sees, in Vietnamese name order."""
    return scope(
        actor,
        "conferences.view",
        InvitationOverride.objects.filter(conference=conference).select_related(
            "person", "person__unit", "created_by"
        ),
    ).order_by("kind", "person__sort_key", "id")


def invitation_rows(*, actor, conference: Conference, **filters) -> QuerySet[Invitation]:
    """`invitation_list` with each row's categories and e-mails loaded (two queries per page)."""
    return invitation_list(actor=actor, conference=conference, **filters).prefetch_related(
        Prefetch("rules", queryset=EligibilityRule.objects.order_by("order", "id")),
        Prefetch(
            "messages",
            queryset=OutboxMessage.objects.filter(kind=INVITATION_EMAIL).order_by("-created_at", "-id"),
        ),
    )


def invitation_get(*, actor, conference: Conference, pk: int) -> Invitation:
    """One invitation of a person in the actor's grants (any status)."""
    invitation = (
        scope(
            actor,
            "conferences.view",
            Invitation.objects.filter(conference=conference).select_related(
                "person", "person__unit", "point"
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise _not_found()
    return invitation


# What a clone copies: selectors/clone.py.
from hoinghi.conferences.selectors.clone import ClonePlan, conference_clone_plan  # noqa: E402, F401

# The outbox (e-mail) and the SMS sent to invitees: selectors/sending.py.
from hoinghi.conferences.selectors.sending import (  # noqa: E402, F401
    SMS_CHANNELS,
    OutboxSummary,
    SmsPlan,
    SmsSummary,
    email_recipients,
    outbox_get,
    outbox_list,
    outbox_messages,
    outbox_summary,
    sms_list,
    sms_plan,
    sms_recipients,
    sms_summary,
)
