"""What the live views hear about, sent only after the transaction that caused it commits.

Services never talk to dashboards directly: they mark the conference as changed on commit, and
`attendance.live` turns any number of changes within a second into one snapshot per audience
(DESIGN.md: "a burst of 1,000 check-ins costs one aggregate query and one message per dashboard").
"""

from datetime import timedelta

from django.db import transaction

# A point whose page has not beaten for this long is shown as silent.
ONLINE_WITHIN = timedelta(seconds=45)

ATTENDANCE = "attendance"
PRESENCE = "presence"
INCIDENTS = "incidents"
QUESTIONS = "questions"


def _on_commit(conference_id: int, topic: str) -> None:
    from hoinghi.attendance import live

    transaction.on_commit(lambda: live.conference_changed(conference_id, topic))


def attendance_changed_on_commit(conference_id: int) -> None:
    _on_commit(conference_id, ATTENDANCE)


def presence_changed_on_commit(conference_id: int) -> None:
    _on_commit(conference_id, PRESENCE)


def incidents_changed_on_commit(conference_id: int) -> None:
    _on_commit(conference_id, INCIDENTS)


def questions_changed_on_commit(conference_id: int) -> None:
    _on_commit(conference_id, QUESTIONS)


def stream_changed_on_commit(conference_id: int) -> None:
    _on_commit(conference_id, "stream")
