"""Check-in at a point: each scan recorded once (offline-safe, idempotent, append-only); self check-in."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.attendance import events, selectors
from hoinghi.attendance.errors import (
    CheckInError,
    CheckInErrorCode,
)
from hoinghi.attendance.models import (
    Attendance,
    CheckIn,
    CheckInMethod,
    CheckInOutcome,
)
from hoinghi.attendance.services.inserts import (
    insert_present_and_logged,
    insert_skipping_conflicts,
    row_class,
)
from hoinghi.attendance.services.named import Named, People, ScanInput, stored_scans
from hoinghi.conferences.models import BridgePoint, ConferenceStatus, Invitation, InvitationStatus
from hoinghi.core.permissions import require

# --- Check-in ------------------------------------------------------------------------------------

# Stages in which a point's scans count. Scans of an ended conference still count: a district
# point that was offline all morning syncs afterwards, and its people were there.
OPEN_STAGES = frozenset({ConferenceStatus.INVITATIONS_ISSUED, ConferenceStatus.LIVE, ConferenceStatus.ENDED})
SELF_CHECKIN_OPENS_BEFORE = timedelta(hours=2)
MAX_BATCH = 500

# How far a device's clock is believed. A scan's time counts from a day before the conference
# starts (a point rehearses the evening before; a phone whose clock or time zone is off by hours
# still lands inside) until five minutes after the server received it (a phone a little fast).
# The upper bound is the server's clock, not the programme's end: points that were offline sync
# after the end, and a conference is sometimes held off its schedule (the demo replays the 2018
# morning today). Anything else (a clock reset to 2000 or to year 1, the year 9999, an offset that
# puts the time out of any calendar) is stored as rejected (`scanned_at_out_of_range`), with the
# text the device sent, and the other scans of its batch count.
SCAN_TIME_EARLIEST = timedelta(days=1)  # before the conference starts
SCAN_TIME_LATEST = timedelta(minutes=5)  # after the server received the scan

# What a batch writes: plain rows of the log and of the attendance (`inserts.row_class`).
LogRow = row_class(CheckIn)
AttendanceRow = row_class(Attendance)


@dataclass
class ScanResult:
    id: uuid.UUID
    outcome: str
    reason: str
    person_id: int | None
    person_name: str
    invited_point: str  # the point the person was invited to, when it is another one
    is_retry: bool = False

    def as_dict(self) -> dict:
        return {
            "id": str(self.id),
            "outcome": self.outcome,
            "reason": self.reason,
            "person_id": self.person_id,
            "person_name": self.person_name,
            "invited_point": self.invited_point,
            "is_retry": self.is_retry,
        }


class Recorded(list):
    """What `checkins_record` answers: the `ScanResult` of each scan, in the order they were sent,
    and `present`, the people present at the point once the batch is stored
    (`selectors.point_present_count`, counted by the statement that wrote the batch when it can)."""

    def __init__(self, results: list[ScanResult], *, present: int):
        super().__init__(results)
        self.present = present


def _require_operator(actor, point: BridgePoint) -> None:
    """Work at a point is for its operators and the organisers of its unit."""
    require(actor, "attendance.operate", point)


def _same_payload(stored: CheckIn, scan: ScanInput) -> bool:
    if (
        stored.person_id is None
        and stored.invitation_id is None
        and stored.outcome == CheckInOutcome.REJECTED
    ):
        # It named nobody known (an id that does not exist): nothing a forged retry could take.
        return stored.method == scan.method and stored.token == scan.token
    return (
        stored.method == scan.method
        and stored.token == scan.token
        and stored.guest_name == _guest_name(scan)
        and (scan.invitation_id is None or stored.invitation_id == scan.invitation_id)
        and (scan.person_id is None or stored.person_id == scan.person_id)
    )


def _guest_name(scan: ScanInput) -> str:
    return " ".join(scan.guest_name.split())[:200] if scan.method == CheckInMethod.GUEST else ""


def _validate_scan(scan: ScanInput) -> None:
    if scan.method not in CheckInMethod.values or scan.method == CheckInMethod.SELF:
        raise CheckInError(_("Cách điểm danh không hợp lệ."), code=CheckInErrorCode.MALFORMED)
    if scan.method == CheckInMethod.QR and not scan.token:
        raise CheckInError(_("Thiếu mã QR."), code=CheckInErrorCode.MALFORMED)
    if scan.method == CheckInMethod.GUEST:
        if not _guest_name(scan) or scan.invitation_id is not None or scan.person_id is not None:
            raise CheckInError(
                _("Khách ngoài danh sách cần có tên, và chỉ có tên."), code=CheckInErrorCode.MALFORMED
            )
    elif scan.method != CheckInMethod.QR and scan.invitation_id is None and scan.person_id is None:
        raise CheckInError(_("Thiếu người được điểm danh."), code=CheckInErrorCode.MALFORMED)
    if scan.scanned_at.utcoffset() is None:
        raise CheckInError(_("Thời điểm quét thiếu múi giờ."), code=CheckInErrorCode.MALFORMED)


def scan_time(scanned_at: datetime, *, conference, received_at: datetime) -> datetime | None:
    """The scan's time in UTC, or None when the device's clock is not believed: before
    `SCAN_TIME_EARLIEST` ahead of the conference's start, or more than `SCAN_TIME_LATEST` after
    `received_at`. Aware datetimes compare across offsets without leaving the calendar; only a
    time inside the window is converted (year 1 at +14:00 has no UTC date)."""
    earliest = conference.starts_at - SCAN_TIME_EARLIEST
    if not earliest <= scanned_at <= received_at + SCAN_TIME_LATEST:
        return None
    return scanned_at.astimezone(UTC)


def checkins_record(
    *, actor, point: BridgePoint, scans: list[ScanInput], is_simulated: bool = False
) -> Recorded:
    """Store a batch of scans from one point (live, or queued while offline) and make people present.

    Who a scan may name: a QR code's invitee anywhere (the invitee carries the proof; at another
    point than their own they are flagged "other point"); without a QR code (by search, from the
    list, or an undo) only the people this point may check in: its invitees, the people of the
    units it serves and their subtrees (as guests, or flagged when invited elsewhere), and whoever
    is present here already. Anyone else, or an id that names no one, is stored rejected as
    `not_served_here`, and the answer names nobody (no name, no point): an operator cannot learn
    who is who elsewhere by trying ids. Someone from elsewhere without a QR code is recorded by
    name (method "guest"): an unlisted guest, counted at the point and linked to no person.

    Idempotent: a scan whose id was stored before returns the stored result and changes nothing;
    the same id with a different payload is refused as replayed. Every scan that can be stored
    is stored, the rejected ones with their reason. Two scans of one person racing in two
    requests both find the person absent; the attendance is written before the log, with
    INSERT ... ON CONFLICT DO NOTHING on (conference, person, point), so the person is present
    once whatever the interleaving and the scan that lost is logged as already present (see
    `_store`). What another request stored first (the same scan, retried) is read back.

    `is_simulated` is for the replay of the morning on a demo conference only
    (`attendance.simulation`): it marks the rows it stores as its own, so that the next replay
    forgets them and nothing else.

    A scan whose time is out of `scan_time`'s window is stored rejected, the others count.
    Raises `CheckInError` (malformed) before storing anything when the batch cannot be read.
    """
    _require_operator(actor, point)
    if not scans:
        return Recorded([], present=selectors.point_present_count(point=point))
    _validate_batch(scans)
    scans = _unique(scans)
    stored = {row.id: row for row in stored_scans([scan.id for scan in scans])}
    fresh = [scan for scan in scans if scan.id not in stored]
    people = People.load(point, fresh)
    operator = actor if getattr(actor, "pk", None) else None
    rows, attendance, undo, names = _decide(
        point, fresh, people, operator=operator, is_simulated=is_simulated
    )
    inserted, present = _store(point, rows, attendance, undo) if rows else (set(), None)
    if rows:
        events.attendance_changed_on_commit(point.conference_id)
    if present is None:
        present = selectors.point_present_count(point=point)
    return Recorded(_results(point, scans, stored, rows, inserted, names), present=present)


def _validate_batch(scans: list[ScanInput]) -> None:
    if len(scans) > MAX_BATCH:
        raise CheckInError(
            _("Tối đa %(n)s lượt quét mỗi lần gửi."), code=CheckInErrorCode.MALFORMED, params={"n": MAX_BATCH}
        )
    for scan in scans:
        _validate_scan(scan)


def _unique(scans: list[ScanInput]) -> list[ScanInput]:
    seen, unique = set(), []
    for scan in scans:
        if scan.id not in seen:
            seen.add(scan.id)
            unique.append(scan)
    return unique


def _decide(
    point: BridgePoint, scans: list[ScanInput], people: People, *, operator, is_simulated: bool
) -> tuple[list[LogRow], dict[int, AttendanceRow], set[int], dict[uuid.UUID, Named]]:
    """The log row of each fresh scan, in the order they were scanned, what they do to the
    attendance (the rows to add, by person, and the people whose presence here is undone), and
    whom each row names (by the scan's id), for the answer."""
    conference = point.conference
    is_open = conference.status in OPEN_STAGES
    received_at = timezone.now()
    present_here = set(people.present_here)
    rows: list[LogRow] = []
    attendance: dict[int, AttendanceRow] = {}
    undo: set[int] = set()
    names: dict[uuid.UUID, Named] = {}
    for scan in sorted(scans, key=lambda scan: scan.scanned_at):
        named = people.named_by(scan)
        person_id = named.person_id if named else None
        invitation_id = named.invitation_id if named else None
        scanned_at = scan_time(scan.scanned_at, conference=conference, received_at=received_at)
        outcome, reason = CheckInOutcome.PRESENT, ""
        # First whether the point may name them at all: every later answer names the person.
        if not people.may_name(scan, named, present_here=present_here):
            outcome, reason = CheckInOutcome.REJECTED, CheckInErrorCode.NOT_SERVED_HERE
        elif not is_open:
            outcome, reason = CheckInOutcome.REJECTED, CheckInErrorCode.NOT_OPEN
        elif scanned_at is None:
            outcome, reason = CheckInOutcome.REJECTED, CheckInErrorCode.SCANNED_AT_OUT_OF_RANGE
        elif scan.method == CheckInMethod.GUEST:
            outcome = CheckInOutcome.UNLISTED_GUEST
        elif named is None:
            outcome, reason = CheckInOutcome.REJECTED, CheckInErrorCode.UNKNOWN_TOKEN
        elif invitation_id is not None and named.invitation_status != InvitationStatus.ACTIVE:
            outcome, reason = CheckInOutcome.REJECTED, CheckInErrorCode.WITHDRAWN
        elif scan.method == CheckInMethod.UNDO:
            if person_id in present_here:
                outcome = CheckInOutcome.UNDONE
                present_here.discard(person_id)
                attendance.pop(person_id, None)
                undo.add(person_id)
            else:
                outcome, reason = CheckInOutcome.REJECTED, CheckInErrorCode.NOTHING_TO_UNDO
        elif person_id in present_here:
            outcome = CheckInOutcome.ALREADY_PRESENT
        else:
            if invitation_id is None:
                outcome = CheckInOutcome.GUEST
            elif named.invited_point_id != point.pk:
                outcome = CheckInOutcome.OTHER_POINT
            present_here.add(person_id)
            undo.discard(person_id)
        row = LogRow(
            id=scan.id,
            conference_id=conference.pk,
            point_id=point.pk,
            method=scan.method,
            invitation_id=invitation_id,
            person_id=person_id,
            token=scan.token[:64],
            guest_name=_guest_name(scan),
            outcome=outcome,
            reason=reason,
            scanned_at=scanned_at,
            scanned_at_sent="" if scanned_at else scan.scanned_at.isoformat(),
            received_at=received_at,
            operator_id=operator.pk if operator else None,
            is_simulated=is_simulated,
        )
        rows.append(row)
        if named is not None:
            names[scan.id] = named
        if outcome in MAKES_PRESENT:
            attendance[person_id] = AttendanceRow(
                conference_id=conference.pk,
                person_id=person_id,
                point_id=point.pk,
                invitation_id=invitation_id,
                checkin_id=row.id,
                checked_in_at=scanned_at,
                is_guest=outcome == CheckInOutcome.GUEST,
                is_other_point=outcome == CheckInOutcome.OTHER_POINT,
            )
    return rows, attendance, undo, names


MAKES_PRESENT = frozenset({CheckInOutcome.PRESENT, CheckInOutcome.OTHER_POINT, CheckInOutcome.GUEST})


def _store(
    point: BridgePoint, rows: list[LogRow], attendance: dict[int, AttendanceRow], undo: set[int]
) -> tuple[set[uuid.UUID], int | None]:
    """Write a batch: the attendance first, then the log. Returns the ids of the scans stored now
    and, when it came with the write (on PostgreSQL without an undo), the people present at the
    point after it.

    A request that found a person absent may race another that found the same: each inserts the
    person's attendance, and the unique (conference, person, point) lets one in; the other's
    INSERT waits for the first transaction and then skips the row. Which rows went in is what the
    INSERT returns, so the scan that lost is logged as already present before its row is written
    (the log is never updated afterwards). An attendance row names its scan before the scan is
    stored: the foreign key is checked at commit (Django declares it DEFERRABLE INITIALLY
    DEFERRED on PostgreSQL and SQLite).

    Without an undo, on PostgreSQL, both INSERTs are one statement (`insert_present_and_logged`,
    which logs the lost scans as already present itself) that also counts who was present as it
    started: one round trip, no transaction to open. Otherwise (an undo deletes first; SQLite)
    the statements run in a transaction.
    """
    if not undo:
        written = insert_present_and_logged(
            Attendance,
            list(attendance.values()),
            CheckIn,
            rows,
            makes_present=MAKES_PRESENT,
            already=CheckInOutcome.ALREADY_PRESENT,
            before=selectors.point_present_count_sql(point=point),
        )
        if written is not None:
            made_present, inserted, before = written
            _lost(attendance, rows, made_present)
            guests = sum(
                1 for row in rows if row.id in inserted and row.outcome == CheckInOutcome.UNLISTED_GUEST
            )
            return inserted, before + len(made_present) + guests
    with transaction.atomic():
        if undo:
            Attendance.objects.filter(
                conference_id=point.conference_id, point=point, person_id__in=undo
            ).delete()
        made_present = insert_skipping_conflicts(Attendance, list(attendance.values()), returning="person_id")
        _lost(attendance, rows, made_present)
        return insert_skipping_conflicts(CheckIn, rows, returning="id"), None


def _lost(attendance: dict[int, AttendanceRow], rows: list[LogRow], made_present: set[int]) -> None:
    """The scans whose person another request made present first are logged as already present."""
    lost = {row.checkin_id for person_id, row in attendance.items() if person_id not in made_present}
    for row in rows:
        if row.id in lost:
            row.outcome = CheckInOutcome.ALREADY_PRESENT


def _results(
    point: BridgePoint,
    scans: list[ScanInput],
    stored: dict[uuid.UUID, CheckIn],
    rows: list[LogRow],
    inserted: set[uuid.UUID],
    names: dict[uuid.UUID, Named],
) -> list[ScanResult]:
    """What the device is told of each scan, in the order it sent them. A scan stored now is
    answered from the row in hand and whom it names (`names`); one stored before (a retry), or by
    another request meanwhile (the same scan retried at the same moment), from what is stored:
    one query, only then."""
    results: dict[uuid.UUID, ScanResult] = {}
    retried: set[uuid.UUID] = set()
    for scan in scans:
        row = stored.get(scan.id)
        if row is None:
            continue
        if row.point_id != point.pk or not _same_payload(row, scan):
            # Names nobody: the id may be another point's scan.
            results[scan.id] = ScanResult(
                scan.id, CheckInOutcome.REJECTED, CheckInErrorCode.REPLAYED, None, "", "", is_retry=True
            )
        else:
            retried.add(scan.id)
    for row in rows:
        if row.id in inserted:
            results[row.id] = _result(row, point, names.get(row.id))
    read_back = retried | {row.id for row in rows if row.id not in inserted}
    if read_back:
        for row in CheckIn.objects.filter(id__in=read_back).select_related("person", "invitation__point"):
            named = Named.of(row.invitation, row.person) if row.person is not None else None
            results[row.id] = _result(row, point, named, is_retry=row.id in retried)
    return [results[scan.id] for scan in scans]


def _result(
    row: LogRow | CheckIn, point: BridgePoint, named: Named | None, *, is_retry: bool = False
) -> ScanResult:
    """What the device is told of a scan stored now (its row) or before (read back), naming `named`."""
    if row.reason == CheckInErrorCode.NOT_SERVED_HERE:  # the log knows whom; the answer says nobody
        return ScanResult(row.id, row.outcome, row.reason, None, "", "", is_retry=is_retry)
    if row.outcome == CheckInOutcome.UNLISTED_GUEST:
        return ScanResult(row.id, row.outcome, row.reason, None, row.guest_name, "", is_retry=is_retry)
    invited_elsewhere = named is not None and named.invited_point_id not in (None, point.pk)
    return ScanResult(
        row.id,
        row.outcome,
        row.reason,
        row.person_id,
        named.full_name if named else "",
        named.invited_point_name if invited_elsewhere else "",
        is_retry=is_retry,
    )


def self_checkin_window(conference) -> tuple[datetime, datetime]:
    """When an invitee may check themselves in: from `SELF_CHECKIN_OPENS_BEFORE` before the
    start until the end of the conference's (last) day in its own zone. Unlike a point's scans,
    which sync after the end and carry the device's time, a tap on the personal page is "I am here
    now", so it has no meaning on another day: months before or after it would make someone
    present who was not."""
    return conference.starts_at - SELF_CHECKIN_OPENS_BEFORE, conference.day_ends_at


def _local(moment: datetime, conference) -> str:
    return moment.astimezone(conference.time_zone).strftime("%H:%M %d/%m/%Y")


@transaction.atomic
def checkin_self(*, token: str, scan_id: uuid.UUID, scanned_at: datetime | None = None) -> ScanResult:
    """A participant checks themselves in from their personal page, at their own point only.

    The token in the link is the credential: it checks in its own person and nobody else.
    Refused (`outside_window`) unless the conference is open and now is inside
    `self_checkin_window` (two hours before the start to the end of its day). Stored as
    `checkins_record` stores a scan: two taps racing make the person present once, and the one
    that lost is logged as already present.
    """
    invitation = (
        Invitation.objects.select_related("conference", "point", "person")
        .filter(token=token, status=InvitationStatus.ACTIVE)
        .first()
    )
    if invitation is None:
        raise CheckInError(_("Giấy mời không còn hiệu lực."), code=CheckInErrorCode.UNKNOWN_TOKEN)
    conference = invitation.conference
    now = timezone.now()
    opens, closes = self_checkin_window(conference)
    if conference.status not in OPEN_STAGES or now < opens:
        raise CheckInError(
            _("Chưa đến giờ điểm danh: tự điểm danh mở từ %(opens)s."),
            code=CheckInErrorCode.OUTSIDE_WINDOW,
            params={"opens": _local(opens, conference)},
        )
    if now >= closes:
        raise CheckInError(
            _("Đã hết giờ tự điểm danh: chỉ tự điểm danh được đến hết ngày %(day)s."),
            code=CheckInErrorCode.OUTSIDE_WINDOW,
            params={"day": (closes - timedelta(days=1)).strftime("%d/%m/%Y")},
        )
    if invitation.point_id is None:
        raise CheckInError(
            _("Đồng chí chưa được xếp điểm cầu; đề nghị báo ban tổ chức."), code=CheckInErrorCode.NOT_OPEN
        )
    stored = CheckIn.objects.filter(id=scan_id).first()
    if stored is not None:
        if stored.method != CheckInMethod.SELF or stored.person_id != invitation.person_id:
            raise CheckInError(_("Lượt điểm danh đã được dùng."), code=CheckInErrorCode.REPLAYED)
        return ScanResult(
            stored.id,
            stored.outcome,
            stored.reason,
            stored.person_id,
            invitation.person.full_name,
            "",
            is_retry=True,
        )
    point = invitation.point
    already = Attendance.objects.filter(conference=conference, person=invitation.person, point=point).exists()
    row = LogRow(
        id=scan_id,
        conference_id=conference.pk,
        point_id=point.pk,
        method=CheckInMethod.SELF,
        invitation_id=invitation.pk,
        person_id=invitation.person_id,
        token="",
        guest_name="",
        outcome=CheckInOutcome.ALREADY_PRESENT if already else CheckInOutcome.PRESENT,
        reason="",
        scanned_at=scanned_at or now,
        scanned_at_sent="",
        received_at=now,
        operator_id=None,
        is_simulated=False,
    )
    attendance = {}
    if not already:
        attendance[invitation.person_id] = AttendanceRow(
            conference_id=conference.pk,
            person_id=invitation.person_id,
            point_id=point.pk,
            invitation_id=invitation.pk,
            checkin_id=row.id,
            checked_in_at=row.scanned_at,
            is_guest=False,
            is_other_point=False,
        )
    if scan_id not in _store(point, [row], attendance, set())[0]:
        row = CheckIn.objects.get(id=scan_id)  # the same tap, stored by another request meanwhile
    events.attendance_changed_on_commit(conference.pk)
    return ScanResult(row.id, row.outcome, row.reason, invitation.person_id, invitation.person.full_name, "")
