"""The conference of 6 December 2018 as organisers would build it."""

import random
from datetime import datetime, timedelta

from hoinghi.demo.scenario.tree import (
    COMMITTEE_ROLES,
    HANOI_CODE,
    LARGE_UNION_MEMBERS,
    ROOT_CODE,
    SEED,
    district_point_codes,
)
from hoinghi.orgs.models import (
    Level,
    Person,
    PositionRole,
    Unit,
    UnitKind,
)

CONFERENCE_TITLE = "Hội nghị trực tuyến học tập, quán triệt Nghị quyết Đại hội XII Công đoàn Việt Nam"
POINT_LEVELS = (
    ("central", "Trung ương", 0),
    ("provincial", "Tỉnh, thành phố", 1),
    ("district", "Quận, huyện", 2),
)
# (kind, title, presenters by full name, minutes)
PROGRAMME_2018 = (
    ("opening", "Phát biểu khai mạc hội nghị", ("Bùi Văn Cường",), 15),
    (
        "topic",
        "Tư duy mới và những vấn đề lớn của Nghị quyết Đại hội Công đoàn Việt Nam lần thứ XII",
        ("Bùi Văn Cường",),
        45,
    ),
    (
        "topic",
        "Đổi mới việc thực hiện chức năng đại diện cho người lao động, chăm lo và bảo vệ quyền và lợi ích "
        "hợp pháp, chính đáng của người lao động",
        ("Trần Thanh Hải",),
        40,
    ),
    ("topic", "Việc tổ chức các phong trào thi đua yêu nước trong tình hình mới", ("Ngọ Duy Hiểu",), 30),
    (
        "topic",
        "Đổi mới tổ chức và hoạt động công đoàn; củng cố, kiện toàn và nâng cao chất lượng hoạt động "
        "của Ban nữ công quần chúng",
        ("Trần Thanh Hải",),
        35,
    ),
    ("topic", "Tăng cường công tác kiểm tra, giám sát công đoàn trong tình hình mới", ("Phan Văn Anh",), 30),
)
# The five categories of key officials invited in 2018 (DESIGN.md).
RULES_2018 = (
    (
        "Ủy viên Ban Chấp hành, Ủy viên Ủy ban Kiểm tra Tổng Liên đoàn",
        COMMITTEE_ROLES,
        ("national",),
        (),
        "any",
        None,
    ),
    (
        "Ủy viên Ban Chấp hành, Ủy viên Ủy ban Kiểm tra cấp tỉnh, thành phố, ngành Trung ương, "
        "công đoàn tổng công ty",
        COMMITTEE_ROLES,
        ("provincial",),
        (),
        "any",
        None,
    ),
    (
        "Ủy viên Ban Chấp hành, Ủy viên Ủy ban Kiểm tra cấp quận, huyện và tương đương",
        COMMITTEE_ROLES,
        ("district",),
        (),
        "any",
        None,
    ),
    ("Cán bộ công đoàn chuyên trách từ công đoàn cơ sở trở lên", (), (), (), "yes", None),
    (
        "Chủ tịch công đoàn cơ sở có từ 2.000 đoàn viên trở lên",
        ("grassroots_chair",),
        (),
        ("grassroots",),
        "any",
        LARGE_UNION_MEMBERS,
    ),
)


def conference_2018_create(*, actor):
    """The conference of 6-12-2018 as organisers would build it: 364 bridge points, the five
    categories of key officials, the programme, and invitations issued."""
    from zoneinfo import ZoneInfo

    from hoinghi.conferences import services as conferences
    from hoinghi.conferences.models import BridgePointLevel, Conference

    existing = Conference.objects.filter(title=CONFERENCE_TITLE).first()
    if existing is not None:
        return existing
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    starts = datetime(2018, 12, 6, 8, 0, tzinfo=zone)
    root = Unit.objects.get(code=ROOT_CODE)
    conference = conferences.conference_create(
        actor=actor,
        organising_unit=root,
        title=CONFERENCE_TITLE,
        starts_at=starts,
        is_demo=True,
        ends_at=datetime(2018, 12, 6, 11, 30, tzinfo=zone),
        subject=(
            "Nghị quyết Đại hội Công đoàn Việt Nam lần thứ XII, nhiệm kỳ 2018–2023 (thông qua ngày 26-9-2018)"
        ),
    )
    levels = {}
    for code, name, rank in POINT_LEVELS:
        levels[code], _ = BridgePointLevel.objects.update_or_create(
            code=code, defaults={"name": name, "rank": rank}
        )

    clock = starts + timedelta(minutes=5)
    for kind, title, presenter_names, minutes in PROGRAMME_2018:
        item = conferences.programme_item_create(
            actor=actor,
            conference=conference,
            kind=kind,
            title=title,
            planned_start=clock,
            planned_end=clock + timedelta(minutes=minutes),
        )
        for full_name in presenter_names:
            person = Person.objects.get(unit=root, full_name=full_name)
            position = person.positions.select_related("role").first()
            conferences.presenter_add(
                actor=actor,
                item=item,
                person=person,
                title=f"{position.role.name} Tổng Liên đoàn Lao động Việt Nam",
            )
        clock += timedelta(minutes=minutes)

    rng = random.Random(f"{SEED}-points")
    conferences.point_create(
        actor=actor,
        conference=conference,
        unit=root,
        level=levels["central"],
        is_host=True,
        name="Điểm cầu Trung ương — Cung Văn hóa Hữu nghị Việt Xô",
        capacity=1_800,
        address="91 Trần Hưng Đạo, quận Hoàn Kiếm, Hà Nội",
        contact_name="Trung tâm Thông tin Tổng Liên đoàn",
        contact_phone="02439421234",
        contact_email="kythuat@congdoan.vn",
    )
    federations = Unit.objects.filter(kind__code="provincial_federation").exclude(code=f"LDLD{HANOI_CODE}")
    districts = Unit.objects.filter(code__in=district_point_codes())
    for units, level in ((federations, levels["provincial"]), (districts, levels["district"])):
        for unit in units.order_by("code"):
            place = unit.name.removeprefix("Liên đoàn Lao động ")
            place = place[0].upper() + place[1:]
            ready = rng.random()
            point = conferences.point_create(
                actor=actor,
                conference=conference,
                unit=unit,
                level=level,
                name=f"Điểm cầu {place}",
                address=f"Hội trường {unit.name}",
                capacity=rng.choice([60, 80, 100, 150, 200, 300, 500]),
                contact_name="" if ready < 0.03 else "Cán bộ kỹ thuật",
                contact_phone="" if ready < 0.03 else f"09{rng.randrange(10**8):08d}",
            )
            for item, threshold in (
                ("operator_confirmed_at", 0.05),
                ("equipment_ready_at", 0.08),
                ("link_tested_at", 0.12),
            ):
                if ready > threshold:
                    conferences.point_readiness_mark(
                        actor=actor,
                        point=point,
                        item=item,
                        done=True,
                        at=starts - timedelta(days=1, hours=rng.randrange(0, 48)),
                    )

    roles = {role.code: role for role in PositionRole.objects.all()}
    kinds = {kind.code: kind for kind in UnitKind.objects.all()}
    unit_levels = {level.code: level for level in Level.objects.all()}
    for name, role_codes, level_codes, kind_codes, full_time, min_members in RULES_2018:
        conferences.rule_save(
            actor=actor,
            conference=conference,
            name=name,
            roles=[roles[c] for c in role_codes],
            levels=[unit_levels[c] for c in level_codes],
            unit_kinds=[kinds[c] for c in kind_codes],
            full_time=full_time,
            min_member_count=min_members,
        )
    from hoinghi.accounts.models import User

    operator = User.objects.filter(username="badinh").first()
    ba_dinh = conference.points.filter(unit__code=f"LDLD{HANOI_CODE}-001").first()
    if operator is not None and ba_dinh is not None:
        conferences.point_operator_add(actor=actor, point=ba_dinh, user=operator)
    conferences.conference_issue(actor=actor, conference=conference)
    _rooms_for_the_invitees(actor, conference)
    # The demo's history: the invitations went out ten days before the conference.
    conference.transitions.filter(to_status="invitations_issued").update(
        at=starts - timedelta(days=10, hours=-1)
    )
    return conference


ROOM_SIZES = (60, 80, 100, 150, 200, 300, 500, 800, 1_000, 1_500, 1_800)
ROOMS_LEFT_SHORT = 2


def _rooms_for_the_invitees(actor, conference) -> None:
    """Each point's hall was booked before the invitations were counted; a hall too small for its
    invitees is changed for the next size up, as a province's office would, except two left
    short (the overview warns of those)."""
    from django.db.models import Count

    from hoinghi.conferences import services as conferences
    from hoinghi.conferences.models import InvitationStatus

    invited = dict(
        conference.invitations.filter(status=InvitationStatus.ACTIVE)
        .values_list("point")
        .annotate(n=Count("id"))
        .order_by()
    )
    short = 0
    for point in conference.points.order_by("pk"):
        count = invited.get(point.pk, 0)
        if point.capacity is None or count <= point.capacity:
            continue
        if short < ROOMS_LEFT_SHORT:
            short += 1
            continue
        size = next((size for size in ROOM_SIZES if size >= count), count)
        conferences.point_update(actor=actor, point=point, capacity=size)
