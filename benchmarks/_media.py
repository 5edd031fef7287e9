"""What the live-video benchmark needs besides `streaming.testing`: a small live conference, an
encoder that burns the wall clock into the picture as a pattern a page can read, pre-encoded
files pushed or looped with `-c copy` (the encoder then costs nothing), the page that plays the
stream with the project's player and reads that clock, and CPU time of a process from /proc.

The clock pattern: the low 20 bits of the wall clock in milliseconds at the moment the frame
leaves the filter graph, as 20 cells of 64x32 pixels across the top of the picture (white is 1,
most significant first), with the complement in a second row of cells below as a check. It is
drawn on a 20x2 image by `geq` and scaled up without smoothing, so it costs nothing to encode.
2^20 ms is 17 minutes: a delay is read unambiguously as long as it is shorter than that.
"""

import os
import signal
import subprocess
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CLOCK_BITS = 20
CLOCK_CELL = (64, 32)  # width, height of one cell in the picture (1280 wide: 20 cells)
TICK = os.sysconf("SC_CLK_TCK")

# Frames take the wall clock (ms) as their timestamp, the 20x2 corner is drawn from it, then the
# timestamps are made regular again for the encoder.
CLOCK_FILTER = (
    "[0:v]settb=1/1000,setpts='floor(time(0)*1000)',split[picture][corner];"
    "[corner]crop=20:2:0:0,"
    "geq=lum='if(mod(floor(floor(T*1000+0.5)/pow(2,19-X)),2),if(Y,16,235),if(Y,235,16))':cb=128:cr=128,"
    "scale=1280:64:flags=neighbor[clock];"
    "[picture][clock]overlay=0:0,setpts='N/FRAME_RATE/TB'[video]"
)

H264 = [
    "-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "baseline", "-pix_fmt", "yuv420p",
    "-sc_threshold", "0",
]  # fmt: skip
AAC = ["-c:a", "aac", "-b:a", "96k", "-ar", "44100", "-ac", "1"]


@dataclass
class Live:
    conference: object
    stream: object
    key: object


def conference_live() -> Live:
    """A live conference with its stream and current key (made once per database)."""
    from django.utils import timezone

    from hoinghi.conferences.models import Conference, ConferenceStatus
    from hoinghi.orgs.models import Unit
    from hoinghi.orgs.tests.factories import UnitFactory
    from hoinghi.streaming import services

    title = "Hội nghị đo truyền hình trực tiếp"
    conference = Conference.objects.filter(title=title).first()
    if conference is None:
        unit = Unit.objects.filter(code="BENCH-TRUYEN-HINH").first() or UnitFactory(
            code="BENCH-TRUYEN-HINH", name="Đơn vị đo truyền hình"
        )
        conference = Conference.objects.create(
            title=title, starts_at=timezone.now(), organising_unit=unit, status=ConferenceStatus.LIVE
        )
    stream = services.stream_ensure(conference=conference)
    return Live(conference, stream, services.current_key(stream))


def programme_over_hour(conference, started, seconds: float = 3600) -> list[str]:
    """The conference's programme replaced by an opening (from before the recording) and five
    topics splitting the rest of the hour; the titles."""
    from hoinghi.conferences.models import ProgrammeItem

    ProgrammeItem.objects.filter(conference=conference).delete()
    opening = min(300.0, seconds / 6)  # 5 minutes of an hour
    opening_end = started + timedelta(seconds=opening)
    topic = (seconds - opening) / 5
    items = [("opening", "Khai mạc", started - timedelta(minutes=10), opening_end)]
    for number in range(5):
        begin = opening_end + timedelta(seconds=number * topic)
        end = begin + timedelta(seconds=topic) if number < 4 else None  # the last runs to the end
        items.append(("topic", f"Chuyên đề {number + 1}", begin, end))
    for order, (kind, title, begin, end) in enumerate(items, start=1):
        ProgrammeItem.objects.create(
            conference=conference, order=order, kind=kind, title=title, planned_start=begin, planned_end=end
        )
    return [title for _kind, title, _begin, _end in items]


def _ffmpeg(*arguments: str) -> list[str]:
    return ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", *arguments]


def _start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def push_clock(
    url: str, *, seconds: float, size: str = "1280x720", rate: int = 25, bitrate: str = "2000k"
) -> subprocess.Popen:
    """A live encoder (x264 ultrafast, zerolatency, one keyframe a second) of a test pattern with
    the clock pattern burned in, publishing in real time."""
    return _start(
        _ffmpeg(
            "-re", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-t", str(seconds), "-filter_complex", CLOCK_FILTER, "-map", "[video]", "-map", "1:a",
            *H264, "-tune", "zerolatency", "-g", str(rate), "-keyint_min", str(rate),
            "-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate, *AAC,
            "-f", "flv", url,
        )
    )  # fmt: skip


def encode_clip(
    target: Path, *, seconds: int, size: str = "1280x720", rate: int = 25, bitrate: str = "2000k"
) -> None:
    """A clip as the host's encoder would send it (one keyframe a second), encoded ahead of time."""
    subprocess.run(
        _ffmpeg(
            "-y", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", str(seconds),
            *H264, "-g", str(rate), "-keyint_min", str(rate),
            "-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate, *AAC, "-f", "flv", str(target),
        ),
        check=True,
        timeout=300,
    )  # fmt: skip


def push_loop(url: str, clip: Path) -> subprocess.Popen:
    """The clip published in real time, looped until stopped, copied (no encoding)."""
    return _start(_ffmpeg("-re", "-stream_loop", "-1", "-i", str(clip), "-c", "copy", "-f", "flv", url))


def loop_into(clip: Path, target: Path, *, seconds: int) -> None:
    """`seconds` of the clip looped into one FLV, copied: a recording as nginx writes one (no
    duration or size in its header: nginx copies the live metadata, where they are 0)."""
    loops = int(seconds // 10) + 1  # enough for a clip of 10 s or more
    subprocess.run(
        _ffmpeg("-y", "-stream_loop", str(loops), "-i", str(clip), "-c", "copy", "-t", str(seconds),
                "-flvflags", "no_duration_filesize", "-f", "flv", str(target)),
        check=True,
        timeout=600,
    )  # fmt: skip


def stop(process: subprocess.Popen, timeout: float = 10) -> int:
    """Ask an ffmpeg to finish (SIGINT: it closes its output), kill it past `timeout`."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGINT)
        except ProcessLookupError:
            pass
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait(timeout=5)


def children(pid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (not its children), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15)


def load_1min() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def mib(path: Path) -> float:
    return round(path.stat().st_size / 1024 / 1024, 1)


def wait_until(condition, *, timeout: float, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    return None


PLAYER_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>đo độ trễ</title></head>
<body>
<div class="player" data-player data-kind="live" data-src="{src}" data-state="idle">
  <video muted playsinline width="640" height="360"></video>
  <p data-player-state></p>
  <p class="player-now" hidden>Đang diễn ra: <strong data-player-now></strong></p>
</div>
<script src="/vendor/hlsjs/hls.min.js"></script>
<script src="/streaming/player.js"></script>
<script>
(function () {{
  const BITS = {bits}, CELL_W = {cell_w}, CELL_H = {cell_h}, MODULUS = 2 ** BITS;
  const canvas = document.createElement("canvas");
  canvas.width = BITS * CELL_W;
  canvas.height = 2 * CELL_H;
  const context = canvas.getContext("2d", {{ willReadFrequently: true }});
  const root = document.querySelector("[data-player]");
  const video = root.querySelector("video");
  window.benchSamples = [];
  // The frame on screen: its clock cells against Date.now(). Green is close enough to luma
  // for black and white cells.
  function read() {{
    if (video.readyState < 2 || video.paused) return;
    const now = Date.now();
    context.drawImage(video, 0, 0, canvas.width, canvas.height, 0, 0, canvas.width, canvas.height);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let value = 0;
    for (let bit = 0; bit < BITS; bit++) {{
      const x = bit * CELL_W + CELL_W / 2;
      const top = pixels[((CELL_H / 2) * canvas.width + x) * 4 + 1];
      const bottom = pixels[((CELL_H + CELL_H / 2) * canvas.width + x) * 4 + 1];
      if (Math.abs(top - bottom) < 100) {{
        window.benchSamples.push({{ at: now, unreadable: true }});
        return;
      }}
      value = value * 2 + (top > bottom ? 1 : 0);
    }}
    const measured = ((((now % MODULUS) - value) % MODULUS) + MODULUS) % MODULUS;
    if (root.hoinghiPlayer) root.hoinghiPlayer.report(); // refreshes data-delay now
    window.benchSamples.push({{
      at: now,
      measured: measured / 1000,
      estimate: root.dataset.delay ? Number.parseFloat(root.dataset.delay) : null,
      state: root.dataset.state || "",
      time: video.currentTime,
    }});
  }}
  setInterval(read, {every_ms});
}})();
</script>
</body></html>
"""


@contextmanager
def page_server(page: str, files: dict[str, Path]):
    """An HTTP server on a free loopback port in a thread: `page` at /, `files` at their paths;
    its origin (http://127.0.0.1:<port>)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            path = self.path.split("?")[0]
            if path in files:
                body, kind = files[path].read_bytes(), "text/javascript"
            else:
                body, kind = page.encode(), "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def player_page(src: str, every_ms: int = 200) -> str:
    return PLAYER_PAGE.format(
        src=src, bits=CLOCK_BITS, cell_w=CLOCK_CELL[0], cell_h=CLOCK_CELL[1], every_ms=every_ms
    )


__all__ = [
    "Live",
    "children",
    "conference_live",
    "cpu_seconds",
    "encode_clip",
    "load_1min",
    "loop_into",
    "mib",
    "page_server",
    "player_page",
    "programme_over_hour",
    "push_clock",
    "push_loop",
    "stop",
    "wait_until",
]
