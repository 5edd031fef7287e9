"""The 2018 resolution of the demo, on the small tree (the scenario's level and root codes)."""

from decimal import Decimal

from hoinghi.demo.scenario import resolution_2018_create, resolution_2018_values
from hoinghi.resolutions import figures
from hoinghi.resolutions.models import DataValue, ItemKind, Period, RollUp
from hoinghi.resolutions.services import rollups_recompute


def test_the_resolution_has_its_nine_target_groups_as_data_and_a_second_load_adds_nothing(
    small_tree, superuser
):
    resolution = resolution_2018_create(actor=superuser)
    assert resolution.items.filter(kind=ItemKind.TARGET).count() == 9
    assert resolution.items.filter(kind=ItemKind.BREAKTHROUGH).count() == 3
    assert resolution.items.filter(kind=ItemKind.TASK).count() == 9
    new_members = resolution.indicators.get(code="new-members")
    assert new_members.target_value == 2_000_000 and new_members.is_cumulative
    assert resolution.indicators.get(code="non-state-strong").target_value == 55
    assert resolution_2018_create(actor=superuser) == resolution


def test_generated_quarters_roll_up_as_the_recompute_does(small_tree, superuser):
    resolution = resolution_2018_create(actor=superuser)
    assert resolution_2018_values(actor=superuser, years=range(2019, 2020)) > 0
    assert resolution_2018_values(actor=superuser, years=range(2019, 2020)) == 0  # loaded before
    before = sorted(RollUp.objects.values_list("unit_id", "period_id", "element_id", "option", "value"))
    rollups_recompute()
    assert (
        sorted(RollUp.objects.values_list("unit_id", "period_id", "element_id", "option", "value")) == before
    )
    quarter = Period.objects.get(code="2019Q4")
    value = figures.indicator_values(
        indicator=resolution.indicators.get(code="new-members"), units=[small_tree.national], period=quarter
    )[small_tree.national.pk]
    admitted = DataValue.objects.filter(element__code="members_admitted").values_list("value", flat=True)
    assert value.value == sum(admitted, Decimal(0))


def test_no_generated_unit_is_approved_before_its_children(small_tree, superuser):
    from hoinghi.resolutions.models import Submission, SubmissionState

    resolution_2018_create(actor=superuser)
    resolution_2018_values(actor=superuser, years=range(2019, 2021))
    approved = set(
        Submission.objects.filter(state=SubmissionState.APPROVED).values_list("period_id", "unit_id")
    )
    for submission in Submission.objects.select_related("unit"):
        parent = (submission.period_id, submission.unit.parent_id)
        if parent in approved:
            assert (submission.period_id, submission.unit_id) in approved


def test_the_demo_programmes_hold_items_in_every_status_and_a_second_run_adds_nothing(small_tree, superuser):
    from datetime import date

    from hoinghi.demo.scenario import programmes_2018_create
    from hoinghi.resolutions import programmes
    from hoinghi.resolutions.models import ActionItem, ActionProgramme, Progress

    resolution_2018_create(actor=superuser)
    today = date(2026, 12, 5)
    assert programmes_2018_create(actor=superuser, today=today, provinces=("HN", "HCM")) == 4
    assert programmes_2018_create(actor=superuser, today=today, provinces=("HN", "HCM")) == 0
    assert set(ActionProgramme.objects.values_list("unit__code", flat=True)) == {
        "HN",
        "HN-BD",
        "HCM",
        "HCM-Q1",
    }
    hanoi = ActionProgramme.objects.get(unit=small_tree.hanoi)
    seen = {item.progress for item in programmes.programme_items(programme=hanoi, today=today)}
    assert seen == set(Progress.values)
    assert not ActionItem.objects.filter(status="done", evidence_text="").exists()
