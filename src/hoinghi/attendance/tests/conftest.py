import pytest

from hoinghi.conferences import services as conferences

# The conference fixtures (small_conference, point_levels) are shared with the conferences app's tests.
from hoinghi.conferences.tests.conftest import *  # noqa: E402, F403


@pytest.fixture
def issued(small_conference, superuser):
    """The small conference with invitations issued and an operator on the Ba Đình point."""
    conferences.conference_issue(actor=superuser, conference=small_conference.conference)
    small_conference.conference.refresh_from_db()
    return small_conference


@pytest.fixture
def ba_dinh_operator(issued, make_user, superuser):
    user = make_user()
    conferences.point_operator_add(actor=superuser, point=issued.ba_dinh_point, user=user)
    return user
