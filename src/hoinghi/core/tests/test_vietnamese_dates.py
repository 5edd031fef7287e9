"""Django's own words, in Vietnamese (issue 17): days of the week in the register of official
letters ("Thứ Tư", not Django's "Thứ 4") and the empty choice of a list ("- Chọn -", which
Django's catalogue leaves as "- Select an option -"); our catalogue (locale/vi) overrides
Django's for these words only."""

from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (3, "Thứ Hai"),
        (4, "Thứ Ba"),
        (5, "Thứ Tư"),
        (6, "Thứ Năm"),
        (7, "Thứ Sáu"),
        (8, "Thứ Bảy"),
        (9, "Chủ nhật"),
    ],
)
def test_the_date_filter_names_the_day_in_words(day, name):
    with translation.override("vi"):
        shown = Template('{{ day|date:"l, d/m/Y" }}').render(Context({"day": date(2018, 12, day)}))
    assert shown == f"{name}, {day:02d}/12/2018"


def test_english_keeps_english_day_names():
    with translation.override("en"):
        assert Template('{{ day|date:"l" }}').render(Context({"day": date(2018, 12, 5)})) == "Wednesday"


def test_the_empty_choice_of_a_list_is_vietnamese():
    from hoinghi.orgs.models import Unit

    with translation.override("vi"):
        field = Unit._meta.get_field("sector").formfield()
        assert str(field.choices[0][1]) == "- Chọn -"
        assert "Select" not in field.widget.render("sector", "")
