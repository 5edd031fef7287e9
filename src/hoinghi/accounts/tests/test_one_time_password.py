"""Accounts made with a one-time password: their owner must choose their own before anything else
(issue 17, item 1)."""

import pytest
from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm
from django.urls import reverse

from hoinghi.accounts import services
from hoinghi.accounts.errors import AccountError, AccountErrorCode
from hoinghi.accounts.models import User
from hoinghi.accounts.services import ONE_TIME_ALPHABET, ONE_TIME_LENGTH, ONE_TIME_ROUNDS, NewUser
from hoinghi.accounts.tests.factories import UserFactory
from hoinghi.core.models import AuditEntry

NEW_PASSWORD = "Diem-cau-Ba-Dinh-2018"


@pytest.fixture
def organiser(db):
    return UserFactory(username="bantochuc")


def test_accounts_are_made_with_a_one_time_password_and_nothing_else(organiser):
    [(user, password)] = services.users_create(
        actor=organiser,
        new_users=[NewUser("dc-1-hn-bd", full_name="Kỹ thuật Ba Đình", email="bd@cd.vn", phone="0912")],
    )
    user.refresh_from_db()
    assert len(password) == ONE_TIME_LENGTH and set(password) <= set(ONE_TIME_ALPHABET)
    assert user.check_password(password)
    assert (user.must_change_password, user.created_by, user.email, user.phone) == (
        True,
        organiser,
        "bd@cd.vn",
        "0912",
    )
    assert not (user.is_staff or user.is_superuser or user.grants.exists() or user.operated_points.exists())
    assert AuditEntry.objects.filter(type="accounts.user.created", actor=organiser).count() == 1


def test_a_taken_or_repeated_username_refuses_the_whole_batch(organiser):
    UserFactory(username="dc-1-hn-bd")
    for names in (["dc-1-new", "dc-1-hn-bd"], ["dc-1-twice", "dc-1-twice"]):
        with pytest.raises(AccountError) as error:
            services.users_create(actor=organiser, new_users=[NewUser(name) for name in names])
        assert error.value.code == AccountErrorCode.USERNAME_TAKEN
    assert not User.objects.filter(username__in=["dc-1-new", "dc-1-twice"]).exists()


def test_one_time_passwords_are_hashed_with_fewer_rounds_and_rehashed_at_first_login(
    organiser, settings, client
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()
    try:
        [(user, password)] = services.users_create(actor=organiser, new_users=[NewUser("dc-1-pbkdf2")])
        user.refresh_from_db()
        assert user.password.startswith(f"pbkdf2_sha256${ONE_TIME_ROUNDS}$")
        response = client.post(reverse("accounts:login"), {"username": "dc-1-pbkdf2", "password": password})
        assert response.status_code == 302
        user.refresh_from_db()
        assert not user.password.startswith(f"pbkdf2_sha256${ONE_TIME_ROUNDS}$")  # Django's full cost now
    finally:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        get_hashers.cache_clear()
        get_hashers_by_algorithm.cache_clear()


def test_until_the_password_is_changed_every_page_leads_to_the_password_change_page(organiser, client):
    [(user, password)] = services.users_create(actor=organiser, new_users=[NewUser("dc-1-hn-bd")])
    response = client.post(
        reverse("accounts:login"), {"username": "dc-1-hn-bd", "password": password, "next": "/hoi-nghi/"}
    )
    assert response["Location"] == "/hoi-nghi/"
    change = reverse("accounts:password_change")
    response = client.get("/hoi-nghi/")
    assert (response.status_code, response["Location"]) == (302, f"{change}?next=%2Fhoi-nghi%2F")
    response = client.post(reverse("conferences:create"), {"title": "x"})
    assert (response.status_code, response["Location"]) == (302, change)
    response = client.get("/api/points/1/roster")
    assert (response.status_code, response.json()["code"]) == (403, AccountErrorCode.PASSWORD_CHANGE_REQUIRED)
    page = client.get(f"{change}?next=/hoi-nghi/")
    assert page.status_code == 200 and 'id="must-change"' in page.content.decode()

    # A wrong current password, or mismatched new ones, keep them there.
    response = client.post(
        change, {"old_password": "sai", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 200 and "Mật khẩu hiện tại không đúng" in response.content.decode()
    assert client.get("/hoi-nghi/").status_code == 302

    response = client.post(
        change,
        {
            "old_password": password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "next": "/hoi-nghi/",
        },
    )
    assert (response.status_code, response["Location"]) == (302, "/hoi-nghi/")
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(NEW_PASSWORD)
    assert client.get("/hoi-nghi/").status_code == 200  # still signed in, and free to go on
    assert AuditEntry.objects.filter(type="accounts.user.password_changed", actor=user).exists()


def test_logging_out_stays_open_and_ordinary_accounts_are_not_held(organiser, client):
    [(user, _password)] = services.users_create(actor=organiser, new_users=[NewUser("dc-1-hn-bd")])
    client.force_login(user)
    assert client.post(reverse("accounts:logout")).status_code == 302
    client.force_login(organiser)
    assert client.get("/hoi-nghi/").status_code == 200


def test_a_new_one_time_password_replaces_the_old_one(organiser):
    [(user, first)] = services.users_create(actor=organiser, new_users=[NewUser("dc-1-hn-bd")])
    services.user_password_change(user=user, password=NEW_PASSWORD)
    second = services.user_one_time_password_set(actor=organiser, user=user)
    user.refresh_from_db()
    assert second != first and user.check_password(second) and user.must_change_password
