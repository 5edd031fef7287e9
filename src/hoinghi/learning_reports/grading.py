"""The marks' arithmetic, plain (docs/architecture.md, "Marking"): no database here.

- A marking's points are the sum of the points of the level chosen for each criterion.
- The maximum is the sum over the criteria of their highest level's points.
- The percentage is points × 100 / maximum; the band is the highest band whose threshold the
  percentage reaches (a percentage equal to a threshold gets that band). Compared as
  points × 100 ≥ threshold × maximum, in exact arithmetic: no rounding decides a band.
- Second marking: the result is the mean of the two marks, unless they differ by more than the
  assignment's gap (in percentage points of the maximum); then a third marker marks, and the
  result is the mean of the third mark and the nearer of the first two (the higher when both are
  as near).
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

TWO_PLACES = Decimal("0.01")


def maximum(levels_by_criterion: Mapping[int, Iterable[int]]) -> int:
    """The rubric's maximum: each criterion's highest level's points, summed."""
    return sum(max(points, default=0) for points in levels_by_criterion.values())


def band_for(total: Decimal | int, maximum_points: int, thresholds: Iterable[tuple[str, int]]) -> str:
    """The band of `total` out of `maximum_points`: the one with the highest threshold (a
    percentage) that total × 100 ≥ threshold × maximum satisfies; "" when none does."""
    total = Decimal(total)
    for band, min_percent in sorted(thresholds, key=lambda pair: -pair[1]):
        if maximum_points == 0 or total * 100 >= Decimal(min_percent) * maximum_points:
            return band
    return ""


def percent(total: Decimal | int, maximum_points: int) -> Decimal:
    if not maximum_points:
        return Decimal(0)
    return (Decimal(total) * 100 / maximum_points).quantize(TWO_PLACES)


def needs_third_marker(first: int, second: int, maximum_points: int, gap_percent: int) -> bool:
    """Whether two marks differ by more than `gap_percent` points of the maximum."""
    return abs(first - second) * 100 > gap_percent * maximum_points


def reconcile(marks: list[int]) -> Decimal:
    """The result of one, two or three marks (in round order), as the module's docstring says."""
    if len(marks) == 1:
        return Decimal(marks[0]).quantize(TWO_PLACES)
    if len(marks) == 2:
        return (Decimal(marks[0] + marks[1]) / 2).quantize(TWO_PLACES)
    first, second, third = marks[:3]
    nearer = min((first, second), key=lambda mark: (abs(mark - third), -mark))
    return (Decimal(nearer + third) / 2).quantize(TWO_PLACES)
