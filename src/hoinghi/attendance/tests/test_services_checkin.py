import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from hoinghi.attendance.errors import CheckInErrorCode
from hoinghi.attendance.models import AbsenceReason, Attendance, CheckIn, CheckInOutcome, Headcount
from hoinghi.attendance.services import ScanInput, checkin_self, checkins_record, headcount_report
from hoinghi.conferences import services as conferences
from hoinghi.conferences.models import ConferenceStatus, Invitation
from hoinghi.core.errors import DomainError, NotFoundError
from hoinghi.orgs.tests.factories import PersonFactory


def _token(conference, person):
    return Invitation.objects.get(conference=conference, person=person).token


def _qr(token, at=None, scan_id=None):
    return ScanInput(id=scan_id or uuid.uuid4(), method="qr", token=token, scanned_at=at or timezone.now())


def test_the_first_valid_scan_makes_a_person_present_and_a_second_scan_does_not_count_twice(
    issued, ba_dinh_operator
):
    token = _token(issued.conference, issued.people["HN-BD"])
    first, second = checkins_record(
        actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[_qr(token), _qr(token)]
    )
    assert (first.outcome, second.outcome) == (CheckInOutcome.PRESENT, CheckInOutcome.ALREADY_PRESENT)
    assert first.person_name == issued.people["HN-BD"].full_name
    assert Attendance.objects.filter(conference=issued.conference).count() == 1
    assert CheckIn.objects.count() == 2


def test_a_retried_scan_returns_the_stored_result_and_changes_nothing(issued, ba_dinh_operator):
    scan = _qr(_token(issued.conference, issued.people["HN-BD"]))
    (first,) = checkins_record(actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[scan])
    (again,) = checkins_record(actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[scan])
    assert again.outcome == first.outcome == CheckInOutcome.PRESENT
    assert again.is_retry and not first.is_retry
    assert CheckIn.objects.count() == 1


def test_a_replayed_scan_id_with_another_payload_is_refused_and_changes_nothing(issued, ba_dinh_operator):
    scan = _qr(_token(issued.conference, issued.people["HN-BD"]))
    checkins_record(actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[scan])
    forged = ScanInput(
        id=scan.id,
        method="qr",
        token=_token(issued.conference, issued.people["chair-a"]),
        scanned_at=scan.scanned_at,
    )
    (result,) = checkins_record(actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[forged])
    assert (result.outcome, result.reason) == (CheckInOutcome.REJECTED, CheckInErrorCode.REPLAYED)
    assert not Attendance.objects.filter(person=issued.people["chair-a"]).exists()


def test_someone_invited_elsewhere_is_recorded_here_and_flagged(issued, ba_dinh_operator):
    token = _token(issued.conference, issued.people["HN"])  # invited to the host point
    (result,) = checkins_record(actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[_qr(token)])
    assert result.outcome == CheckInOutcome.OTHER_POINT
    assert result.invited_point == "Điểm cầu Trung ương"
    assert Attendance.objects.get(person=issued.people["HN"]).is_other_point


def test_someone_not_invited_is_recorded_as_a_guest(issued, ba_dinh_operator, small_tree):
    walk_in = PersonFactory(unit=small_tree.ba_dinh, given_name="Khách")
    scan = ScanInput(id=uuid.uuid4(), method="search", person_id=walk_in.pk, scanned_at=timezone.now())
    (result,) = checkins_record(actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[scan])
    assert result.outcome == CheckInOutcome.GUEST
    assert Attendance.objects.get(person=walk_in).is_guest


def test_an_unknown_or_revoked_token_is_stored_with_its_reason(issued, ba_dinh_operator, superuser):
    invitation = Invitation.objects.get(conference=issued.conference, person=issued.people["HN-BD"])
    old_token = invitation.token
    conferences.invitation_token_revoke(actor=superuser, invitation=invitation)
    results = checkins_record(
        actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[_qr(old_token), _qr("not-a-token")]
    )
    assert [(r.outcome, r.reason) for r in results] == [
        (CheckInOutcome.REJECTED, CheckInErrorCode.UNKNOWN_TOKEN)
    ] * 2
    assert CheckIn.objects.filter(outcome=CheckInOutcome.REJECTED).count() == 2
    assert not Attendance.objects.exists()


def test_undo_is_possible_and_is_itself_recorded(issued, ba_dinh_operator):
    person = issued.people["HN-BD"]
    checkins_record(
        actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[_qr(_token(issued.conference, person))]
    )
    undo = ScanInput(id=uuid.uuid4(), method="undo", person_id=person.pk, scanned_at=timezone.now())
    (result,) = checkins_record(actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[undo])
    assert result.outcome == CheckInOutcome.UNDONE
    assert not Attendance.objects.exists()
    assert CheckIn.objects.filter(method="undo", person=person).exists()


def test_offline_scans_keep_their_original_time(issued, ba_dinh_operator):
    earlier = timezone.now() - timedelta(minutes=40)
    checkins_record(
        actor=ba_dinh_operator,
        point=issued.ba_dinh_point,
        scans=[_qr(_token(issued.conference, issued.people["HN-BD"]), at=earlier)],
    )
    assert Attendance.objects.get().checked_in_at == earlier


def test_an_operator_cannot_check_in_at_another_point(issued, ba_dinh_operator):
    token = _token(issued.conference, issued.people["HCM"])
    with pytest.raises(NotFoundError):
        checkins_record(actor=ba_dinh_operator, point=issued.hcm_point, scans=[_qr(token)])
    assert not CheckIn.objects.exists()


def test_a_malformed_batch_changes_nothing(issued, ba_dinh_operator):
    good = _qr(_token(issued.conference, issued.people["HN-BD"]))
    bad = ScanInput(id=uuid.uuid4(), method="teleport", scanned_at=timezone.now())
    with pytest.raises(DomainError) as error:
        checkins_record(actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[good, bad])
    assert error.value.code == CheckInErrorCode.MALFORMED
    assert not CheckIn.objects.exists()


def test_a_headcount_keys_its_absent_by_reason_code_and_refuses_other_keys(issued, ba_dinh_operator):
    point = issued.ba_dinh_point
    reasons = {AbsenceReason.BUSINESS_TRIP: 2}
    headcount_report(actor=ba_dinh_operator, point=point, present=40, absent=2, absent_reasons=reasons)
    assert Headcount.objects.get().absent_reasons == {"business_trip": 2}
    with pytest.raises(DomainError) as error:
        headcount_report(actor=ba_dinh_operator, point=point, present=40, absent_reasons={"Đi công tác": 2})
    assert error.value.code == CheckInErrorCode.MALFORMED
    assert Headcount.objects.count() == 1


def test_scans_of_an_archived_conference_are_stored_but_make_nobody_present(
    issued, ba_dinh_operator, superuser
):
    conference = issued.conference
    for stage in (ConferenceStatus.LIVE, ConferenceStatus.ENDED, ConferenceStatus.ARCHIVED):
        conferences.conference_transition(actor=superuser, conference=conference, to_status=stage)
    issued.ba_dinh_point.refresh_from_db()
    (result,) = checkins_record(
        actor=ba_dinh_operator,
        point=issued.ba_dinh_point,
        scans=[_qr(_token(conference, issued.people["HN-BD"]))],
    )
    assert (result.outcome, result.reason) == (CheckInOutcome.REJECTED, CheckInErrorCode.NOT_OPEN)
    assert not Attendance.objects.exists()


def test_a_personal_token_checks_in_its_own_person_only(issued):
    conference = issued.conference
    conference.starts_at = timezone.now() + timedelta(minutes=30)
    conference.save()
    person = issued.people["HCM"]
    result = checkin_self(token=_token(conference, person), scan_id=uuid.uuid4())
    assert result.outcome == CheckInOutcome.PRESENT
    attendance = Attendance.objects.get()
    assert (attendance.person, attendance.point) == (person, issued.hcm_point)


def test_self_check_in_is_refused_before_the_window_opens(issued):
    conference = issued.conference
    conference.starts_at = timezone.now() + timedelta(days=1)
    conference.save()
    with pytest.raises(DomainError) as error:
        checkin_self(token=_token(conference, issued.people["HCM"]), scan_id=uuid.uuid4())
    assert error.value.code == CheckInErrorCode.OUTSIDE_WINDOW


def test_self_check_in_is_refused_months_before_the_conference(issued):
    conference = issued.conference
    conference.starts_at = timezone.now() + timedelta(days=90)
    conference.save()
    with pytest.raises(DomainError) as error:
        checkin_self(token=_token(conference, issued.people["HCM"]), scan_id=uuid.uuid4())
    assert error.value.code == CheckInErrorCode.OUTSIDE_WINDOW
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("days_after", [1, 120])
def test_self_check_in_is_refused_after_the_conference_day(issued, days_after):
    """The issued conference is open (its stage still takes a point's late sync), but a tap on
    the personal page the day after, or months after, makes nobody present."""
    conference = issued.conference
    conference.starts_at = timezone.now() - timedelta(days=days_after)
    conference.ends_at = conference.starts_at + timedelta(hours=4)
    conference.save()
    with pytest.raises(DomainError) as error:
        checkin_self(token=_token(conference, issued.people["HCM"]), scan_id=uuid.uuid4())
    assert error.value.code == CheckInErrorCode.OUTSIDE_WINDOW
    assert not Attendance.objects.exists() and not CheckIn.objects.exists()


def test_self_check_in_is_accepted_after_the_start_on_the_same_day(issued):
    conference = issued.conference
    conference.starts_at = timezone.now() - timedelta(minutes=1)
    conference.save()
    result = checkin_self(token=_token(conference, issued.people["HCM"]), scan_id=uuid.uuid4())
    assert result.outcome == CheckInOutcome.PRESENT


def test_the_self_check_in_window_ends_at_midnight_in_the_conference_zone(issued):
    """06:30 in Hà Nội is 23:30 UTC the day before: the window still closes at midnight after
    the conference's day in Hà Nội, not at midnight UTC of the day before; two hours before the
    start it opens."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from hoinghi.attendance.services import self_checkin_window

    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    conference = issued.conference
    conference.starts_at = datetime(2018, 12, 6, 6, 30, tzinfo=zone)
    conference.ends_at = None
    assert self_checkin_window(conference) == (
        datetime(2018, 12, 6, 4, 30, tzinfo=zone),
        datetime(2018, 12, 7, 0, 0, tzinfo=zone),
    )
    conference.ends_at = datetime(2018, 12, 7, 11, 0, tzinfo=zone)  # a two-day conference
    assert self_checkin_window(conference)[1] == datetime(2018, 12, 8, 0, 0, tzinfo=zone)


def test_a_retry_stored_first_by_a_concurrent_request_is_answered_from_what_is_stored(
    issued, ba_dinh_operator
):
    """The results are read back only when an insert met a row stored meanwhile. Here, just
    before this request inserts, another device checks the person in and then the same scan,
    retried by its device, is stored by another request: as "already present". The answer is
    what is stored, not what this request had worked out."""
    from django.db import connection

    token = _token(issued.conference, issued.people["HN-BD"])
    scan = _qr(token)
    meanwhile = []

    def others_store_first(execute, sql, params, many, context):
        if _writes(sql, '"attendance_checkin"') and not meanwhile:
            meanwhile.append("running")  # their own inserts come through here too
            for other in (_qr(token), scan):
                checkins_record(actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[other])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(others_store_first):
        (result,) = checkins_record(actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[scan])
    assert result.outcome == CheckInOutcome.ALREADY_PRESENT
    assert result.person_name == issued.people["HN-BD"].full_name
    assert CheckIn.objects.count() == 2
    assert Attendance.objects.count() == 1


def _writes(sql: str, table: str) -> bool:
    """An INSERT into `table`, alone or in the one statement that writes attendance and log
    (`WITH made AS (INSERT ...), logged AS (INSERT ...)`, PostgreSQL)."""
    return sql.startswith(("INSERT", "WITH")) and table in sql


def _inserts_attendance(sql: str) -> bool:
    return _writes(sql, '"attendance_attendance"')


def test_a_scan_that_loses_the_race_for_a_person_is_logged_as_already_present(issued, ba_dinh_operator):
    """Just before this request writes the person's attendance, another scan of the same person
    makes them present. Then this scan is stored as "already present": the log never says
    "present" for a scan whose person another scan holds."""
    from django.db import connection

    token = _token(issued.conference, issued.people["HN-BD"])
    mine, theirs = _qr(token), _qr(token)
    meanwhile = []

    def they_store_first(execute, sql, params, many, context):
        if _inserts_attendance(sql) and not meanwhile:
            meanwhile.append("running")
            checkins_record(actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[theirs])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(they_store_first):
        (result,) = checkins_record(actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[mine])
    assert result.outcome == CheckInOutcome.ALREADY_PRESENT and not result.is_retry
    assert CheckIn.objects.get(id=mine.id).outcome == CheckInOutcome.ALREADY_PRESENT
    assert CheckIn.objects.get(id=theirs.id).outcome == CheckInOutcome.PRESENT
    assert Attendance.objects.get().checkin_id == theirs.id


@pytest.mark.django_db(transaction=True)
def test_two_requests_racing_for_one_person_store_one_present_and_one_already_present(
    issued, ba_dinh_operator
):
    """Two transactions on PostgreSQL: the second reads the person as absent while the first has
    not committed, then writes once the first has. It waits on the first's attendance row (or
    finds it committed), skips its own and logs its scan as already present."""
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("two concurrent transactions: PostgreSQL (SQLite runs one writer at a time)")
    token = _token(issued.conference, issued.people["HN-BD"])
    first_scan, second_scan = _qr(token), _qr(token)
    first_written, second_writing = threading.Event(), threading.Event()
    results, failures = {}, []

    def first():
        try:
            with transaction.atomic():
                (results["first"],) = checkins_record(
                    actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[first_scan]
                )
                first_written.set()
                assert second_writing.wait(10), "the second request never reached its insert"
        except Exception as error:  # noqa: BLE001 - reported by the test's thread below
            failures.append(error)
        finally:
            first_written.set()
            connection.close()

    def second():
        def commit_the_first_now(execute, sql, params, many, context):
            if _inserts_attendance(sql):
                second_writing.set()  # the first commits while this INSERT waits for its row
            return execute(sql, params, many, context)

        try:
            assert first_written.wait(10)
            with connection.execute_wrapper(commit_the_first_now):
                (results["second"],) = checkins_record(
                    actor=ba_dinh_operator, point=issued.ba_dinh_point, scans=[second_scan]
                )
        except Exception as error:  # noqa: BLE001
            failures.append(error)
        finally:
            second_writing.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures, failures
    assert results["first"].outcome == CheckInOutcome.PRESENT
    assert results["second"].outcome == CheckInOutcome.ALREADY_PRESENT
    stored = dict(CheckIn.objects.values_list("id", "outcome"))
    assert stored == {first_scan.id: CheckInOutcome.PRESENT, second_scan.id: CheckInOutcome.ALREADY_PRESENT}
    assert list(Attendance.objects.values_list("checkin_id", flat=True)) == [first_scan.id]
