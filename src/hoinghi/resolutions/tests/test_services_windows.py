"""A period's window: entry and submission refused before it opens and after it closes, unless
the level above reopened the unit; the reminders to units that have not reported; timeliness
counted against the close."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hoinghi.core.errors import NotFoundError
from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import GrantRole, PermissionDeniedError
from hoinghi.resolutions import figures, services
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.models import ReminderKind, ReminderStatus, ReportReminder

from .test_excel import template, upload


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def window(reporting, superuser):
    """window(opens in n days, closes in m days) on the reporting year."""

    def make(opens: int, closes: int):
        return services.dataset_period_set(
            actor=superuser,
            dataset=reporting.dataset,
            period=reporting.year,
            opens_on=today() + timedelta(days=opens),
            closes_on=today() + timedelta(days=closes),
        )

    return make


def code_of(call) -> str:
    with pytest.raises(ResolutionsError) as refused:
        call()
    return refused.value.code


def test_entry_is_refused_before_the_window_opens_and_after_it_closes(small_tree, reporting, enter, window):
    window(1, 10)
    assert (
        code_of(lambda: enter(small_tree.grassroots_a, {"workers": 5})) == ResolutionsErrorCode.NOT_OPEN_YET
    )
    window(-10, -1)
    with pytest.raises(ResolutionsError) as refused:
        enter(small_tree.grassroots_a, {"workers": 5})
    assert refused.value.code == ResolutionsErrorCode.CLOSED
    closed_on = (today() - timedelta(days=1)).strftime("%d/%m/%Y")
    assert closed_on in refused.value.message and "hạn chót" in refused.value.message
    window(-10, 0)  # the closing day is still open
    enter(small_tree.grassroots_a, {"workers": 5})


def test_a_period_without_a_window_is_open(small_tree, reporting, enter):
    assert enter(small_tree.grassroots_a, {"workers": 5}).state == "draft"


def test_submitting_after_the_close_is_refused(small_tree, reporting, enter, window, superuser):
    enter(small_tree.grassroots_a, {"workers": 5})
    window(-10, -1)
    assert (
        code_of(
            lambda: services.submission_submit(
                actor=superuser,
                dataset=reporting.dataset,
                unit=small_tree.grassroots_a,
                period=reporting.year,
            )
        )
        == ResolutionsErrorCode.CLOSED
    )


def test_the_level_above_reopens_a_unit_with_a_reason_and_it_is_audited(
    small_tree, reporting, enter, window, reporter
):
    window(-10, -1)
    district = reporter(small_tree.ba_dinh)
    own = reporter(small_tree.grassroots_a)
    reopen = lambda actor, unit, reason="Mất điện cả tuần": services.entry_reopen(  # noqa: E731
        actor=actor, dataset=reporting.dataset, unit=unit, period=reporting.year, reason=reason
    )
    with pytest.raises(PermissionDeniedError):
        reopen(own, small_tree.grassroots_a)  # a unit does not reopen itself
    with pytest.raises(NotFoundError):
        reopen(district, small_tree.grassroots_b)  # another province's unit
    assert (
        code_of(lambda: reopen(district, small_tree.grassroots_a, " "))
        == ResolutionsErrorCode.REASON_REQUIRED
    )
    reopen(district, small_tree.grassroots_a)
    enter(small_tree.grassroots_a, {"workers": 5}, actor=own)
    submitted = services.submission_submit(
        actor=own, dataset=reporting.dataset, unit=small_tree.grassroots_a, period=reporting.year
    )
    assert submitted.state == "submitted"
    # Only that unit: its neighbour district stays closed.
    assert code_of(lambda: enter(small_tree.ba_dinh, {"workers": 5})) == ResolutionsErrorCode.CLOSED
    entry = AuditEntry.objects.get(type="resolutions.entry.reopened")
    assert entry.actor == district and entry.data["reason"] == "Mất điện cả tuần"


def test_an_upload_after_the_close_lists_every_refused_unit_and_writes_nothing(
    small_tree, reporting, window, superuser
):
    workbook = template(superuser, reporting, small_tree.hanoi)
    workbook.active["C4"] = 40  # Ba Đình
    workbook.active["C5"] = 30  # its grassroots union
    window(-10, -1)
    checked = upload(superuser, reporting, small_tree.hanoi, workbook)
    assert checked.status == "invalid"
    assert [(error["row"], error["column"]) for error in checked.errors] == [(4, "A"), (5, "A")]
    assert "hạn chót" in checked.errors[0]["message"]


def test_a_report_is_on_time_when_sent_by_the_close(small_tree, reporting, enter, window, superuser):
    window(-30, 5)
    enter(small_tree.grassroots_a, {"workers": 5})
    services.submission_submit(
        actor=superuser, dataset=reporting.dataset, unit=small_tree.grassroots_a, period=reporting.year
    )
    levels = figures.completeness(
        actor=superuser, dataset=reporting.dataset, unit=small_tree.ba_dinh, period=reporting.year
    )
    grassroots = next(level for level in levels if level.rank == 3)
    assert (grassroots.on_time, grassroots.reported, grassroots.expected) == (1, 1, 1)
    window(-30, -3)  # the close moved before the report: late
    levels = figures.completeness(
        actor=superuser, dataset=reporting.dataset, unit=small_tree.ba_dinh, period=reporting.year
    )
    assert next(level for level in levels if level.rank == 3).on_time == 0


def test_a_window_closing_before_it_opens_is_refused(reporting, superuser):
    assert (
        code_of(
            lambda: services.dataset_period_set(
                actor=superuser,
                dataset=reporting.dataset,
                period=reporting.year,
                opens_on=date(2020, 1, 10),
                closes_on=date(2020, 1, 9),
            )
        )
        == ResolutionsErrorCode.BAD_WINDOW
    )


def test_reminders_go_to_the_reporters_of_units_not_reported_once_per_kind(
    small_tree, reporting, enter, window, make_user, superuser, mailoutbox, django_capture_on_commit_callbacks
):
    window(-20, 2)  # remind_days is 3: within it
    late = make_user(GrantRole.DATA_REPORTER, small_tree.grassroots_a, email="cdcs-a@example.vn")
    make_user(GrantRole.DATA_REPORTER, small_tree.grassroots_b, email="cdcs-b@example.vn")
    make_user(GrantRole.DATA_REPORTER, small_tree.ba_dinh, email="")  # no address: nobody to write to
    enter(small_tree.grassroots_b, {"workers": 5})
    services.submission_submit(
        actor=superuser, dataset=reporting.dataset, unit=small_tree.grassroots_b, period=reporting.year
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_queue() == 1
    assert [message.to for message in mailoutbox] == [["cdcs-a@example.vn"]]
    assert "hạn chót" in mailoutbox[0].subject.lower()
    assert (
        f"/nhap/{reporting.dataset.pk}/{small_tree.grassroots_a.pk}/{reporting.year.pk}/"
        in mailoutbox[0].body
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_queue() == 0  # the same day again: nothing more
    assert len(mailoutbox) == 1
    reminder = ReportReminder.objects.get()
    assert (reminder.user, reminder.kind, reminder.status) == (late, ReminderKind.BEFORE, ReminderStatus.SENT)
    # The closing day brings the second kind, once.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_queue(today=today() + timedelta(days=2)) == 1
        assert services.reminders_queue(today=today() + timedelta(days=2)) == 0
    assert len(mailoutbox) == 2 and "Hôm nay là hạn chót" in mailoutbox[1].subject


def test_no_reminder_long_before_the_close_nor_after_it(small_tree, reporting, window, make_user):
    make_user(GrantRole.DATA_REPORTER, small_tree.grassroots_a, email="cdcs-a@example.vn")
    window(-20, 10)
    assert services.reminders_queue() == 0
    window(-20, -1)
    assert services.reminders_queue() == 0


def test_the_approval_page_reopens_a_late_unit_and_its_entry_page_says_why(
    small_tree, reporting, window, reporter, client
):
    from django.urls import reverse

    window(-10, -1)
    district = reporter(small_tree.ba_dinh)
    client.force_login(district)
    args = [reporting.dataset.pk, small_tree.ba_dinh.pk, reporting.year.pk]
    page = client.get(reverse("resolutions:approval", args=args)).content.decode()
    assert "Cho phép nhập muộn" in page
    child = [reporting.dataset.pk, small_tree.grassroots_a.pk, reporting.year.pk]
    entry = client.get(reverse("resolutions:entry", args=child)).content.decode()
    assert "Đã quá hạn chót" in entry and 'name="v-workers"' in entry and "disabled" in entry
    response = client.post(reverse("resolutions:entry_reopen", args=child), {"reason": "Mất điện"})
    assert response.status_code == 302
    entry = client.get(reverse("resolutions:entry", args=child)).content.decode()
    assert "Đã quá hạn chót" not in entry and "Mất điện" in entry
    # Another province's unit: not found.
    other = [reporting.dataset.pk, small_tree.grassroots_b.pk, reporting.year.pk]
    assert client.post(reverse("resolutions:entry_reopen", args=other), {"reason": "x"}).status_code == 404
