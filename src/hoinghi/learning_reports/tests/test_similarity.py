"""The copied-text detector (similarity.py) on small texts."""

import unicodedata

from hoinghi.learning_reports.similarity import matches, normalise

TEXT = (
    "công đoàn cơ sở cần chăm lo đời sống việc làm thu nhập của đoàn viên và người lao động tại "
    "doanh nghiệp ngoài nhà nước, hoà giải tranh chấp và xây dựng quan hệ lao động hài hòa ổn định"
)


def test_old_and_new_tone_marks_nfd_case_and_punctuation_are_folded():
    assert normalise("Hoà bình, THỦY lợi!") == normalise(unicodedata.normalize("NFD", "hòa bình thuỷ lợi"))


def test_quoted_passages_do_not_count():
    assert normalise("Tôi tâm đắc “kết nạp hai triệu đoàn viên” như vậy") == [
        "tôi",
        "tâm",
        "đắc",
        "như",
        "vậy",
    ]


def test_a_paste_inside_a_longer_report_is_found_and_a_different_report_is_not():
    longer = "mở đầu bằng những suy nghĩ của riêng tôi về hội nghị " + TEXT.upper() + " và kết luận của tôi"
    other = "phát triển đoàn viên trong khu công nghiệp bằng cách gặp gỡ từng người lao động ở khu nhà trọ"
    found = matches(longer, {1: unicodedata.normalize("NFD", TEXT), 2: other})
    assert [match.other for match in found] == [1]
    assert found[0].other_containment == 1.0 and found[0].containment < 1.0
