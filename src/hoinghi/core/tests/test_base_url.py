"""Links that leave the site follow where it is served (issue: the port of QR codes and e-mails)."""

import logging
import subprocess
from pathlib import Path

import pytest

from hoinghi.core.middleware import BaseUrlCheckMiddleware

ROOT = Path(__file__).resolve().parents[4]


def test_make_demo_sets_the_base_url_from_the_port():
    plan = subprocess.run(
        ["make", "-n", "demo", "PORT=8123", "BIN=/nonexistent"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert "HOINGHI_BASE_URL=${HOINGHI_BASE_URL:-http://127.0.0.1:8123}" in plan
    assert "serve --host 127.0.0.1 --port 8123" in plan


@pytest.mark.parametrize(("host", "warned"), [("127.0.0.1:8123", True), ("127.0.0.1:8000", False)])
def test_the_server_warns_once_when_reached_elsewhere_than_the_base_url(rf, settings, caplog, host, warned):
    settings.HOINGHI_BASE_URL = "http://127.0.0.1:8000"
    middleware = BaseUrlCheckMiddleware(lambda request: "ok")
    with caplog.at_level(logging.WARNING, logger="hoinghi.core.middleware"):
        for _ in range(3):
            assert middleware(rf.get("/", HTTP_HOST=host)) == "ok"
    warnings = [r for r in caplog.records if "HOINGHI_BASE_URL" in r.getMessage()]
    assert len(warnings) == (1 if warned else 0)
