"""Streaming is imported by no other app: it fills the extension points of the apps below it."""

from hoinghi.attendance.views.checkin import points_to_operate_card
from hoinghi.core import extensions
from hoinghi.streaming import selectors
from hoinghi.streaming.views import pages


def test_the_player_stream_state_and_watched_later_time_land_in_the_places_below():
    assert pages.invitation_player in extensions.parts("conferences.invitation_page")
    assert pages.point_player in extensions.parts("attendance.checkin_page")
    assert ("stream", selectors.stream_summary) in extensions.keyed_parts("attendance.dashboard_snapshot")
    assert selectors.watched_later in extensions.parts("attendance.watched_later")
    assert points_to_operate_card in extensions.parts("orgs.home")  # attendance's, on the landing page
