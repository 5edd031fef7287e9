"""Writes of the live morning: check-in, presence heartbeats, headcounts, incidents, questions."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connections, models, router, transaction
from django.db.models import AutoField, Exists, OuterRef
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.attendance import events
from hoinghi.attendance.errors import (
    CheckInError,
    CheckInErrorCode,
    IncidentError,
    IncidentErrorCode,
    QuestionError,
    QuestionErrorCode,
)
from hoinghi.attendance.models import (
    Attendance,
    CheckIn,
    CheckInMethod,
    CheckInOutcome,
    Headcount,
    Incident,
    IncidentKind,
    PointPresence,
    Question,
    QuestionStatus,
)
from hoinghi.conferences import services as conferences
from hoinghi.conferences.models import BridgePoint, ConferenceStatus, Invitation, InvitationStatus
from hoinghi.conferences.selectors import point_is_operated_by
from hoinghi.core.models import audit
from hoinghi.core.permissions import require
from hoinghi.orgs.models import Person

# Stages in which a point's scans count. Scans of an ended conference still count: a district
# point that was offline all morning syncs afterwards, and its people were there.
OPEN_STAGES = frozenset({ConferenceStatus.INVITATIONS_ISSUED, ConferenceStatus.LIVE, ConferenceStatus.ENDED})
SELF_CHECKIN_OPENS_BEFORE = timedelta(hours=2)
MAX_BATCH = 500


@dataclass(frozen=True)
class ScanInput:
    id: uuid.UUID
    method: str
    scanned_at: datetime
    token: str = ""
    invitation_id: int | None = None
    person_id: int | None = None


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


def _require_operator(actor, point: BridgePoint) -> None:
    """Check-in at a point is for its operators (and organisers who may change the point).

    `selectors.point_for_checkin` marks the instance it checked for the actor of the request;
    that instance needs no second look."""
    actor_pk = getattr(actor, "pk", None)
    if actor_pk is not None and getattr(point, "checkin_allowed_for", None) == actor_pk:
        return
    if point_is_operated_by(point, actor):
        return
    require(actor, "conferences.change", point)


def _same_payload(stored: CheckIn, scan: ScanInput) -> bool:
    return (
        stored.method == scan.method
        and stored.token == scan.token
        and (scan.invitation_id is None or stored.invitation_id == scan.invitation_id)
        and (scan.person_id is None or stored.person_id == scan.person_id)
    )


def _validate_scan(scan: ScanInput) -> None:
    if scan.method not in CheckInMethod.values or scan.method == CheckInMethod.SELF:
        raise CheckInError(_("Cách điểm danh không hợp lệ."), code=CheckInErrorCode.MALFORMED)
    if scan.method == CheckInMethod.QR and not scan.token:
        raise CheckInError(_("Thiếu mã QR."), code=CheckInErrorCode.MALFORMED)
    if scan.method != CheckInMethod.QR and scan.invitation_id is None and scan.person_id is None:
        raise CheckInError(_("Thiếu người được điểm danh."), code=CheckInErrorCode.MALFORMED)
    if scan.scanned_at > timezone.now() + timedelta(minutes=5):
        raise CheckInError(
            _("Thời điểm quét ở tương lai: kiểm tra đồng hồ của máy."), code=CheckInErrorCode.MALFORMED
        )


@transaction.atomic
def checkins_record(*, actor, point: BridgePoint, scans: list[ScanInput]) -> list[ScanResult]:
    """Store a batch of scans from one point (live, or queued while offline) and make people present.

    Idempotent: a scan whose id was stored before returns the stored result and changes nothing;
    the same id with a different payload is refused as replayed. Every scan that can be stored
    is stored, the rejected ones with their reason. Two devices scanning one badge at the same
    moment both insert with ON CONFLICT DO NOTHING on (person, point), so the person is present
    once whatever the interleaving; the results are read back from what was stored.

    Raises `CheckInError` (malformed) before storing anything when the batch cannot be read.
    """
    _require_operator(actor, point)
    if not scans:
        return []
    if len(scans) > MAX_BATCH:
        raise CheckInError(
            _("Tối đa %(n)s lượt quét mỗi lần gửi."), code=CheckInErrorCode.MALFORMED, params={"n": MAX_BATCH}
        )
    for scan in scans:
        _validate_scan(scan)
    conference = point.conference
    operator = actor if getattr(actor, "pk", None) else None

    stored = {row.id: row for row in CheckIn.objects.filter(id__in=[s.id for s in scans])}
    results: dict[uuid.UUID, ScanResult] = {}
    fresh: list[ScanInput] = []
    seen: set[uuid.UUID] = set()
    for scan in scans:
        if scan.id in seen:
            continue
        seen.add(scan.id)
        if scan.id in stored:
            row = stored[scan.id]
            if row.point_id != point.pk or not _same_payload(row, scan):
                results[scan.id] = ScanResult(
                    scan.id,
                    CheckInOutcome.REJECTED,
                    CheckInErrorCode.REPLAYED,
                    row.person_id,
                    "",
                    "",
                    is_retry=True,
                )
            else:
                results[scan.id] = None  # filled from the stored row below
        else:
            fresh.append(scan)

    # Whether each person is present here comes with the invitation or person that names them:
    # no query of its own. A lookup with nothing to look up is not even built (a device sends
    # one kind of scan at a time; building the other three queries cost more than running one).
    tokens = [s.token for s in fresh if s.token]
    invitation_ids = [s.invitation_id for s in fresh if s.invitation_id]
    person_ids = {s.person_id for s in fresh if s.person_id}
    present_here_of = Attendance.objects.filter(conference=conference, point=point)
    invitations = (
        Invitation.objects.filter(conference=conference)
        .select_related("person", "point")
        .annotate(is_present_here=Exists(present_here_of.filter(person_id=OuterRef("person_id"))))
    )
    by_token = {i.token: i for i in invitations.filter(token__in=tokens)} if tokens else {}
    by_id = {i.pk: i for i in invitations.filter(pk__in=invitation_ids)} if invitation_ids else {}
    by_person = {i.person_id: i for i in invitations.filter(person_id__in=person_ids)} if person_ids else {}
    guest_ids = person_ids - set(by_person)
    people = (
        {
            p.pk: p
            for p in Person.objects.filter(pk__in=guest_ids).annotate(
                is_present_here=Exists(present_here_of.filter(person_id=OuterRef("pk")))
            )
        }
        if guest_ids
        else {}
    )
    present_here = {
        i.person_id for i in (*by_token.values(), *by_id.values(), *by_person.values()) if i.is_present_here
    } | {p.pk for p in people.values() if p.is_present_here}

    rows: list[CheckIn] = []
    new_attendance: dict[int, Attendance] = {}
    undo: set[int] = set()
    is_open = conference.status in OPEN_STAGES
    for scan in sorted(fresh, key=lambda s: s.scanned_at):
        invitation = (
            by_token.get(scan.token)
            if scan.method == CheckInMethod.QR
            else by_id.get(scan.invitation_id)
            if scan.invitation_id
            else by_person.get(scan.person_id)
        )
        person = invitation.person if invitation else people.get(scan.person_id)
        outcome, reason = CheckInOutcome.PRESENT, ""
        if not is_open:
            outcome, reason = CheckInOutcome.REJECTED, CheckInErrorCode.NOT_OPEN
        elif person is None:
            outcome, reason = CheckInOutcome.REJECTED, CheckInErrorCode.UNKNOWN_TOKEN
        elif invitation is not None and invitation.status != InvitationStatus.ACTIVE:
            outcome, reason = CheckInOutcome.REJECTED, CheckInErrorCode.WITHDRAWN
        elif scan.method == CheckInMethod.UNDO:
            if person.pk in present_here:
                outcome = CheckInOutcome.UNDONE
                present_here.discard(person.pk)
                new_attendance.pop(person.pk, None)
                undo.add(person.pk)
            else:
                outcome, reason = CheckInOutcome.REJECTED, CheckInErrorCode.NOTHING_TO_UNDO
        elif person.pk in present_here:
            outcome = CheckInOutcome.ALREADY_PRESENT
        else:
            if invitation is None:
                outcome = CheckInOutcome.GUEST
            elif invitation.point_id != point.pk:
                outcome = CheckInOutcome.OTHER_POINT
            present_here.add(person.pk)
            undo.discard(person.pk)
        row = CheckIn(
            id=scan.id,
            conference=conference,
            point=point,
            method=scan.method,
            invitation=invitation,
            person=person,
            token=scan.token[:64],
            outcome=outcome,
            reason=reason,
            scanned_at=scan.scanned_at,
            operator=operator,
        )
        rows.append(row)
        if outcome in (CheckInOutcome.PRESENT, CheckInOutcome.OTHER_POINT, CheckInOutcome.GUEST):
            new_attendance[person.pk] = Attendance(
                conference=conference,
                person=person,
                point=point,
                invitation=invitation,
                checkin=row,
                checked_in_at=scan.scanned_at,
                is_guest=outcome == CheckInOutcome.GUEST,
                is_other_point=outcome == CheckInOutcome.OTHER_POINT,
            )

    inserted = _insert_new(rows)
    if undo:
        Attendance.objects.filter(conference=conference, point=point, person_id__in=undo).delete()
    _insert_new(list(new_attendance.values()))

    # A concurrent retry of the same scan may have won an insert: then what is stored is read back.
    # When every row went in, what is stored is what is in hand. The rows as stored come back as
    # plain values; the names come from the objects in hand, and only rows stored before
    # (retries) or by another request are read with their names.
    retried = {scan_id for scan_id, result in results.items() if result is None}
    written = {row.id: row for row in rows}
    names = {}
    others = set(retried)
    if inserted == len(rows):
        stored_now = [(row.id, row.outcome, row.reason, row.person_id, row.point_id) for row in rows]
    else:
        stored_now = CheckIn.objects.filter(id__in=written).values_list(
            "id", "outcome", "reason", "person_id", "point_id"
        )
    for scan_id, outcome, reason, person_id, point_id in stored_now:
        row = written.get(scan_id)
        if row is None or (outcome, reason, person_id, point_id) != (
            row.outcome,
            row.reason,
            row.person_id,
            row.point_id,
        ):
            others.add(scan_id)
            continue
        invitation = row.invitation
        invited = invitation.point if invitation and invitation.point_id != point.pk else None
        names[scan_id] = ScanResult(
            scan_id,
            outcome,
            reason,
            person_id,
            row.person.full_name if row.person else "",
            invited.name if invited else "",
        )
    if others:
        for row in CheckIn.objects.filter(id__in=others).select_related("person", "invitation__point"):
            invited = row.invitation.point if row.invitation and row.invitation.point_id != point.pk else None
            names[row.id] = ScanResult(
                row.id,
                row.outcome,
                row.reason,
                row.person_id,
                row.person.full_name if row.person else "",
                invited.name if invited else "",
                is_retry=row.id in retried,
            )
    if rows:
        events.attendance_changed_on_commit(conference.pk)
    return [results.get(s.id) or names[s.id] for s in _unique(scans)]


def _insert_new(rows: list[models.Model]) -> int:
    """Insert `rows` (of one model) skipping those that conflict with a stored row, as
    `bulk_create(ignore_conflicts=True)` does, and return how many were inserted.

    `bulk_create` does not tell; the database does (the row count of INSERT ... ON CONFLICT DO
    NOTHING on PostgreSQL, of INSERT OR IGNORE on SQLite), through Django's own compiler so that
    values are adapted as `bulk_create` adapts them, in batches of the same size.
    """
    if not rows:
        return 0
    model = type(rows[0])
    connection = connections[router.db_for_write(model)]
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.generated and not (isinstance(field, AutoField) and rows[0].pk is None)
    ]
    size = max(connection.ops.bulk_batch_size(fields, rows), 1)
    inserted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            query = InsertQuery(model, on_conflict=OnConflict.IGNORE)
            query.insert_values(fields, rows[start : start + size])
            for sql, params in query.get_compiler(connection=connection).as_sql():
                cursor.execute(sql, params)
                inserted += cursor.rowcount
    return inserted


def _unique(scans: list[ScanInput]) -> list[ScanInput]:
    seen, unique = set(), []
    for scan in scans:
        if scan.id not in seen:
            seen.add(scan.id)
            unique.append(scan)
    return unique


@transaction.atomic
def checkin_self(*, token: str, scan_id: uuid.UUID, scanned_at: datetime | None = None) -> ScanResult:
    """A participant checks themselves in from their personal page, at their own point only.

    The token in the link is the credential: it checks in its own person and nobody else.
    Refused outside the check-in window (from two hours before the start, while open).
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
    if conference.status not in OPEN_STAGES or now < conference.starts_at - SELF_CHECKIN_OPENS_BEFORE:
        raise CheckInError(_("Chưa đến giờ điểm danh."), code=CheckInErrorCode.OUTSIDE_WINDOW)
    if invitation.point_id is None:
        raise CheckInError(
            _("Bạn chưa được xếp điểm cầu; hãy báo ban tổ chức."), code=CheckInErrorCode.NOT_OPEN
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
    outcome = CheckInOutcome.ALREADY_PRESENT if already else CheckInOutcome.PRESENT
    row = CheckIn.objects.create(
        id=scan_id,
        conference=conference,
        point=point,
        method=CheckInMethod.SELF,
        invitation=invitation,
        person=invitation.person,
        token="",
        outcome=outcome,
        scanned_at=scanned_at or now,
    )
    if not already:
        Attendance.objects.bulk_create(
            [
                Attendance(
                    conference=conference,
                    person=invitation.person,
                    point=point,
                    invitation=invitation,
                    checkin=row,
                    checked_in_at=row.scanned_at,
                )
            ],
            ignore_conflicts=True,
        )
    events.attendance_changed_on_commit(conference.pk)
    return ScanResult(row.id, outcome, "", invitation.person_id, invitation.person.full_name, "")


# --- Presence, headcounts, incidents -------------------------------------------------------------

HEARTBEAT_WRITE_EVERY = timedelta(seconds=10)


@dataclass(frozen=True)
class Playback:
    """What the point's video player reports with the heartbeat."""

    state: str  # one of PLAYBACK_STATES
    bitrate: int | None = None  # bits/s
    delay: float | None = None  # seconds behind the encoder


PLAYBACK_STATES = frozenset({"playing", "buffering", "stalled", "paused", "error", "idle"})
# A player not playing for this long (buffering, stalled, error) opens an incident at its point.
STALLED_INCIDENT_AFTER = timedelta(seconds=30)


@transaction.atomic
def point_heartbeat(
    *, actor, point: BridgePoint, queued_scans: int = 0, playback: Playback | None = None
) -> PointPresence:
    """Record that a page of the point is open. Writes at most every 10 s per point (364 pages
    beating every 15 s would otherwise be a write every 40 ms for nothing), and at once when the
    player changes state. A point whose player has not played for `STALLED_INCIDENT_AFTER` gets
    an incident; the first real playing closes it and marks the point's link as tested
    (`conferences.services.point_link_tested_mark`). Atomic: the presence, the incident and the
    mark are written together or not at all."""
    _require_operator(actor, point)
    now = timezone.now()
    presence = PointPresence.objects.filter(point=point).first()
    if presence is None:
        presence, created = PointPresence.objects.get_or_create(
            point=point, defaults={"last_seen_at": now, "first_seen_at": now, "queued_scans": queued_scans}
        )
        events.presence_changed_on_commit(point.conference_id)
    was_silent = now - presence.last_seen_at > events.ONLINE_WITHIN
    changes: dict = {}
    if (
        was_silent
        or now - presence.last_seen_at >= HEARTBEAT_WRITE_EVERY
        or presence.queued_scans != queued_scans
    ):
        changes.update(last_seen_at=now, queued_scans=queued_scans)
    if playback is not None:
        changes.update(_playback_changes(point, presence, playback, now))
    if changes:
        PointPresence.objects.filter(pk=presence.pk).update(**changes)
        for field, value in changes.items():
            setattr(presence, field, value)
        if was_silent or "playback" in changes:
            events.presence_changed_on_commit(point.conference_id)
    return presence


def _playback_changes(point: BridgePoint, presence: PointPresence, playback: Playback, now: datetime) -> dict:
    state = playback.state if playback.state in PLAYBACK_STATES else "error"
    changes: dict = {}
    if state != presence.playback:
        changes.update(playback=state, playback_since=now)
    since = changes.get("playback_since", presence.playback_since) or now
    if changes or now - (presence.playback_reported_at or since) >= HEARTBEAT_WRITE_EVERY:
        changes.update(
            playback_reported_at=now, playback_bitrate=playback.bitrate, playback_delay=playback.delay
        )
    if state == "playing" and "playback" in changes:  # it just started playing
        conferences.point_link_tested_mark(point=point, at=now)
        incident_system_close(point=point, kind=IncidentKind.STALLED, resolution=_("Hình ảnh đã chạy lại."))
    elif state in ("buffering", "stalled", "error") and now - since >= STALLED_INCIDENT_AFTER:
        incident_system_open(
            point=point,
            kind=IncidentKind.STALLED,
            note=_("Báo tự động: hình ảnh tại điểm cầu không chạy quá %(seconds)s giây.")
            % {"seconds": int(STALLED_INCIDENT_AFTER.total_seconds())},
        )
    return changes


@transaction.atomic
def headcount_report(
    *,
    actor,
    point: BridgePoint,
    present: int,
    absent: int = 0,
    absent_reasons: dict | None = None,
    note: str = "",
) -> Headcount:
    """An operator's counts for a room where people are not checked in one by one."""
    _require_operator(actor, point)
    if present < 0 or absent < 0:
        raise CheckInError(_("Số người không hợp lệ."), code=CheckInErrorCode.MALFORMED)
    headcount = Headcount.objects.create(
        point=point,
        present=present,
        absent=absent,
        absent_reasons=absent_reasons or {},
        note=note,
        reported_by=actor if getattr(actor, "pk", None) else None,
    )
    audit(
        actor=actor,
        type="attendance.headcount.reported",
        obj=point,
        unit_path=point.unit.path,
        present=present,
        absent=absent,
    )
    events.attendance_changed_on_commit(point.conference_id)
    return headcount


def _require_incident_kind(kind: str) -> None:
    if kind not in IncidentKind.values:
        raise IncidentError(
            _("Loại sự cố không hợp lệ."), code=IncidentErrorCode.UNKNOWN_KIND, params={"kind": kind}
        )


@transaction.atomic
def incident_open(*, actor, point: BridgePoint, kind: str, note: str = "") -> Incident:
    """An operator (or an organiser) reports a problem at the point.

    Raises `IncidentError(unknown_kind)` for a kind that is not one of `IncidentKind`."""
    _require_operator(actor, point)
    _require_incident_kind(kind)
    incident = Incident.objects.create(
        point=point, kind=kind, note=note, opened_by=actor if getattr(actor, "pk", None) else None
    )
    audit(actor=actor, type="attendance.incident.opened", obj=incident, unit_path=point.unit.path, kind=kind)
    events.incidents_changed_on_commit(point.conference_id)
    return incident


@transaction.atomic
def incident_close(*, actor, incident: Incident, resolution: str = "") -> Incident:
    """Organisers (or the point's operators) close an incident with how it was solved."""
    _require_operator(actor, incident.point)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.closed_at is None:
        incident.closed_at, incident.resolution = timezone.now(), resolution
        incident.closed_by = actor if getattr(actor, "pk", None) else None
        incident.save(update_fields=["closed_at", "closed_by", "resolution"])
        audit(
            actor=actor, type="attendance.incident.closed", obj=incident, unit_path=incident.point.unit.path
        )
        events.incidents_changed_on_commit(incident.point.conference_id)
    return incident


def _system_incidents(point: BridgePoint, kind: str):
    """The open incidents of `kind` the system opened at the point (no one opened them by hand)."""
    return Incident.objects.filter(point=point, kind=kind, opened_by__isnull=True, closed_at__isnull=True)


@transaction.atomic
def incident_system_open(*, point: BridgePoint, kind: str, note: str) -> Incident | None:
    """The system reports a problem it saw at the point (a player stalled, the host's stream
    dropped), unless an incident of that kind it opened there is still open. Returns the new
    incident, or None. No actor: the caller has let in whoever set it off (an operator's
    heartbeat, nginx's callback). Raises `IncidentError(unknown_kind)`."""
    _require_incident_kind(kind)
    if _system_incidents(point, kind).exists():
        return None
    incident = Incident.objects.create(point=point, kind=kind, note=note)
    events.incidents_changed_on_commit(point.conference_id)
    return incident


@transaction.atomic
def incident_system_close(*, point: BridgePoint, kind: str, resolution: str) -> int:
    """Close the open incidents of `kind` the system opened at the point, as what set them off is
    over; one an operator opened stays open until someone closes it. Returns how many closed."""
    closed = _system_incidents(point, kind).update(closed_at=timezone.now(), resolution=resolution)
    if closed:
        events.incidents_changed_on_commit(point.conference_id)
    return closed


# --- Questions from the floor --------------------------------------------------------------------


@transaction.atomic
def question_ask(
    *, point: BridgePoint, text: str, item=None, invitation: Invitation | None = None, actor=None
) -> Question:
    """A question sent by a point's operator (actor) or by an invitee from their page (invitation).

    Raises `QuestionError`: `text_length` (empty or over 2,000 characters), `wrong_conference` (a
    programme item of another conference), `wrong_point` (an invitee asking from a point they are
    not invited to)."""
    if invitation is None:
        _require_operator(actor, point)
    elif invitation.point_id != point.pk:
        raise QuestionError(
            _("Bạn chỉ gửi được câu hỏi từ điểm cầu của mình."), code=QuestionErrorCode.WRONG_POINT
        )
    text = text.strip()
    if not text or len(text) > 2000:
        raise QuestionError(_("Câu hỏi cần từ 1 đến 2.000 ký tự."), code=QuestionErrorCode.TEXT_LENGTH)
    if item is not None and item.conference_id != point.conference_id:
        raise QuestionError(
            _("Mục chương trình không thuộc hội nghị này."), code=QuestionErrorCode.WRONG_CONFERENCE
        )
    question = Question.objects.create(
        conference=point.conference, point=point, item=item, invitation=invitation, text=text
    )
    events.questions_changed_on_commit(point.conference_id)
    return question


@transaction.atomic
def question_moderate(
    *, actor, question: Question, status: str, answer: str = "", merged_into: Question | None = None
) -> Question:
    """Approve, reject, answer or merge a question; moderators are the conference's organisers.

    Raises `QuestionError`: `unknown_status`, `merge_target` (merged without a question to merge
    into, or into itself), `wrong_conference` (into a question of another conference)."""
    require(actor, "conferences.change", question.conference)
    if status not in QuestionStatus.values:
        raise QuestionError(_("Thao tác không hợp lệ."), code=QuestionErrorCode.UNKNOWN_STATUS)
    if status == QuestionStatus.MERGED:
        if merged_into is None or merged_into.pk == question.pk:
            raise QuestionError(_("Hãy chọn câu hỏi khác để gộp vào."), code=QuestionErrorCode.MERGE_TARGET)
        if merged_into.conference_id != question.conference_id:
            raise QuestionError(
                _("Câu hỏi gộp vào không thuộc hội nghị này."), code=QuestionErrorCode.WRONG_CONFERENCE
            )
    question.status, question.moderated_at = status, timezone.now()
    question.moderated_by = actor if getattr(actor, "pk", None) else None
    question.merged_into = merged_into if status == QuestionStatus.MERGED else None
    if answer:
        question.answer = answer
    question.save()
    audit(
        actor=actor,
        type="attendance.question.moderated",
        obj=question,
        unit_path=question.conference.organising_unit.path,
        status=status,
    )
    events.questions_changed_on_commit(question.conference_id)
    return question
