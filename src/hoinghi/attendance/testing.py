"""Real server processes for the reliability tests and the live benchmarks.

`Server` starts uvicorn serving hoinghi on a database (`database_url(connection)` names the one
Django is connected to), `running` is the same as a context manager, and `login` signs a user in
through the real form and returns what an API client needs (the session cookie and CSRF header).
`Server.rss()` is the resident memory of the whole process group (uvicorn's supervisor and its
workers), read from /proc.

Not under `tests/`: the benchmarks and `streaming.testing` use it too, and no module outside a
`tests` package imports one.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[3]
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(connection) -> str:
    """DATABASE_URL of the database `connection` (a Django connection) is on."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or "postgres"
    return (
        f"postgres://{user}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _group_processes(group: int):
    """The /proc entries of the live processes of process group `group`."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) == group:
                yield entry.name
        except OSError:
            continue  # gone meanwhile


def _group_cpu_seconds(group: int) -> float:
    total = 0
    for pid in _group_processes(group):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                # Fields after the command's closing parenthesis: utime and stime are the 12th, 13th.
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
    return total / CLOCK_TICKS


class Server:
    """A uvicorn process serving hoinghi on the database Django is connected to."""

    def __init__(self, *, extra_env: dict | None = None, workers: int = 1, log=None):
        from django.db import connection

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            "HOINGHI_BASE_URL": self.url,  # where it is reached, unless the caller says otherwise
            **os.environ,
            "DATABASE_URL": database_url(connection),
            "HOINGHI_TASKS": "immediate",
            "HOINGHI_ALLOWED_HOSTS": "127.0.0.1,localhost",
            **(extra_env or {}),
        }
        self.workers = workers
        self.log = log  # a file for the server's output (its log), or None: the test's own
        self.process: subprocess.Popen | None = None

    def start(self) -> "Server":
        # `hoinghi serve`, as production runs it (proxy headers, keep-alive).
        command = [
            sys.executable,
            "-m",
            "hoinghi.manage",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
            "--workers",
            str(self.workers),
        ]
        self.process = subprocess.Popen(
            command,
            env=self.env,
            cwd=ROOT,
            start_new_session=True,
            stdout=self.log,
            stderr=subprocess.STDOUT if self.log else None,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/tai-khoan/dang-nhap/", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            assert self.process.poll() is None, "the server exited while starting"
            time.sleep(0.2)
        raise AssertionError("the server did not start within 60 s")

    def rss(self) -> int:
        """Bytes resident in the server's process group (the supervisor and every worker)."""
        if self.process is None:
            return 0
        total = 0
        for pid in _group_processes(self.process.pid):
            try:
                with open(f"/proc/{pid}/statm") as statm:
                    total += int(statm.read().split()[1]) * PAGE_SIZE
            except (OSError, ValueError, IndexError):
                continue  # gone meanwhile
        return total

    def cpu_seconds(self) -> float:
        """CPU time (user + system) spent so far by the server's live processes, from /proc."""
        return _group_cpu_seconds(self.process.pid) if self.process else 0.0

    def kill(self) -> None:
        """SIGKILL the whole process group: no clean shutdown, in-flight requests die."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def running(**options):
    server = Server(**options).start()
    try:
        yield server
    finally:
        server.stop()


def login(base_url: str, username: str, password: str) -> dict:
    """Log in through the real form; return the cookies and the CSRF header the API needs."""
    with httpx.Client(base_url=base_url, timeout=10) as client:
        page = client.get("/tai-khoan/dang-nhap/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = client.post(
            "/tai-khoan/dang-nhap/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{base_url}/tai-khoan/dang-nhap/"},
        )
        assert response.status_code in (302, 303), response.text[:300]
        cookies = dict(client.cookies)
    return {"cookies": cookies, "headers": {"X-CSRFToken": cookies["csrftoken"], "Referer": base_url}}
