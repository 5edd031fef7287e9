"""WebSocket consumers of the live views: they authenticate, authorise, join groups and relay.

`DashboardConsumer` serves /ws/truc-tiep/<conference_id>/: a signed-in user who can see the
conference joins the channel group of their audience (`dashboard.Audience`), gets a fresh
snapshot at once and then whatever the broadcaster sends to the group, at most twice a second.
`BoardConsumer` (/ws/chu-toa/<conference_id>/) and `ModerationConsumer` (/ws/cau-hoi/<id>/) do
the same for the questions from the floor (`questions.LIVE_VIEW`), for who may watch the
presiding board and who moderates; `OverviewConsumer` (/ws/cau-hoi-xem/<id>/) for the leaders'
read-only page of the questions (who may watch the board). Anyone else gets the refusal as the
API writes it (`{"type": "error", "code", "message", "params"}`) and is closed with 4403.
Everything but the authorisation is the live layer's (`core.live.consumers.LiveConsumer`).
"""

from django.utils.translation import gettext as _

from hoinghi.attendance import questions
from hoinghi.attendance.dashboard import audience_for
from hoinghi.conferences.selectors import conference_get
from hoinghi.core.errors import NotFoundError, PermissionCode
from hoinghi.core.live.consumers import LiveConsumer


def _subscription(user, conference_id: int):
    """(conference, audience) for a user allowed to watch; raises `NotFoundError` for anyone else."""
    if not getattr(user, "is_authenticated", False):
        raise NotFoundError(_("Cần đăng nhập để xem bảng theo dõi."), code=PermissionCode.NOT_FOUND)
    conference = conference_get(actor=user, pk=conference_id)
    audience = audience_for(actor=user, conference=conference)
    return conference, audience


class DashboardConsumer(LiveConsumer):
    view = "attendance.dashboard"

    def authorise(self, user, *, conference_id):
        return _subscription(user, int(conference_id))


class BoardConsumer(LiveConsumer):
    view = "attendance.questions"

    def authorise(self, user, *, conference_id):
        conference = questions.conference_for_board(actor=user, pk=int(conference_id))
        return conference, questions.QuestionsAudience("board")


class ModerationConsumer(LiveConsumer):
    view = "attendance.questions"

    def authorise(self, user, *, conference_id):
        conference = questions.conference_for_moderation(actor=user, pk=int(conference_id))
        return conference, questions.QuestionsAudience("moderation")


class OverviewConsumer(LiveConsumer):
    view = "attendance.questions"

    def authorise(self, user, *, conference_id):
        conference = questions.conference_for_board(actor=user, pk=int(conference_id))
        return conference, questions.QuestionsAudience("overview")
