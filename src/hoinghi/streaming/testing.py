"""A real media server and a real encoder for the tests and the benchmarks: nginx with the RTMP
module on free ports in a folder of its own, configured by `config.render` exactly as
`hoinghi media-config` writes it, and ffmpeg pushing a synthetic test pattern with a clock
burned in. Every wait is bounded."""

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

from hoinghi.attendance.testing import free_port
from hoinghi.streaming import config

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"


class MediaServer:
    """nginx serving RTMP on `rtmp_url` and HLS on `http_url`, calling back `callback_url`."""

    def __init__(self, root: Path, callback_url: str, **options):
        self.rtmp_port, self.http_port = free_port(), free_port()
        self.config = config.MediaConfig(
            root=Path(root),
            rtmp_listen=f"127.0.0.1:{self.rtmp_port}",
            http_listen=f"127.0.0.1:{self.http_port}",
            callback_url=callback_url,
            # Its own folders under the test's temporary folder, which only this user may enter.
            user="root" if os.geteuid() == 0 else "",
            **options,
        )
        self.rtmp_url = f"rtmp://127.0.0.1:{self.rtmp_port}/live"
        self.http_url = f"http://127.0.0.1:{self.http_port}"
        self.process: subprocess.Popen | None = None

    @property
    def root(self) -> Path:
        return self.config.root

    def start(self) -> "MediaServer":
        config.write(self.config)
        config.check(self.config)
        self.process = subprocess.Popen(
            self.config.command("-g", "daemon off;"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.http_url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.process.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("nginx did not answer within 10 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGQUIT)  # graceful: recordings are closed
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)

    def error_log(self) -> str:
        path = self.root / "logs/error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def push(
    url: str,
    *,
    seconds: float,
    size: str = "320x180",
    rate: int = 15,
    bitrate: str = "200k",
    clock: bool = True,
) -> subprocess.Popen:
    """ffmpeg publishing `seconds` of a test pattern and a tone in real time, one keyframe a second,
    with the wall clock (to the second) burned into the picture when `clock` (the benchmark burns
    milliseconds in a machine-readable pattern: benchmarks/_media.py)."""
    filters = []
    if clock and Path(FONT).exists():
        filters = [
            "-vf",
            f"drawtext=fontfile={FONT}:text='%{{localtime\\:%T}}'"
            ":x=8:y=8:fontsize=24:fontcolor=white:box=1:boxcolor=black@0.7",
        ]
    command = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
        "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
        "-t", str(seconds), *filters,
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v", "baseline",
        "-pix_fmt", "yuv420p", "-g", str(rate), "-keyint_min", str(rate), "-sc_threshold", "0",
        "-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate,
        "-c:a", "aac", "-b:a", "32k", "-ar", "44100", "-ac", "1",
        "-f", "flv", url,
    ]  # fmt: skip
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def wait_for(condition, *, timeout: float, every: float = 0.1, what: str = "the condition"):
    """Poll `condition()` until it returns something true, for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    raise AssertionError(f"{what} not reached within {timeout} s")


def end(process: subprocess.Popen, timeout: float = 10) -> int:
    """Wait for a process, killing it past `timeout`; its return code."""
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait(timeout=5)
