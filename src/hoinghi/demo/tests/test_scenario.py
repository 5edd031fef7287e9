from django.core.management import call_command

from hoinghi.core.tree import path_ids
from hoinghi.demo.scenario import (
    COMMITTEE_ROLES,
    HANOI_CODE,
    LARGE_UNION_MEMBERS,
    ROOT_CODE,
    build_plan,
    district_point_codes,
    person_categories,
    point_unit,
)
from hoinghi.orgs.models import Person, Position, Province, Unit


def _invited_by_category() -> dict[int, set[int]]:
    """The five categories of key officials of DESIGN.md, read from the stored positions."""
    committee = Position.objects.filter(role__code__in=COMMITTEE_ROLES)
    by_level = {
        level: set(committee.filter(unit__kind__level__code=level).values_list("person_id", flat=True))
        for level in ("national", "provincial", "district")
    }
    return {
        1: by_level["national"],
        2: by_level["provincial"],
        3: by_level["district"],
        4: set(Position.objects.filter(is_full_time=True).values_list("person_id", flat=True)),
        5: set(
            Position.objects.filter(
                role__code="grassroots_chair",
                unit__kind__code="grassroots",
                unit__member_count__gte=LARGE_UNION_MEMBERS,
            ).values_list("person_id", flat=True)
        ),
    }


def _host_point_people(invited: set[int]) -> set[int]:
    """Invitees whose nearest unit with a bridge point is the national level (the Hanoi host point)."""
    points = set(Unit.objects.filter(code__in=district_point_codes()).values_list("id", flat=True)) | set(
        Unit.objects.filter(kind__code="provincial_federation")
        .exclude(province__code=HANOI_CODE)
        .values_list("id", flat=True)
    )
    root = Unit.objects.get(code=ROOT_CODE)
    paths = dict(Person.objects.filter(id__in=invited).values_list("id", "unit__path"))
    host = set()
    for person_id, path in paths.items():
        nearest = next((unit_id for unit_id in reversed(path_ids(path)) if unit_id in points), root.id)
        if nearest == root.id:
            host.add(person_id)
    return host


def test_demo_load_builds_the_2018_confederation_once(db, capsys):
    call_command("demo_load", no_conference=True)
    counts = (Unit.objects.count(), Person.objects.count(), Position.objects.count())

    categories = _invited_by_category()
    invited = set().union(*categories.values())
    assert len(invited) == 24_814
    assert len(_host_point_people(invited)) == 1_700
    assert all(categories.values()), "every category has people"
    assert len(categories[5]) >= 1_000

    assert Province.objects.count() == 63
    assert Unit.objects.filter(kind__code="provincial_federation").count() == 63
    assert Unit.objects.filter(kind__code="sector_union").count() == 18
    assert Unit.objects.filter(kind__code="district_federation").count() == 705
    assert Unit.objects.filter(code__in=district_point_codes()).count() == 301
    assert Unit.objects.get(code="LDLD01-001").name == "Liên đoàn Lao động quận Ba Đình"
    assert Unit.objects.get(code="LDLD79").name == "Liên đoàn Lao động Thành phố Hồ Chí Minh"
    president = Position.objects.get(role__code="president", unit__code=ROOT_CODE).person
    assert president.full_name == "Bùi Văn Cường"
    for name in ("Trần Thanh Hải", "Ngọ Duy Hiểu", "Phan Văn Anh"):
        assert Position.objects.filter(
            role__code="vice_president", unit__code=ROOT_CODE, person__full_name=name
        ).exists()

    # Every unit's path is its parent's path and its own id; member counts add up the tree.
    for unit in Unit.objects.select_related("parent").filter(depth__gt=0)[:2000]:
        assert unit.path == f"{unit.parent.path}{unit.id}/"
    root = Unit.objects.get(code=ROOT_CODE)
    grassroots_members = sum(
        Unit.objects.filter(kind__code="grassroots").values_list("member_count", flat=True)
    )
    assert root.member_count == grassroots_members

    call_command("demo_load", no_conference=True)
    assert (Unit.objects.count(), Person.objects.count(), Position.objects.count()) == counts
    assert "đã có sẵn" in capsys.readouterr().out


def test_the_plan_is_the_same_on_every_run():
    first, second = build_plan(), build_plan()
    assert [u.code for u in first.units] == [u.code for u in second.units]

    def people(plan):
        return [(p.family_name, p.middle_name, p.given_name, p.birth_date, p.unit.code) for p in plan.people]

    assert people(first) == people(second)


def test_scale_grows_the_tree_but_not_the_invitation_list():
    base, scaled = build_plan(scale=1), build_plan(scale=3)
    assert len(scaled.units) > 2 * len(base.units)
    assert len(scaled.people) > 1.5 * len(base.people)
    for plan in (base, scaled):
        invited = [p for p in plan.people if person_categories(p)]
        assert len(invited) == 24_814
        assert sum(1 for p in invited if point_unit(p.unit) is plan.root) == 1_700


def test_demo_logins_are_created_once_with_their_grants(db, capsys):
    call_command("demo_load", no_conference=True)
    call_command("demo_logins")
    call_command("demo_logins")
    from hoinghi.accounts.models import Grant, User

    assert (
        User.objects.filter(
            username__in=["admin", "bantochuc", "hanoi", "badinh", "giaoduc", "lanhdao"]
        ).count()
        == 6
    )
    assert Grant.objects.filter(user__username="hanoi", role="organiser", unit__code="LDLD01").count() == 1
    # The Ba Đình operator holds no role: only the operator relation, given with the conference.
    assert not Grant.objects.filter(user__username="badinh").exists()
    assert "hoinghi-2018" in capsys.readouterr().out


def test_the_2018_conference_invites_24814_key_officials_1700_at_the_host_point(db):
    """The figures of the article, computed by the eligibility rules from the generated data."""
    from django.db.models import Count

    from hoinghi.conferences.models import Conference, InvitationStatus

    call_command("demo_load")
    conference = Conference.objects.get()
    assert conference.is_demo  # the replay of the morning may run on it, and only on such a conference
    active = conference.invitations.filter(status=InvitationStatus.ACTIVE)

    assert active.count() == 24_814
    assert active.filter(point__is_host=True).count() == 1_700
    assert not active.filter(point__isnull=True).exists()
    points = dict(conference.points.values_list("level__code").annotate(n=Count("id")))
    assert points == {"central": 1, "provincial": 62, "district": 301}
    assert conference.points.get(is_host=True).name.endswith("Cung Văn hóa Hữu nghị Việt Xô")
    # Halls fit their invitees, except the two the overview warns of.
    invited_at = dict(active.values_list("point").annotate(n=Count("id")).order_by())
    short = [p for p in conference.points.all() if (p.capacity or 10**6) < invited_at.get(p.pk, 0)]
    assert len(short) == 2, [(p.name, invited_at.get(p.pk), p.capacity) for p in short]
    by_rule = dict(active.values_list("rules__order").annotate(n=Count("id")))
    assert all(by_rule.get(order) for order in range(1, 6)), by_rule

    programme = list(conference.programme.prefetch_related("presenters__person"))
    assert [item.kind for item in programme] == ["opening"] + ["topic"] * 5
    presenters = {p.person.full_name for item in programme for p in item.presenters.all()}
    assert presenters == {"Bùi Văn Cường", "Trần Thanh Hải", "Ngọ Duy Hiểu", "Phan Văn Anh"}
    assert programme[0].presenters.get().person.full_name == "Bùi Văn Cường"

    # The learning reports of Hà Nội and the host point, with the copied-text flags of both kinds
    # and Hà Nội's reports in the queue of its reviewer.
    from django.db.models import Q

    from hoinghi.learning_reports.models import Marking, Report, SimilarityFlag, VersionShingles

    hanoi = Unit.objects.get(code="LDLD01")
    written = active.filter(Q(person__unit__path__startswith=hanoi.path) | Q(point__is_host=True))
    reports = Report.objects.filter(assignment__conference=conference)
    assert reports.count() == written.count() > 2_000
    flags = SimilarityFlag.objects.filter(version__report__assignment__conference=conference)
    assert flags.filter(other_version__isnull=False).exists() and flags.exclude(reference="").exists()
    assert Marking.objects.filter(reviewer__username="chambai").count() > 500
    # The pass stored every version's sample: a worker's first check reads them, not the texts.
    assert VersionShingles.objects.filter(version__report__assignment__conference=conference).count() == (
        reports.count()
    )

    call_command("demo_load")
    assert Conference.objects.count() == 1
    assert conference.invitations.count() == 24_814
    assert reports.count() == written.count()
