"""What the live views hear about, published only after the transaction that caused it commits.

Services never talk to dashboards directly: they publish the conference's topic on commit, and
the live layer (`core.live`) turns any number of changes within a second into one snapshot per
audience (DESIGN.md: "a burst of 1,000 check-ins costs one aggregate query and one message per
dashboard"). The functions name what changed, for the reader of a service; every one of them
but the questions' refreshes the whole dashboard, whose snapshot shows all of it; questions
refresh the presiding board and the moderators' page (`questions_topic`).
"""

from datetime import timedelta

from hoinghi.core import live

# A point whose page has not beaten for this long is shown as silent.
ONLINE_WITHIN = timedelta(seconds=45)


def topic(conference_id: int) -> str:
    """The topic the live dashboard of a conference follows."""
    return f"attendance.{conference_id}"


def questions_topic(conference_id: int) -> str:
    """The topic the presiding board and the moderators' page of a conference follow
    (`questions.LIVE_VIEW`): the dashboard shows no question, so questions do not refresh it."""
    return f"attendance.questions.{conference_id}"


def attendance_changed_on_commit(conference_id: int) -> None:
    live.publish_on_commit(topic(conference_id))


def presence_changed_on_commit(conference_id: int) -> None:
    live.publish_on_commit(topic(conference_id))


def incidents_changed_on_commit(conference_id: int) -> None:
    live.publish_on_commit(topic(conference_id))


def questions_changed_on_commit(conference_id: int) -> None:
    live.publish_on_commit(questions_topic(conference_id))


def stream_changed_on_commit(conference_id: int) -> None:
    live.publish_on_commit(topic(conference_id))
