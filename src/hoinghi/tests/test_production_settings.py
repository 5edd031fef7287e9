"""The production environment documented in docs/operations.md passes Django's deployment check
with no issue at all, and that document's table names every variable settings.py reads.

The check runs in a process of its own, with nothing but that environment: settings are read once
per process, from the environment, exactly as on a server.
"""

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

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
