from decimal import Decimal

import pytest
from django.core.management import call_command

from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import GrantRole
from hoinghi.resolutions import figures, services
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.models import DataElement, RollUp


def total(unit, period, code, option=""):
    row = RollUp.objects.filter(unit=unit, period=period, element__code=code, option=option).first()
    return row.value if row else None


def test_a_value_entered_at_a_grassroots_unit_updates_every_ancestor(small_tree, reporting, enter):
    enter(small_tree.grassroots_a, {"admitted": 12, "workers": 300})
    for unit in (small_tree.grassroots_a, small_tree.ba_dinh, small_tree.hanoi, small_tree.national):
        assert total(unit, reporting.year, "admitted") == 12
        assert RollUp.objects.get(unit=unit, period=reporting.year, element__code="admitted").reporting == 1
    assert total(small_tree.hcm, reporting.year, "admitted") is None
    assert total(small_tree.grassroots_a, reporting.last_year, "admitted") is None


def test_a_changed_value_replaces_the_old_one_in_every_total(small_tree, reporting, enter):
    enter(small_tree.grassroots_a, {"admitted": 12, "workers": 300})
    enter(small_tree.grassroots_b, {"admitted": 5, "workers": 50})
    enter(small_tree.grassroots_a, {"admitted": 20})
    assert total(small_tree.ba_dinh, reporting.year, "admitted") == 20
    assert total(small_tree.national, reporting.year, "admitted") == 25
    enter(small_tree.grassroots_a, {"admitted": None})  # removed: the subtree holds no value any more
    assert total(small_tree.ba_dinh, reporting.year, "admitted") is None
    assert total(small_tree.national, reporting.year, "admitted") == 5


def test_a_ratio_is_the_sum_of_numerators_over_the_sum_of_denominators(small_tree, reporting, enter):
    # 1 of 1 enterprise in Hà Nội (100 %), 1 of 9 in HCM (11 %): the nation is 2 of 10, not 55.5 %.
    enter(small_tree.grassroots_a, {"enterprises": 1, "agreements:A": 1})
    enter(small_tree.grassroots_b, {"enterprises": 9, "agreements:A": 1})
    values = figures.indicator_values(
        indicator=reporting.agreements_share,
        units=[small_tree.national, small_tree.hanoi, small_tree.hcm],
        period=reporting.year,
    )
    assert values[small_tree.national.pk].value == Decimal("20.0")
    assert values[small_tree.hanoi.pk].value == Decimal("100.0")
    assert values[small_tree.hcm.pk].value == Decimal("11.1")
    assert values[small_tree.national.pk].is_met is False


def test_a_share_of_units_divides_by_the_count_of_units_of_the_kind(small_tree, reporting, enter):
    enter(small_tree.grassroots_a, {"strong": 1})
    values = figures.indicator_values(
        indicator=reporting.strong_share, units=[small_tree.national, small_tree.hcm], period=reporting.year
    )
    assert values[small_tree.national.pk].value == Decimal("50.0")  # 1 of the 2 grassroots unions
    assert values[small_tree.national.pk].denominator == 2
    assert values[small_tree.hcm.pk].value is None


def test_a_cumulative_count_adds_the_periods_up_to_the_one_shown(small_tree, reporting, enter):
    enter(small_tree.grassroots_a, {"admitted": 30}, period=reporting.last_year)
    enter(small_tree.grassroots_a, {"admitted": 40})
    values = figures.indicator_values(
        indicator=reporting.new_members, units=[small_tree.national], period=reporting.year
    )
    assert values[small_tree.national.pk].value == 70


def test_a_broken_validation_rule_is_refused_with_its_message_and_nothing_is_stored(
    small_tree, reporting, enter
):
    enter(small_tree.grassroots_a, {"workers": 10})
    with pytest.raises(ResolutionsError) as refused:
        enter(small_tree.grassroots_a, {"admitted": 12})
    assert refused.value.code == ResolutionsErrorCode.RULE_FAILED
    assert "Số đoàn viên kết nạp mới (12) không được lớn hơn số lao động (10)" in refused.value.message
    assert "admitted" in refused.value.field_errors
    assert total(small_tree.national, reporting.year, "admitted") is None


@pytest.mark.parametrize(
    ("typed", "expected"), [("1.234", Decimal(1234)), ("1.234,5", Decimal("1234.5")), (" 7 ", Decimal(7))]
)
def test_numbers_are_read_the_vietnamese_way(small_tree, reporting, enter, typed, expected):
    enter(small_tree.grassroots_a, {"workers": typed})
    assert total(small_tree.grassroots_a, reporting.year, "workers") == expected


@pytest.mark.parametrize("typed", ["-1", "mười", "1,234,5"])
def test_a_bad_number_is_refused_on_its_field(small_tree, reporting, enter, typed):
    with pytest.raises(ResolutionsError) as refused:
        enter(small_tree.grassroots_a, {"workers": typed})
    assert refused.value.code == ResolutionsErrorCode.BAD_VALUE
    assert set(refused.value.field_errors) == {"workers"}


def test_an_unknown_option_is_refused(small_tree, reporting, enter):
    with pytest.raises(ResolutionsError) as refused:
        enter(small_tree.grassroots_a, {"agreements:Z": 1})
    assert refused.value.code == ResolutionsErrorCode.BAD_VALUE


def test_every_change_is_audited_with_before_and_after(small_tree, reporting, enter):
    enter(small_tree.grassroots_a, {"workers": 10})
    enter(small_tree.grassroots_a, {"workers": 11})
    entries = AuditEntry.objects.filter(type="resolutions.value.changed").order_by("pk")
    assert [entry.data["changes"] for entry in entries] == [
        [["workers", None, "10"]],
        [["workers", "10", "11"]],
    ]
    assert entries[0].unit_path == small_tree.grassroots_a.path


def test_a_stale_form_is_refused(small_tree, reporting, enter, superuser):
    submission = enter(small_tree.grassroots_a, {"workers": 10})
    version = submission.updated_at.isoformat()
    enter(small_tree.grassroots_a, {"workers": 11})
    with pytest.raises(ResolutionsError) as refused:
        services.datavalues_save(
            actor=superuser,
            dataset=reporting.dataset,
            unit=small_tree.grassroots_a,
            period=reporting.year,
            values={("workers", ""): 12},
            version=version,
        )
    assert refused.value.code == ResolutionsErrorCode.STALE


def test_a_reporter_enters_only_in_their_subtree(small_tree, reporting, enter, reporter):
    from hoinghi.core.errors import NotFoundError

    hanoi = reporter(small_tree.hanoi)
    enter(small_tree.grassroots_a, {"workers": 5}, actor=hanoi)
    with pytest.raises(NotFoundError):
        enter(small_tree.grassroots_b, {"workers": 5}, actor=hanoi)


def test_a_viewer_may_not_enter(small_tree, reporting, enter, make_user):
    from hoinghi.core.permissions import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        enter(small_tree.grassroots_a, {"workers": 5}, actor=make_user(GrantRole.VIEWER, small_tree.hanoi))


def test_the_recompute_command_equals_the_incremental_totals(small_tree, reporting, enter):
    enter(small_tree.grassroots_a, {"workers": 300, "admitted": 12, "agreements:A": 1, "agreements:B": 2})
    enter(small_tree.grassroots_b, {"workers": 50, "admitted": 5})
    enter(small_tree.ba_dinh, {"workers": 7})
    enter(small_tree.grassroots_a, {"admitted": 3, "agreements:B": None}, period=reporting.last_year)
    enter(small_tree.grassroots_a, {"admitted": 20, "agreements:B": None})
    enter(small_tree.grassroots_b, {"workers": None})

    def rows():
        return sorted(
            (r.unit_id, r.period_id, r.element_id, r.option, r.value, r.reporting)
            for r in RollUp.objects.all()
        )

    incremental = rows()
    assert incremental
    call_command("resolutions_recompute", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert rows() == incremental
    assert DataElement.objects.count() == 5
