"""The production environment documented in docs/operations.md passes Django's deployment check
with no issue at all; that document's table names every variable settings.py reads; behind the
proxy, plain HTTP is redirected (but for nginx-rtmp's callbacks) and HTTPS is pinned.

The check runs in a process of its own, with nothing but that environment: settings are read once
per process, from the environment, exactly as on a server.
"""

import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
OPERATIONS = ROOT / "docs" / "operations.md"
SETTINGS = ROOT / "src" / "hoinghi" / "settings.py"


def _section(heading: str) -> str:
    """The text under `heading` in docs/operations.md, up to the next heading."""
    text = OPERATIONS.read_text(encoding="utf-8")
    body = text[text.index(f"\n{heading}\n") + len(heading) + 2 :]
    following = re.search(r"\n#{2,3} [A-Z]", body)  # not a shell comment in a code block
    return body[: following.start()] if following else body


def documented_environment() -> dict[str, str]:
    """The ```sh block of "The production environment", its `<...>` secrets filled in."""
    block = re.search(r"```sh\n(.*?)```", _section("### The production environment"), re.S).group(1)
    environment = {}
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, value = line.split("=", 1)
        if re.fullmatch(r"<[^>]*>", value):  # a secret the document leaves to the reader
            environment[name] = secrets.token_urlsafe(64)[:50]
        else:
            (environment[name],) = shlex.split(value)  # as the shell reads it: quotes removed
    return environment


def run_check(environment: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT / "src"),
        **environment,
        "HOINGHI_VAR_DIR": str(tmp_path),  # not /var/lib/hoinghi, nor the project's var/
    }
    return subprocess.run(
        [sys.executable, "-m", "hoinghi.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_environment_passes_the_deployment_check(tmp_path):
    environment = documented_environment()
    assert environment["HOINGHI_DEBUG"] == "0"
    assert len(environment["HOINGHI_SECRET_KEY"]) == 50

    result = run_check(environment, tmp_path)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert result.stderr == ""


def test_without_an_smtp_server_the_check_says_mail_would_not_leave(tmp_path):
    """The demo's file backend in production "sends" every invitation into var/mail (mail.E001)."""
    environment = documented_environment()
    del environment["HOINGHI_EMAIL_HOST"]

    result = run_check(environment, tmp_path)

    assert result.returncode == 1
    assert re.findall(r"\((\w+\.\w+)\)", result.stderr) == ["mail.E001"]


def test_the_demo_environment_is_not_mistaken_for_production(tmp_path):
    """Plain HTTP on 127.0.0.1: the check lists what production must turn on."""
    result = run_check({"HOINGHI_SECRET_KEY": secrets.token_urlsafe(64)[:50]}, tmp_path)

    issues = set(re.findall(r"\((\w+\.\w+)\)", result.stderr))
    assert issues == {"mail.E001", "security.W004", "security.W008", "security.W012", "security.W016"}


# --- The document names every variable, and only those -------------------------------------------


def variables_read_by_settings() -> set[str]:
    return set(re.findall(r"\"((?:HOINGHI_[A-Z_]+)|DATABASE_URL|REDIS_URL)\"", SETTINGS.read_text()))


def test_the_operations_table_names_every_variable_settings_read():
    table = _section("### Every setting")
    documented = {
        name
        for row in table.splitlines()
        if row.startswith("| `")
        for name in re.findall(r"`([A-Z_]+)`", row.split(" | ")[0])
    }
    assert documented == variables_read_by_settings()


def test_the_production_environment_sets_only_variables_settings_read():
    """A misspelt name (HOINGHI_HSTS_SECOND) would be ignored without a word."""
    assert set(documented_environment()) <= variables_read_by_settings()


# --- What the environment turns on ---------------------------------------------------------------


def settings_under(environment: dict[str, str], tmp_path: Path, *names: str) -> dict:
    """The values of settings `names` in a process started with `environment`."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {list(names)!r}}}))"
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "hoinghi.settings",
        **environment,
        "HOINGHI_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout)


def test_behind_the_proxy_https_is_what_the_proxy_says(tmp_path):
    production = settings_under(
        documented_environment(), tmp_path, "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", "SECURE_CSP"
    )
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert production["SECURE_SSL_REDIRECT"] is True
    assert "wss://hoinghi.congdoan.vn" in production["SECURE_CSP"]["connect-src"]

    without_proxy = {k: v for k, v in documented_environment().items() if k != "HOINGHI_TRUSTED_PROXIES"}
    # Nobody in front: a client reaching the server could claim HTTPS with the header.
    assert settings_under(without_proxy, tmp_path, "SECURE_PROXY_SSL_HEADER") == {
        "SECURE_PROXY_SSL_HEADER": None
    }


@pytest.fixture
def https_behind_proxy(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


def test_plain_http_is_redirected_and_https_is_pinned(client, db, https_behind_proxy):
    plain = client.get("/tai-khoan/dang-nhap/")
    assert (plain.status_code, plain["Location"]) == (301, "https://testserver/tai-khoan/dang-nhap/")

    secure = client.get("/tai-khoan/dang-nhap/", headers={"x-forwarded-proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_nginx_callbacks_over_plain_http_are_not_redirected(client, db, https_behind_proxy):
    """nginx-rtmp would take a redirect of on_publish for "publish under another name"."""
    from hoinghi.streaming.signing import hook_secret

    response = client.post(f"/truyen-hinh/hooks/{hook_secret()}/publish/", {"name": "x", "key": "y"})
    assert response.status_code == 403  # refused by hoinghi itself: an unknown stream
