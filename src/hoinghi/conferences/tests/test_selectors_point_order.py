"""Lists of bridge points are in Vietnamese alphabetical order (a ă â b c d đ e ê …) on both
databases: they order by the stored sort key of the name (`BridgePoint.name_sort_key`), never by
the database's collation, which on SQLite (and PostgreSQL's "C") compares code points."""

from hoinghi.attendance.dashboard import dashboard_snapshot
from hoinghi.attendance.selectors import points_to_operate
from hoinghi.conferences import selectors, services
from hoinghi.conferences.models import BridgePoint
from hoinghi.orgs.tests.test_vietnamese import PLACES_IN_ORDER

SHUFFLED = ["Điện Biên", "Bắc Giang", "Đà Nẵng", "An Giang", "Bà Rịa", "Ả"]


def _points(small_conference, superuser, point_levels):
    conference = small_conference.conference
    BridgePoint.objects.filter(conference=conference, is_host=False).delete()
    for name in SHUFFLED:
        services.point_create(
            actor=superuser,
            conference=conference,
            unit=small_conference.conference.organising_unit,
            name=name,
            level=point_levels["district"],
            serves_own_unit=False,
        )
    return conference


def test_the_points_list_is_in_vietnamese_order(small_conference, superuser, point_levels):
    conference = _points(small_conference, superuser, point_levels)
    names = [point.name for point in selectors.point_list(actor=superuser, conference=conference)]
    assert names == ["Điểm cầu Trung ương", *PLACES_IN_ORDER]  # the host first, then by name
    assert [point.name for point in BridgePoint.objects.filter(conference=conference, is_host=False)] == (
        PLACES_IN_ORDER
    )


def test_a_renamed_point_takes_its_place(small_conference, superuser, point_levels):
    conference = _points(small_conference, superuser, point_levels)
    point = BridgePoint.objects.get(conference=conference, name="Ả")
    services.point_update(actor=superuser, point=point, name="Đắk Lắk")
    names = [p.name for p in selectors.point_list(actor=superuser, conference=conference) if not p.is_host]
    assert names == ["An Giang", "Bà Rịa", "Bắc Giang", "Đà Nẵng", "Đắk Lắk", "Điện Biên"]


def test_the_dashboard_and_the_operators_pages_list_points_in_vietnamese_order(
    small_conference, superuser, point_levels, make_user
):
    conference = _points(small_conference, superuser, point_levels)
    services.conference_issue(actor=superuser, conference=conference)
    snapshot = dashboard_snapshot(actor=superuser, conference=conference)
    assert [point["name"] for point in snapshot["points"] if point["name"] in SHUFFLED] == PLACES_IN_ORDER
    operator = make_user()
    for point in BridgePoint.objects.filter(conference=conference, is_host=False):
        services.point_operator_add(actor=superuser, point=point, user=operator)
    assert [point.name for point in points_to_operate(actor=operator)] == PLACES_IN_ORDER
