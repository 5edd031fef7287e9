"""The marks' arithmetic (grading.py), at the bands' boundaries."""

from decimal import Decimal

import pytest

from hoinghi.learning_reports import grading
from hoinghi.learning_reports.models import DEFAULT_BAND_THRESHOLDS

BANDS = [(str(band), n) for band, n in DEFAULT_BAND_THRESHOLDS.items()]


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (200, "excellent"),
        (180, "excellent"),  # exactly 90 %
        (Decimal("179.99"), "good"),
        (160, "good"),  # exactly 80 %
        (159, "fair"),
        (130, "fair"),  # exactly 65 %
        (Decimal("129.5"), "pass"),
        (100, "pass"),  # exactly 50 %
        (99, "fail"),
        (0, "fail"),
    ],
)
def test_band_is_the_highest_whose_threshold_the_percentage_reaches(total, band):
    assert grading.band_for(total, 200, BANDS) == band


def test_maximum_is_the_sum_of_each_criterions_highest_level():
    assert grading.maximum({1: [0, 3, 6], 2: [4, 0, 2]}) == 10


def test_two_marks_are_averaged():
    assert grading.reconcile([7, 8]) == Decimal("7.50")


def test_a_third_marker_is_needed_only_beyond_the_gap():
    assert not grading.needs_third_marker(6, 8, 10, 20)  # 20 points of 100: not more than the gap
    assert grading.needs_third_marker(5, 8, 10, 20)


def test_with_three_marks_the_third_is_averaged_with_the_nearer_of_the_first_two():
    assert grading.reconcile([2, 9, 8]) == Decimal("8.50")
    assert grading.reconcile([4, 8, 6]) == Decimal("7.00")  # as near: the higher


def test_word_diff_marks_removed_and_added_words_and_escapes_the_text():
    from hoinghi.learning_reports.texts import word_diff

    html = word_diff("Đoàn viên cần quyền lợi <b>", "Đoàn viên cần được chăm lo quyền lợi <b>")
    assert html == "Đoàn viên cần <ins>được chăm lo</ins> quyền lợi &lt;b&gt;"
    assert word_diff("một hai ba", "một bốn ba") == "một <del>hai</del> <ins>bốn</ins> ba"
