"""What the live layer hears from learning reports (core.live): one topic per conference, bumped
on commit by every submission, allocation, marking, return and release."""


def topic(conference_id: int) -> str:
    """The live layer's topic of a conference's reports."""
    return f"learning_reports.{conference_id}"
