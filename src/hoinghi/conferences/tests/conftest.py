"""A small conference on the small tree: host point at the centre, a provincial point for
Hồ Chí Minh and a district point for Ba Đình; two rules; people in every unit."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hoinghi.conferences import services
from hoinghi.conferences.models import BridgePoint, BridgePointLevel, Conference, EligibilityRule
from hoinghi.orgs.models import Person
from hoinghi.orgs.tests.factories import PersonFactory, PositionFactory, PositionRoleFactory

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class SmallConference:
    conference: Conference
    host: BridgePoint
    hcm_point: BridgePoint
    ba_dinh_point: BridgePoint
    committee_rule: EligibilityRule
    chair_rule: EligibilityRule
    people: dict[str, Person]  # by unit code: the committee member, plus "chair-a", "chair-b"


@pytest.fixture
def point_levels(db):
    return {
        code: BridgePointLevel.objects.create(code=code, name=name, rank=rank)
        for code, name, rank in (
            ("central", "Trung ương", 0),
            ("provincial", "Tỉnh", 1),
            ("district", "Huyện", 2),
        )
    }


@pytest.fixture
def small_conference(small_tree, superuser, point_levels) -> SmallConference:
    """Committee members of every unit above grassroots are invited (rule 1), and grassroots
    chairs of unions with 2,000+ members (rule 2): CĐCS A has 2,500 members, CĐCS B 300."""
    tree = small_tree
    committee = PositionRoleFactory(code="executive_member", name="Ủy viên Ban Chấp hành", sort_order=30)
    chair = PositionRoleFactory(code="grassroots_chair", name="Chủ tịch công đoàn cơ sở", sort_order=70)
    tree.grassroots_a.member_count = 2500
    tree.grassroots_a.save()
    tree.grassroots_b.member_count = 300
    tree.grassroots_b.save()
    people = {}
    for unit, given in (
        (tree.national, "An"),
        (tree.hanoi, "Bình"),
        (tree.ba_dinh, "Chi"),
        (tree.hcm, "Dũng"),
        (tree.district_1, "Hà"),
    ):
        person = PersonFactory(
            unit=unit, given_name=given, phone="0912345678", email=f"{unit.code.lower()}@cd.vn"
        )
        PositionFactory(person=person, role=committee)
        people[unit.code] = person
    people["chair-a"] = PersonFactory(unit=tree.grassroots_a, given_name="Lan", phone="0900000001")
    PositionFactory(person=people["chair-a"], role=chair)
    people["chair-b"] = PersonFactory(unit=tree.grassroots_b, given_name="Minh", phone="0900000002")
    PositionFactory(person=people["chair-b"], role=chair)

    conference = services.conference_create(
        actor=superuser,
        organising_unit=tree.national,
        title="Hội nghị thử",
        starts_at=datetime(2018, 12, 6, 8, 0, tzinfo=ZONE),
    )
    host = services.point_create(
        actor=superuser,
        conference=conference,
        unit=tree.national,
        is_host=True,
        name="Điểm cầu Trung ương",
        level=point_levels["central"],
    )
    hcm_point = services.point_create(
        actor=superuser,
        conference=conference,
        unit=tree.hcm,
        name="Điểm cầu Hồ Chí Minh",
        level=point_levels["provincial"],
    )
    ba_dinh_point = services.point_create(
        actor=superuser,
        conference=conference,
        unit=tree.ba_dinh,
        name="Điểm cầu Ba Đình",
        level=point_levels["district"],
    )
    committee_rule = services.rule_save(
        actor=superuser, conference=conference, name="Ủy viên BCH", roles=[committee]
    )
    chair_rule = services.rule_save(
        actor=superuser, conference=conference, name="Chủ tịch CĐCS lớn", roles=[chair], min_member_count=2000
    )
    return SmallConference(conference, host, hcm_point, ba_dinh_point, committee_rule, chair_rule, people)


@dataclass
class OtherConference:
    conference: Conference
    host: BridgePoint
    item: object  # a ProgrammeItem
    rule: EligibilityRule


@pytest.fixture
def other_conference(small_conference, superuser, point_levels) -> OtherConference:
    """A second conference of the same organising unit: its parts must never be taken for the
    small conference's."""
    from hoinghi.orgs.models import Unit

    national = Unit.objects.get(pk=small_conference.conference.organising_unit_id)
    conference = services.conference_create(
        actor=superuser,
        organising_unit=national,
        title="Hội nghị khác",
        starts_at=datetime(2019, 3, 1, 8, 0, tzinfo=ZONE),
    )
    host = services.point_create(
        actor=superuser,
        conference=conference,
        unit=national,
        is_host=True,
        name="Điểm cầu chính của hội nghị khác",
        level=point_levels["central"],
    )
    item = services.programme_item_create(
        actor=superuser, conference=conference, kind="topic", title="Chuyên đề"
    )
    rule = services.rule_save(actor=superuser, conference=conference, name="Nhóm khác", min_member_count=1)
    return OtherConference(conference, host, item, rule)
