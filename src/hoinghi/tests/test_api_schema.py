"""The JSON API against its own OpenAPI description: Schemathesis, through a real server.

A uvicorn process (`attendance.testing.Server`) serves hoinghi on the test database; Schemathesis
(its command line, as one would run it by hand) reads `/api/openapi.json` and sends every
operation the schema's examples, the boundaries of each field (huge numbers, empty and odd text,
wrong types) and random cases, signed in as a bridge point's operator and as a national
organiser, and checks that no answer is a 500 (`not_a_server_error`). Half the path and id values
are drawn from what exists (the operator's point, the conference, an invitee's token, people of
this province and of another), so that bodies reach the services, not only the 404.

Time-boxed: a fixed seed and a few examples per operation; the whole test takes under a minute.
A failure prints Schemathesis' report, with a curl command that reproduces each 500.
"""

import json
import subprocess
import sys

import pytest

from hoinghi.attendance.testing import login, running
from hoinghi.attendance.tests.conftest import *  # noqa: F403 (the fixtures issued, ba_dinh_operator)
from hoinghi.conferences.models import Invitation
from hoinghi.core.permissions import GrantRole

PASSWORD = "mat-khau-kiem-thu-api"
MAX_EXAMPLES = 6  # per operation and phase
SEED = 16


def _toml(value) -> str:
    """A TOML value: JSON's strings, numbers and arrays are TOML too."""
    return json.dumps(value, ensure_ascii=False)


def _config(credentials: dict, real: dict[str, list]) -> str:
    """A schemathesis.toml: the session's cookie and CSRF header on every request, and a
    dictionary of real values for each parameter, drawn half the time."""
    cookie = "; ".join(f"{name}={value}" for name, value in credentials["cookies"].items())
    headers = {"Cookie": cookie, **credentials["headers"]}
    lines = ["headers = { " + ", ".join(f"{_toml(k)} = {_toml(v)}" for k, v in headers.items()) + " }", ""]
    for name, values in real.items():
        lines += [
            f"[dictionaries.{name.replace('.', '_').replace('[*]', '')}]",
            f"values = {_toml(values)}",
            "",
        ]
    lines.append("[parameters]")
    for name in real:
        dictionary = name.replace(".", "_").replace("[*]", "")
        lines.append(f'"{name}" = {{ dictionary = "{dictionary}", probability = 0.5 }}')
    return "\n".join(lines) + "\n"


def _schemathesis(server_url: str, config: str, tmp_path, who: str) -> subprocess.CompletedProcess:
    config_file = tmp_path / f"schemathesis-{who}.toml"
    config_file.write_text(config)
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config_file),
        "--no-color",
        "run",
        f"{server_url}/api/openapi.json",
        "--checks",
        "not_a_server_error",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--request-timeout",
        "10",
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_every_operation_documents_the_refusals_it_may_answer(client, db):
    """The 400s (and 401, 403, 404, 422) were missing from the description: a client could not
    know them, and Schemathesis took them for undocumented answers."""
    document = client.get("/api/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorOut"}
    assert set(document["components"]["schemas"]["ErrorOut"]["properties"]) == {"code", "message", "params"}
    operations = [
        (method.upper(), path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) >= 10
    for method, path, operation in operations:
        expected = {"400", "404", "422"}
        if operation.get("security"):
            expected |= {"401", "403"}
        for status in expected:
            answer = operation["responses"].get(status)
            assert answer, f"{method} {path} does not document {status}"
            assert answer["content"]["application/json"]["schema"] == error, f"{method} {path} {status}"
    # The self check-in takes the token as its credential: no session, so no 401.
    assert "401" not in document["paths"]["/api/invitations/{token}/checkin"]["post"]["responses"]


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_as_an_operator_or_an_organiser(
    issued, ba_dinh_operator, make_user, small_tree, tmp_path
):
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    invitations = Invitation.objects.filter(conference=issued.conference).order_by("pk")
    real = {
        "path.point_id": [issued.ba_dinh_point.pk, issued.hcm_point.pk],
        "path.conference_id": [issued.conference.pk],
        "path.token": [invitations.first().token],
        "body.scans[*].person_id": [issued.people["HN-BD"].pk, issued.people["HCM"].pk],
        "body.scans[*].invitation_id": list(invitations.values_list("pk", flat=True)[:3]),
    }
    with running() as server:
        for who, user in (("operator", ba_dinh_operator), ("organiser", organiser)):
            user.set_password(PASSWORD)
            user.save()
            credentials = login(server.url, user.username, PASSWORD)
            result = _schemathesis(server.url, _config(credentials, real), tmp_path, who)
            assert result.returncode == 0, f"as the {who}:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
