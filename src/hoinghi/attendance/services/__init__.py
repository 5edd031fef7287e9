"""Writes of the live morning: check-in, presence heartbeats, headcounts, incidents, questions."""

from hoinghi.attendance.services.checkin import (  # noqa: F401
    MAKES_PRESENT,
    MAX_BATCH,
    OPEN_STAGES,
    SCAN_TIME_EARLIEST,
    SCAN_TIME_LATEST,
    SELF_CHECKIN_OPENS_BEFORE,
    ScanInput,
    ScanResult,
    checkin_self,
    checkins_record,
    scan_time,
    self_checkin_window,
)
from hoinghi.attendance.services.inserts import INSERT_ROWS  # noqa: F401
from hoinghi.attendance.services.presence import (  # noqa: F401
    HEARTBEAT_WRITE_EVERY,
    PLAYBACK_STATES,
    STALLED_INCIDENT_AFTER,
    Playback,
    headcount_report,
    incident_close,
    incident_open,
    incident_system_close,
    incident_system_open,
    point_heartbeat,
)
from hoinghi.attendance.services.questions import (  # noqa: F401
    question_ask,
    question_item_move,
    question_moderate,
)
