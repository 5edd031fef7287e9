import pytest
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


@pytest.mark.django_db(transaction=True)
def test_a_forged_forwarded_address_does_not_get_past_the_lockout(settings):
    """`hoinghi serve` believes X-Forwarded-For from no one by default, and a username locks
    whatever address the attempts claim to come from."""
    import os
    import re
    import socket
    import subprocess
    import sys
    import time

    import httpx
    from django.db import connection

    UserFactory(username="bantochuc")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    name = connection.settings_dict["NAME"]
    database = (
        f"sqlite:///{name}" if connection.vendor == "sqlite" else f"postgres://postgres@127.0.0.1:5432/{name}"
    )
    env = {**os.environ, "DATABASE_URL": database, "HOINGHI_ALLOWED_HOSTS": "127.0.0.1"}
    env.pop("HOINGHI_TRUSTED_PROXIES", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "hoinghi.manage", "serve", "--port", str(port), "--log-level", "warning"],
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/tai-khoan/dang-nhap/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)

        def attempt(password: str, forged: str) -> int:
            with httpx.Client(base_url=base, timeout=10) as client:
                page = client.get("/tai-khoan/dang-nhap/")
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
                return client.post(
                    "/tai-khoan/dang-nhap/",
                    data={"username": "bantochuc", "password": password, "csrfmiddlewaretoken": token},
                    headers={"X-Forwarded-For": forged, "Referer": f"{base}/tai-khoan/dang-nhap/"},
                ).status_code

        assert attempt("sai", "203.0.113.1") == 200  # refused, in Vietnamese, not locked yet
        for n in range(1, settings.AXES_FAILURE_LIMIT):
            attempt("sai", f"203.0.113.{n + 1}")
        assert attempt(PASSWORD, "198.51.100.7") == 429
    finally:
        server.terminate()
        server.wait(timeout=10)
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
