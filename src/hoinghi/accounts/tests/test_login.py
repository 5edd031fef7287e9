from django.urls import reverse

from hoinghi.accounts.tests.factories import UserFactory

PASSWORD = "mat-khau-thu-nghiem"


def test_staff_log_in_with_a_password(client, db):
    UserFactory(username="bantochuc")
    response = client.post(reverse("accounts:login"), {"username": "bantochuc", "password": PASSWORD})
    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


def test_wrong_password_is_refused_in_vietnamese(client, db):
    UserFactory(username="bantochuc")
    response = client.post(reverse("accounts:login"), {"username": "bantochuc", "password": "sai"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "không đúng" in response.content.decode()


def test_repeated_failures_lock_the_login_even_with_the_right_password(client, db, settings):
    UserFactory(username="bantochuc")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "bantochuc", "password": "sai"})
    response = client.post(reverse("accounts:login"), {"username": "bantochuc", "password": PASSWORD})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_a_lock_on_one_username_leaves_others_alone(client, db, settings):
    UserFactory(username="bantochuc")
    UserFactory(username="hanoi")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "bantochuc", "password": "sai"})
    response = client.post(reverse("accounts:login"), {"username": "hanoi", "password": PASSWORD})
    assert response.status_code == 302
