"""The replay of one quarter's reporting (`hoinghi resolutions-replay-quarter`) on the small tree."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hoinghi.demo.scenario import resolution_2018_create, resolution_2018_values
from hoinghi.demo.scenario.resolution_replay import QuarterReplay, quarter_next, quarter_plan
from hoinghi.resolutions.models import DataSetPeriod, DataValue, RollUp, Submission, SubmissionState
from hoinghi.resolutions.services import rollups_recompute


def test_a_replayed_quarter_goes_through_the_services_and_rolls_up_as_the_recompute_does(
    small_tree, superuser
):
    resolution = resolution_2018_create(actor=superuser)
    resolution_2018_values(actor=superuser, years=range(2019, 2020))
    dataset = resolution.datasets.get()
    period = quarter_next(dataset)
    assert period.code == "2020Q1"
    steps, values = quarter_plan(dataset=dataset, period=period)
    assert steps == sorted(steps) and set(values) == {unit.pk for unit in vars(small_tree).values()} - {
        small_tree.national.pk
    }
    replay = QuarterReplay(actor=superuser, dataset=dataset, period=period, steps=steps, values=values)
    replay.advance(timedelta(days=1), budget=None)
    early = replay.entered
    replay.advance(timedelta(days=60))
    assert replay.done and replay.entered >= early and replay.refused == 0
    submissions = {s.unit_id: s.state for s in Submission.objects.filter(dataset=dataset, period=period)}
    assert len(submissions) == replay.entered
    # Every report that arrived was approved once its children were; none before them.
    for unit in (small_tree.ba_dinh, small_tree.district_1):
        child = small_tree.grassroots_a if unit == small_tree.ba_dinh else small_tree.grassroots_b
        if submissions.get(unit.pk) == SubmissionState.APPROVED:
            assert submissions[child.pk] == SubmissionState.APPROVED
    incremental = sorted(
        RollUp.objects.filter(period=period).values_list(
            "unit_id", "element_id", "option", "value", "reporting"
        )
    )
    assert incremental, "the replay moved the roll-ups"
    rollups_recompute(period=period)
    assert (
        sorted(
            RollUp.objects.filter(period=period).values_list(
                "unit_id", "element_id", "option", "value", "reporting"
            )
        )
        == incremental
    )
    assert DataValue.objects.filter(period=period).exists()


def test_the_command_opens_the_quarter_today_and_refuses_a_quarter_with_values_without_reset(
    small_tree, superuser
):
    resolution_2018_create(actor=superuser)
    resolution_2018_values(actor=superuser, years=range(2019, 2020))
    with pytest.raises(CommandError):
        call_command("resolutions_replay_quarter", quarter="2019Q4", speed=1e9)
    call_command("resolutions_replay_quarter", quarter="2019Q4", speed=1e9, reset=True)
    window = DataSetPeriod.objects.get(period__code="2019Q4")
    assert window.opens_on <= window.closes_on and (window.closes_on - window.opens_on).days == 15
    assert Submission.objects.filter(period__code="2019Q4").exclude(state=SubmissionState.DRAFT).exists()
