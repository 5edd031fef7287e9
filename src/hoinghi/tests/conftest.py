"""Tests of the platform across its apps (the permission table of every declared action, the
production settings, the Content-Security-Policy of every kind of page)."""

# The conference fixtures (small_conference, point_levels) of the conferences app's tests, and
# the attendance app's (issued, ba_dinh_operator) built on them.
from hoinghi.attendance.tests.conftest import *  # noqa: E402, F403
