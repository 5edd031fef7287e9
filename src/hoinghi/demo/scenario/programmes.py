"""The action programmes of a few provincial federations (and one district of each) for the 2018
resolution, with items in every status: done with their evidence, in progress, not started and
overdue, so that the programme pages, the target pages and the daily reminder have something to
show.

The demo is replayed any year, so deadlines are set from the day it is loaded (an overdue item's
deadline lies before it, a running one's after it); which item gets which status is fixed. A
unit that has a programme already is left as it is: a second run adds nothing.
"""

from datetime import date, timedelta

from django.utils import timezone

from hoinghi.demo.scenario.resolution import CODE
from hoinghi.orgs.models import Person, PositionRole, Unit
from hoinghi.resolutions import services
from hoinghi.resolutions.models import ActionProgramme, ItemStatus, Resolution

# The provincial federations (unit codes) given a programme, each with one district's.
PROVINCES = ("LDLD01", "LDLD79", "LDLD48", "LDLD31")

# text, the part served (kind, number), the status, deadline in days from today, the owner:
# "unit" (the federation itself), "district" (its first district), "president" (the holder of
# the president's role in the federation), "person" (an official of the federation).
ITEMS = (
    (
        "Tổ chức hội nghị học tập, quán triệt Nghị quyết Đại hội XII đến 100% công đoàn cơ sở",
        ("target", 9),
        ItemStatus.DONE,
        -400,
        "president",
    ),
    (
        "Xây dựng kế hoạch phát triển đoàn viên, thành lập công đoàn cơ sở ở doanh nghiệp từ 25 lao động",
        ("target", 1),
        ItemStatus.DONE,
        -200,
        "unit",
    ),
    (
        "Rà soát doanh nghiệp chưa có công đoàn tại các khu công nghiệp, giao chỉ tiêu cho từng quận, huyện",
        ("target", 1),
        ItemStatus.IN_PROGRESS,
        45,
        "district",
    ),
    (
        "Tập huấn kỹ năng thương lượng tập thể cho chủ tịch công đoàn cơ sở khu vực ngoài nhà nước",
        ("target", 3),
        ItemStatus.IN_PROGRESS,
        -20,
        "person",
    ),
    (
        "Đối thoại định kỳ với người sử dụng lao động tại 100% doanh nghiệp có công đoàn",
        ("target", 8),
        ItemStatus.NOT_STARTED,
        -35,
        "district",
    ),
    (
        "Kiểm tra tài chính 100% công đoàn cấp trên trực tiếp cơ sở trong năm",
        ("target", 4),
        ItemStatus.NOT_STARTED,
        120,
        "unit",
    ),
    (
        "Khởi công nhà ở cho công nhân tại khu công nghiệp (thiết chế công đoàn)",
        ("target", 5),
        ItemStatus.NOT_STARTED,
        300,
        "president",
    ),
    (
        "Bồi dưỡng nghiệp vụ cho cán bộ công đoàn chuyên trách mới",
        ("task", 6),
        ItemStatus.IN_PROGRESS,
        90,
        "person",
    ),
)
DISTRICT_ITEMS = (
    ("Vận động công nhân tại doanh nghiệp mới gia nhập công đoàn", ("target", 1), ItemStatus.IN_PROGRESS, 30),
    (
        "Thành lập công đoàn cơ sở tại 5 doanh nghiệp chưa có tổ chức công đoàn",
        ("target", 1),
        ItemStatus.NOT_STARTED,
        -10,
    ),
    (
        "Tổ chức hội nghị quán triệt nghị quyết cho cán bộ công đoàn cơ sở",
        ("target", 9),
        ItemStatus.DONE,
        -300,
    ),
)
EVIDENCE = "Đã thực hiện; báo cáo kết quả gửi Ban Thường vụ, lưu tại văn phòng."


def _owner(kind: str, federation: Unit, district: Unit, president, person) -> services.Owner:
    if kind == "district":
        return services.Owner(unit=district)
    if kind == "president" and president is not None:
        return services.Owner(unit=federation, role=president)
    if kind == "person" and person is not None:
        return services.Owner(person=person)
    return services.Owner(unit=federation)


def _add(actor, programme, parts, text, part, status, days, owner, today: date) -> None:
    item = services.action_item_create(
        actor=actor,
        programme=programme,
        text=text,
        serves=parts[part],
        deadline=today + timedelta(days=days),
        owner=owner,
    )
    if status != ItemStatus.NOT_STARTED:
        services.action_item_status_set(
            actor=actor,
            item=item,
            status=status,
            evidence_text=EVIDENCE if status == ItemStatus.DONE else "",
            today=min(today, item.deadline),
        )


def programmes_2018_create(*, actor, today: date | None = None, provinces=PROVINCES) -> int:
    """The programmes of the federations `provinces` (unit codes) and of the first district of
    each (once per unit); returns how many programmes were made."""
    today = today or timezone.localdate()
    resolution = Resolution.objects.filter(code=CODE).first()
    if resolution is None:
        return 0
    parts = {(item.kind, item.number): item for item in resolution.items.all()}
    president = PositionRole.objects.filter(code="president").first()
    made = 0
    for code in provinces:
        federation = Unit.objects.filter(code=code).first()
        if federation is None:
            continue
        district = Unit.objects.filter(parent=federation).order_by("code").first() or federation
        person = Person.objects.filter(unit=federation).order_by("sort_key", "pk").first()
        if not ActionProgramme.objects.filter(resolution=resolution, unit=federation).exists():
            programme = services.programme_create(
                actor=actor,
                resolution=resolution,
                unit=federation,
                title=f"Chương trình hành động thực hiện Nghị quyết Đại hội XII của {federation.name}",
                adopted_on=date(2019, 1, 15),
            )
            for text, part, status, days, owner in ITEMS:
                owner_value = _owner(owner, federation, district, president, person)
                _add(actor, programme, parts, text, part, status, days, owner_value, today)
            made += 1
        if (
            district != federation
            and not ActionProgramme.objects.filter(resolution=resolution, unit=district).exists()
        ):
            programme = services.programme_create(
                actor=actor,
                resolution=resolution,
                unit=district,
                title=f"Chương trình hành động của {district.name}",
                adopted_on=date(2019, 3, 1),
            )
            for text, part, status, days in DISTRICT_ITEMS:
                _add(actor, programme, parts, text, part, status, days, services.Owner(unit=district), today)
            made += 1
    return made
