"""Check-in and presence endpoints of a point's check-in page, and the participant's self check-in.

Session authentication (with its CSRF check) for the operator's page; the self check-in takes
the invitation token as its credential. Every endpoint parses, calls one service or selector,
and answers; refusals come back as {"code", "message", "params"}, and hoinghi.api documents
them on every operation.
"""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from pydantic import AwareDatetime, BaseModel

from hoinghi.attendance import selectors, services
from hoinghi.attendance.models import AbsenceReason, CheckInMethod, IncidentKind

router = Router(tags=["attendance"])


# --- Scans ---------------------------------------------------------------------------------------

# The scans' schemas are plain pydantic models, not ninja's `Schema`: that one reads every field of
# every scan through its getter for ORM objects (a validator per scan), which cost a tenth of a
# 200-scan batch's CPU; these carry JSON only.


# An id is a positive 64-bit integer (a bigint on PostgreSQL): a larger one is refused as input
# (422) before the database, which SQLite cannot even be asked about (OverflowError: a 500).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Count = Annotated[int, Field(ge=0, le=1_000_000)]


class ScanIn(BaseModel):
    id: UUID = Field(description="Made by the device once per scan; a retry sends the same id.")
    method: Literal["qr", "search", "block", "undo", "guest"] = Field(
        description="qr: a QR code; search, block: someone this point may check in, by id; undo: "
        "take back someone's presence here; guest: someone from elsewhere without a QR code, by name."
    )
    token: str = Field("", max_length=2000, description="What the QR code held (the token or the link).")
    invitation_id: Id | None = None
    person_id: Id | None = None
    guest_name: str = Field("", max_length=200, description="Method guest: the name as the guest gave it.")
    scanned_at: AwareDatetime = Field(description="The device's clock when scanned, with its offset.")


class ScansIn(BaseModel):
    scans: list[ScanIn] = Field(..., min_length=1, max_length=services.MAX_BATCH)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "scans": [
                        {
                            "id": "6f1c2b1e-4c1a-4a43-9d4e-2f0a7b9f1c01",
                            "method": "qr",
                            "token": "https://hoinghi.example/moi/VPnBOXhv3HkFkJm3iMA3-64YfEQhUnq3/",
                            "scanned_at": "2018-12-06T07:42:10+07:00",
                        },
                        {
                            "id": "6f1c2b1e-4c1a-4a43-9d4e-2f0a7b9f1c02",
                            "method": "search",
                            "person_id": 1,
                            "scanned_at": "2018-12-06T07:43:05+07:00",
                        },
                        {
                            "id": "6f1c2b1e-4c1a-4a43-9d4e-2f0a7b9f1c03",
                            "method": "guest",
                            "guest_name": "Trần Thị Lan",
                            "scanned_at": "2018-12-06T07:44:00+07:00",
                        },
                    ]
                }
            ]
        }
    }


class ScanOut(BaseModel):
    id: UUID
    outcome: str
    reason: str
    person_id: int | None
    person_name: str
    invited_point: str
    is_retry: bool


class ScansOut(BaseModel):
    results: list[ScanOut]
    present: int = Field(description="People present at the point after this batch.")


def _token(scanned: str) -> str:
    """The token of what a QR code held: the personal link ends with /moi/<token>/.

    Cut to the stored length here, so that a retry compares equal to what was stored.
    """
    text = scanned.strip()
    if "/moi/" in text:
        text = text.split("/moi/", 1)[1].split("/", 1)[0].split("?", 1)[0]
    return text[:64]


@router.post(
    "/points/{point_id}/scans",
    response={200: ScansOut},
    summary="Record a batch of scans of a point (live or queued offline)",
)
def scans_record(request: HttpRequest, point_id: int, payload: ScansIn):
    """Idempotent: a scan whose id was stored before returns the stored result and changes
    nothing; the same id with another payload comes back rejected as "replayed"."""
    point = selectors.point_for_checkin(actor=request.user, point_id=point_id)
    scans = [
        services.ScanInput(
            id=scan.id,
            method=scan.method,
            scanned_at=scan.scanned_at,
            token=_token(scan.token) if scan.method == CheckInMethod.QR else "",
            invitation_id=scan.invitation_id,
            person_id=scan.person_id,
            guest_name=scan.guest_name,
        )
        for scan in payload.scans
    ]
    results = services.checkins_record(actor=request.user, point=point, scans=scans)
    return {"results": [result.as_dict() for result in results], "present": results.present}


# --- The roster for the offline cache, and people to find ------------------------------------------


class RosterEntryOut(Schema):
    invitation_id: int
    person_id: int
    full_name: str
    folded_name: str = Field(description="Lower case without diacritics, for search on the device.")
    unit: str
    token_sha256: str = Field(description="SHA-256 (hex) of the invitation token; never the token.")
    present_at: datetime | None


class RosterOut(Schema):
    version: str
    point: str
    present: int
    invited: int
    entries: list[RosterEntryOut]


@router.get(
    "/points/{point_id}/roster",
    response={200: RosterOut, 304: None},
    summary="The point's active invitees, for the check-in page's offline cache",
)
def roster(request: HttpRequest, point_id: int, response: HttpResponse):
    """Answers 304 Not Modified when the If-None-Match header names the current version."""
    point = selectors.point_for_checkin(actor=request.user, point_id=point_id)
    version = selectors.point_roster_version(point=point)
    etag = f'"{version}"'
    if request.headers.get("If-None-Match") == etag:
        not_modified = HttpResponse(status=304)
        not_modified["ETag"] = etag
        return not_modified
    entries = selectors.point_roster(actor=request.user, point=point)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return {
        "version": version,
        "point": point.name,
        "present": selectors.point_present_count(point=point),
        "invited": len(entries),
        "entries": entries,
    }


class PersonFoundOut(Schema):
    person_id: int
    full_name: str
    unit: str
    invitation_id: int | None
    invited_point: str
    is_invited_here: bool
    is_present: bool


@router.get(
    "/points/{point_id}/people",
    response={200: list[PersonFoundOut]},
    summary="Find people by name without diacritics: invitees and people of the units served",
)
def people(request: HttpRequest, point_id: int, q: str = ""):
    point = selectors.point_for_checkin(actor=request.user, point_id=point_id)
    return selectors.people_search(actor=request.user, point=point, q=q)


# --- Presence, headcounts, incidents -------------------------------------------------------------


class PlayerIn(Schema):
    state: Literal["playing", "buffering", "stalled", "paused", "error", "idle"]
    bitrate: int | None = Field(None, ge=0, le=100_000_000, description="Bits/s of the level playing.")
    delay: float | None = Field(None, ge=0, le=3600, description="Seconds behind the encoder (estimate).")


class HeartbeatIn(Schema):
    queued: int = Field(0, ge=0, le=1_000_000, description="Scans the device still holds offline.")
    player: PlayerIn | None = Field(None, description="The page's video player, when it has one.")


class HeartbeatOut(Schema):
    last_seen_at: datetime
    present: int


@router.post(
    "/points/{point_id}/heartbeat",
    response={200: HeartbeatOut},
    summary="An open check-in page says it is alive, with its offline queue length",
)
def heartbeat(request: HttpRequest, point_id: int, payload: HeartbeatIn):
    point = selectors.point_for_checkin(actor=request.user, point_id=point_id)
    playback = (
        services.Playback(
            state=payload.player.state, bitrate=payload.player.bitrate, delay=payload.player.delay
        )
        if payload.player
        else None
    )
    presence = services.point_heartbeat(
        actor=request.user, point=point, queued_scans=payload.queued, playback=playback
    )
    return {"last_seen_at": presence.last_seen_at, "present": selectors.point_present_count(point=point)}


class HeadcountIn(Schema):
    present: int = Field(..., ge=0, le=1_000_000)
    absent: int = Field(0, ge=0, le=1_000_000)
    absent_reasons: dict[AbsenceReason, Count] = Field(
        default_factory=dict, description="Reason code -> number of people."
    )
    note: str = Field("", max_length=500)


class HeadcountOut(Schema):
    id: int
    present: int
    absent: int
    reported_at: datetime


@router.post(
    "/points/{point_id}/headcounts",
    response={201: HeadcountOut},
    summary="Report counts for a room where people are not checked in one by one",
)
def headcount(request: HttpRequest, point_id: int, payload: HeadcountIn):
    point = selectors.point_for_checkin(actor=request.user, point_id=point_id)
    reasons = {str(reason): count for reason, count in payload.absent_reasons.items() if count > 0}
    counted = services.headcount_report(
        actor=request.user,
        point=point,
        present=payload.present,
        absent=payload.absent,
        absent_reasons=reasons,
        note=payload.note,
    )
    return Status(201, counted)


class IncidentIn(Schema):
    kind: Literal[tuple(IncidentKind.values)]  # type: ignore[valid-type]
    note: str = Field("", max_length=500)


class IncidentOut(Schema):
    id: int
    kind: str
    note: str
    opened_at: datetime


@router.post(
    "/points/{point_id}/incidents",
    response={201: IncidentOut},
    summary="Raise an incident at the point (no sound, no picture, link down...)",
)
def incident(request: HttpRequest, point_id: int, payload: IncidentIn):
    point = selectors.point_for_checkin(actor=request.user, point_id=point_id)
    opened = services.incident_open(actor=request.user, point=point, kind=payload.kind, note=payload.note)
    return Status(201, opened)


# --- Self check-in -------------------------------------------------------------------------------


class SelfCheckInIn(Schema):
    id: UUID = Field(description="Made by the device once per tap; a retry sends the same id.")


@router.post(
    "/invitations/{token}/checkin",
    auth=None,
    response={200: ScanOut},
    summary="A participant checks in from their personal page (the token is the credential)",
)
def self_checkin(request: HttpRequest, token: str, payload: SelfCheckInIn):
    """No session, hence no CSRF check (ninja checks CSRF only with session auth): the link's
    token proves who is checking in, and it checks in that person only, at their own point."""
    return services.checkin_self(token=token, scan_id=payload.id).as_dict()
