"""The session's user, read back on every request by the compiled query of accounts.backends."""

import pytest
from django.test import Client

from hoinghi.accounts.backends import ModelBackend
from hoinghi.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_of_a_session_is_the_stored_one_whole():
    user = UserFactory(username="to-chuc", first_name="Lan", must_change_password=False)

    found = ModelBackend().get_user(str(user.pk))  # a session keeps the id as text

    assert found == user
    assert (found.username, found.first_name, found.is_active) == ("to-chuc", "Lan", True)
    assert found.date_joined == user.date_joined


@pytest.mark.parametrize("user_id", ["khong-phai-so", "", str(2**70), "999999"])
def test_an_id_that_names_no_user_gives_no_user(user_id):
    assert ModelBackend().get_user(user_id) is None


def test_a_deactivated_account_is_signed_out_on_its_next_request():
    user = UserFactory(username="da-nghi", must_change_password=False)
    client = Client()
    client.force_login(user)
    assert client.get("/").wsgi_request.user == user

    user.is_active = False
    user.save(update_fields=["is_active"])

    assert ModelBackend().get_user(str(user.pk)) is None
    assert not client.get("/").wsgi_request.user.is_authenticated
