"""Tests of the platform across its apps (the permission table of every declared action)."""

# The conference fixtures (small_conference, point_levels) of the conferences app's tests.
from hoinghi.conferences.tests.conftest import *  # noqa: E402, F403
