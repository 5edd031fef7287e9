"""Trends over periods and the projection to the deadline (trends.py, charts.py)."""

from datetime import date
from decimal import Decimal

import pytest

from hoinghi.resolutions import charts, services
from hoinghi.resolutions.figures import indicator_values
from hoinghi.resolutions.models import Direction, Periodicity
from hoinghi.resolutions.trends import Track, indicator_projection, indicator_series, project

D = Decimal
START, MIDDLE, DEADLINE = date(2019, 1, 1), date(2020, 1, 1), date(2021, 1, 1)  # 365 and 366 days


def _at(points, until=DEADLINE, target=None, direction=Direction.AT_LEAST):
    return project(points, until=until, target=D(100) if target is None else target, direction=direction)


def test_a_trend_that_reaches_the_target_exactly_at_the_deadline_is_on_track():
    # 0 → 50 over 365 days; 366 days more at the same pace lands a bit above 100: use x in days.
    points = [(START, D(0)), (MIDDLE, D(365))]  # 1 a day
    on_time = _at(points, target=D(731))  # 731 days after the start: exactly 731
    assert on_time.status == Track.ON
    assert on_time.value == D("731.0")
    assert _at(points, target=D("731.01")).status == Track.OFF


def test_the_least_squares_line_through_three_points_is_read_at_the_deadline():
    points = [(date(2019, 1, 1), D(10)), (date(2019, 1, 11), D(30)), (date(2019, 1, 21), D(20))]
    # slope 0.5 a day through the means (day 10, 20): on day 40 the line is at 35.
    projection = _at(points, until=date(2019, 2, 10), target=D(35))
    assert projection.value == D("35.0")
    assert projection.status == Track.ON
    assert _at(points, until=date(2019, 2, 10), target=D("35.1")).status == Track.OFF


def test_an_at_most_target_is_on_track_when_the_line_stays_at_or_below_it():
    points = [(START, D(731)), (MIDDLE, D(366))]  # down 1 a day: 0 at the deadline
    assert _at(points, target=D(0), direction=Direction.AT_MOST).status == Track.ON
    assert _at(points, target=D("-0.01"), direction=Direction.AT_MOST).status == Track.OFF
    falling = [(START, D(30)), (MIDDLE, D(20))]  # 15 half a year (182.5 days) after the last
    assert _at(falling, until=date(2020, 7, 1), target=D(15), direction=Direction.AT_MOST).status == Track.OFF
    assert _at(falling, until=date(2020, 7, 2), target=D(15), direction=Direction.AT_MOST).status == Track.ON


def test_one_value_or_a_deadline_reached_compares_the_value_itself_and_none_is_unknown():
    assert _at([(START, D(100))]).status == Track.ON
    assert _at([(START, D("99.9"))]).status == Track.OFF
    reached = _at([(START, D(0)), (MIDDLE, D(100))], until=MIDDLE, target=D(100))
    assert (reached.status, reached.value) == (Track.ON, D("100.0"))
    assert _at([(START, D(0)), (MIDDLE, D(99))], until=START).status == Track.OFF  # the last value
    assert _at([]).status == Track.UNKNOWN
    assert _at([]).value is None


def _quarters(year):
    return [
        services.period_ensure(periodicity=Periodicity.QUARTER, year=year, number=n) for n in (1, 2, 3, 4)
    ]


def test_an_each_year_target_is_projected_to_the_end_of_the_year_from_that_year_only(reporting):
    indicator = reporting.agreements_share  # ≥ 45 % each year
    last_year, this_year = _quarters(2019), _quarters(2020)
    periods = [*last_year, *this_year[:2]]
    # 2019 was far below; 2020: 30 % in Q1, 40 % in Q2 → 60 % by the end of the year.
    values = [D(0), D(0), D(0), D(0), D(30), D(40)]
    projection = indicator_projection(indicator=indicator, periods=periods, values=values)
    assert projection.until == date(2020, 12, 31)
    assert projection.status == Track.ON
    assert D(55) < projection.value < D(65)
    falling = indicator_projection(indicator=indicator, periods=periods, values=[*values[:4], D(50), D(46)])
    assert falling.status == Track.OFF  # met today, but falling under 45 % by December
    one = indicator_projection(
        indicator=indicator, periods=[*last_year, this_year[0]], values=[D(90)] * 4 + [D(44)]
    )
    assert (one.status, one.value) == (Track.OFF, D("44.0"))  # one quarter of 2020: no trend, the value


def test_a_deadline_target_uses_every_period_so_far(reporting):
    indicator = reporting.new_members  # ≥ 100 new members by 31/12/2023, cumulative
    years = [services.period_ensure(periodicity=Periodicity.YEAR, year=y) for y in (2018, 2019)]
    projection = indicator_projection(indicator=indicator, periods=years, values=[D(20), D(40)])
    assert projection.until == date(2023, 12, 31)
    assert projection.status == Track.ON  # 20 a year: 120 by the end of 2023
    assert indicator_projection(indicator=indicator, periods=years, values=[D(10), D(20)]).status == Track.OFF


@pytest.fixture
def two_years(small_tree, reporting, enter):
    enter(
        small_tree.grassroots_a,
        {"admitted": 5, "workers": 50, "enterprises": 4, "agreements:A": 1},
        reporting.last_year,
    )
    enter(
        small_tree.grassroots_b,
        {"admitted": 7, "workers": 70, "enterprises": 6, "agreements:A": 3},
        reporting.last_year,
    )
    enter(small_tree.grassroots_a, {"admitted": 9, "workers": 50, "enterprises": 4, "agreements:A": 2})
    enter(
        small_tree.grassroots_b,
        {"admitted": 11, "workers": 70, "enterprises": 6, "agreements:A": 4, "strong": 1},
    )
    return [reporting.last_year, reporting.year]


@pytest.mark.parametrize("unit_name", ["national", "hanoi", "district_1", "grassroots_b"])
def test_the_trend_of_every_indicator_equals_the_roll_ups_of_each_period(
    small_tree, reporting, two_years, unit_name
):
    unit = getattr(small_tree, unit_name)
    for indicator in reporting.resolution.indicators.all():
        series = indicator_series(indicator=indicator, unit=unit, periods=two_years)
        each = [
            indicator_values(indicator=indicator, units=[unit], period=p)[unit.pk].value for p in two_years
        ]
        assert series == each, indicator.code


def test_the_board_holds_the_trends_up_to_the_chosen_period(small_tree, reporting, two_years, superuser):
    board = charts.board_get(
        actor=superuser, resolution=reporting.resolution, unit=small_tree.national, period=reporting.year
    )
    trend = next(t for t in board.trends if t.row.indicator.code == "new-members")
    assert trend.values == [D(12), D(32)]  # cumulative: 12, then 12 + 20
    assert trend.projection.status == Track.ON  # 20 a year: 112 by 2023
    data = charts.board_data(board)
    shown = next(i for i in data["indicators"] if i["code"] == "agreements-a")
    assert len(shown["periods"]) == 2
    assert shown["values"] == [40.0, 60.0]  # 4 of 10, then 6 of 10: sums, not means
    assert shown["projection"]["status"] == "on_track"
    assert [c["id"] for c in data["ranking"]["children"]] == [small_tree.hcm.pk, small_tree.hanoi.pk]
    earlier = charts.board_get(
        actor=superuser, resolution=reporting.resolution, unit=small_tree.national, period=reporting.last_year
    )
    assert [t.values for t in earlier.trends][0] == [D(12)]


def test_a_share_is_never_projected_past_100_percent_nor_below_0_and_says_so():
    rising = [(START, D(80)), (MIDDLE, D(98))]  # +18 a year: 116 % at the deadline
    projection = project(rising, until=DEADLINE, target=D(90), direction=Direction.AT_LEAST, upper=D(100))
    assert (projection.value, projection.is_clamped, projection.status) == (D("100.0"), True, Track.ON)
    falling = [(START, D(30)), (MIDDLE, D(10))]  # −20 a year: −10 at the deadline
    projection = project(falling, until=DEADLINE, target=D(5), direction=Direction.AT_MOST, upper=D(100))
    assert (projection.value, projection.is_clamped) == (D("0.0"), True)
    within = project(
        [(START, D(50)), (MIDDLE, D(60))], until=DEADLINE, target=D(70), direction="at_least", upper=D(100)
    )
    assert (within.value, within.is_clamped) == (D("70.0"), False)
    # A count has no ceiling: the same rising line goes on.
    assert project(rising, until=DEADLINE, target=D(90), direction=Direction.AT_LEAST).value == D("116.0")


def test_a_percentage_indicator_s_projection_stops_at_100_on_the_dashboard(small_tree, reporting, superuser):
    indicator = reporting.agreements_share  # ≥ 45 % each year, a share
    assert indicator.is_share and not reporting.new_members.is_share
    quarters = _quarters(2020)
    projection = indicator_projection(indicator=indicator, periods=quarters[:2], values=[D(70), D(95)])
    assert (projection.value, projection.is_clamped) == (D("100.0"), True)
    # A ratio already past 100 % (collected above what was due) is projected up to its highest value.
    above = indicator_projection(indicator=indicator, periods=quarters[:2], values=[D(101), D(104)])
    assert (above.value, above.is_clamped) == (D("104.0"), True)
