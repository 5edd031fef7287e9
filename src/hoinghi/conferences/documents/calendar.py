"""An invitation as an iCalendar event (RFC 5545), for "add to calendar" on the invitee's page.

Written here rather than with a library: requirements.lock holds no iCalendar package
(icalendar, ics, vobject), and one event needs only what this module does: text escaping
(backslash, semicolon, comma, newline), folding lines at 75 octets without splitting a UTF-8
character, CRLF line ends, and the time in the conference's own zone (TZID with its VTIMEZONE,
so a phone set to another zone still shows the Hanoi time of the meeting correctly).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

# Without a stated end an event lasts a morning: the 2018 conference ran 08:00 to 11:30.
DEFAULT_LENGTH = timedelta(hours=4)


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime | None
    zone: ZoneInfo
    location: str
    description: str
    url: str
    is_cancelled: bool = False


def escape(text: str) -> str:
    """TEXT as RFC 5545 §3.3.11 writes it."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space (§3.1), cut between characters."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y%m%dT%H%M%S")


def _zone_offset(zone: ZoneInfo, at: datetime) -> str:
    offset = at.astimezone(zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def event_ics(event: CalendarEvent, *, now: datetime) -> bytes:
    """One VEVENT in a VCALENDAR, with the VTIMEZONE its TZID names. The zone's offset at the
    event is written as a fixed standard time: Vietnam has kept +07:00, without daylight saving,
    since 1975; a zone with daylight saving would need its rules here."""
    ends_at = event.ends_at or event.starts_at + DEFAULT_LENGTH
    zone_name = event.zone.key
    offset = _zone_offset(event.zone, event.starts_at)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//hoinghi//Hoi nghi truc tuyen//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VTIMEZONE",
        f"TZID:{zone_name}",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        f"TZOFFSETFROM:{offset}",
        f"TZOFFSETTO:{offset}",
        f"TZNAME:{event.starts_at.astimezone(event.zone).tzname()}",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{now.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;TZID={zone_name}:{_local(event.starts_at, event.zone)}",
        f"DTEND;TZID={zone_name}:{_local(ends_at, event.zone)}",
        f"SUMMARY:{escape(event.title)}",
        f"LOCATION:{escape(event.location)}",
        f"DESCRIPTION:{escape(event.description)}",
        f"URL:{event.url}",
        f"STATUS:{'CANCELLED' if event.is_cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
