import pytest

from hoinghi.orgs.vietnamese import (
    fold,
    join_full_name,
    name_sort_key,
    search_terms,
    sort_key,
    split_full_name,
)


def test_letters_follow_the_vietnamese_alphabet():
    words = ["đa", "dung", "ân", "ăn", "an", "bé", "ơn", "ông", "ư", "uy", "ê", "em"]
    assert sorted(words, key=sort_key) == [
        "an",
        "ăn",
        "ân",
        "bé",
        "dung",
        "đa",
        "em",
        "ê",
        "ông",
        "ơn",
        "uy",
        "ư",
    ]


def test_tones_order_after_the_base_letters():
    words = ["mạ", "má", "mã", "mả", "mà", "ma"]
    assert sorted(words, key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_a_word_sorts_before_its_extensions_and_tones_only_break_ties():
    assert sorted(["Ánh", "Anh", "An", "Ăn"], key=sort_key) == ["An", "Anh", "Ánh", "Ăn"]


def test_composed_and_decomposed_unicode_give_the_same_key():
    composed = "Nguyễn"
    decomposed = "Nguye\u0302\u0303n"
    assert sort_key(composed) == sort_key(decomposed)


def test_people_sort_by_given_then_middle_then_family_name():
    people = [("Trần", "Thị", "Ánh"), ("Lê", "Văn", "An"), ("Nguyễn", "Văn", "An"), ("Bùi", "", "An")]
    ordered = sorted(people, key=lambda parts: name_sort_key(*parts))
    assert ordered == [
        ("Bùi", "", "An"),
        ("Lê", "Văn", "An"),
        ("Nguyễn", "Văn", "An"),
        ("Trần", "Thị", "Ánh"),
    ]


def test_sort_key_is_digits_only_and_bounded():
    key = name_sort_key("Nguyễn" * 40, "Thị" * 40, "Ánh" * 40)
    assert key.isdigit()
    assert len(key) <= 250


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("Hà  Nội", "ha noi"),
        ("ĐẶNG", "dang"),
        ("Quận Ba Đình", "quan ba dinh"),
    ],
)
def test_fold_removes_diacritics_case_and_extra_spaces(text, folded):
    assert fold(text) == folded


def test_search_terms_are_folded_words():
    assert search_terms("  Hà NỘI ") == ["ha", "noi"]


def test_full_name_splits_and_joins():
    assert split_full_name("Nguyễn Thị Minh Khai") == ("Nguyễn", "Thị Minh", "Khai")
    assert split_full_name("Bình") == ("", "", "Bình")
    assert join_full_name("Nguyễn", "", "Bình") == "Nguyễn Bình"


PLACES_IN_ORDER = ["Ả", "An Giang", "Bà Rịa", "Bắc Giang", "Đà Nẵng", "Điện Biên"]


def test_place_names_sort_in_vietnamese_order_not_by_code_points():
    shuffled = ["Điện Biên", "Bắc Giang", "Đà Nẵng", "An Giang", "Bà Rịa", "Ả"]
    assert sorted(shuffled) != PLACES_IN_ORDER  # code points put "Ả" and "Đ" after "B", "Điện" before "Đà"
    assert sorted(shuffled, key=sort_key) == PLACES_IN_ORDER


@pytest.mark.django_db
def test_provinces_for_the_filters_are_in_vietnamese_order():
    from hoinghi.orgs.selectors import province_list
    from hoinghi.orgs.tests.factories import ProvinceFactory

    for code, name in zip(
        ["11", "01", "48", "24", "89", "77"],
        ["Điện Biên", "Ả", "Đà Nẵng", "Bắc Giang", "An Giang", "Bà Rịa"],
        strict=True,
    ):
        ProvinceFactory(code=code, name=f"Tỉnh {name}", short_name=name)
    assert [province.short_name for province in province_list()] == PLACES_IN_ORDER
