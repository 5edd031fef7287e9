"""Live video (issue 5): nginx with the RTMP module as `hoinghi media-config` writes it, real
ffmpeg encoders, hoinghi's callbacks answered by a uvicorn server on the bench database, and
Chromium playing through the project's player. Four figures:

1. publish_to_playlist: time from starting ffmpeg with the good key (`streaming.testing.push`,
   1280x720, 25 fps, 2 Mb/s) to index.m3u8 in <STREAM_DIR>/hls/<name>/, BENCH_PUBLISH_RUNS (5)
   times. The path: ffmpeg starts, RTMP handshake, `on_publish` to hoinghi, then nginx closes
   the first 1 s fragment at the next keyframe and writes the playlist.
2. encoder_to_screen: an encoder burns the wall clock (ms) into the picture as a pattern of
   cells (`_media.CLOCK_FILTER`); headless Chromium plays the signed live URL with hls.js and
   player.js on a page of our own, and five times a second reads the cells of the frame on
   screen and subtracts them from Date.now(). Next to it, the delay player.js estimates from
   nginx's fragment names (data-delay). Over BENCH_PLAY_SECONDS (30) of playback split over
   BENCH_PLAY_LOADS (3) page loads (the delay is chosen at each start, then holds).
3. bridge_points: BENCH_VIEWERS (364) asyncio clients, one keep-alive connection each, do what
   hls.js does: fetch the signed playlist every second and each new segment once, for
   BENCH_VIEWERS_SECONDS (60), while one publisher sends a pre-encoded 1280x720 25 fps 2 Mb/s
   clip looped with `-c copy` (no encoding during the run). Requests/s, MB/s, segment fetch
   latency, errors, and nginx's CPU (user+sys time of its processes from /proc) as % of one
   core. The clients speak HTTP/1.1 over asyncio streams (`RawClient`): httpx costs ~0.6 % of a
   core per client here, so 364 httpx clients would measure httpx, not nginx
   (BENCH_VIEWER_CLIENT=httpx runs them anyway). The event loop's lag says whether the clients
   kept up.
4. recording_hour: a one-hour FLV (the clip looped with `-c copy`), registered with
   `services.record_done` against a programme of an opening and five topics, processed by
   calling `tasks.recording_process` directly: remux to MP4 and the six chapters cut.

Everything runs in a temporary folder (BENCH_STREAM_TMP, default the system's), removed at the
end with every process this started. BENCH_STREAM_RUNS=1,2,3,4 picks figures;
BENCH_STREAM_SAMPLES=<file> keeps figure 2's samples (JSON) for a closer look.
"""

import asyncio
import json
import logging
import os
import random
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks import _media
from benchmarks._django import percentile, report, setup

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src/hoinghi"
PUBLISH_RUNS = int(os.environ.get("BENCH_PUBLISH_RUNS", "5"))
PLAY_SECONDS = float(os.environ.get("BENCH_PLAY_SECONDS", "30"))
PLAY_LOADS = int(os.environ.get("BENCH_PLAY_LOADS", "3"))
VIEWERS = int(os.environ.get("BENCH_VIEWERS", "364"))
VIEWERS_SECONDS = float(os.environ.get("BENCH_VIEWERS_SECONDS", "60"))
VIEWER_CLIENT = os.environ.get("BENCH_VIEWER_CLIENT", "raw")  # or "httpx"
HOUR_SECONDS = int(os.environ.get("BENCH_RECORDING_SECONDS", "3600"))
RUNS = os.environ.get("BENCH_STREAM_RUNS", "1,2,3,4")
CHROMIUM = os.environ.get("HOINGHI_CHROMIUM", "/usr/bin/chromium")


def publish_to_playlist(live, media) -> None:
    from hoinghi.streaming.models import Stream, StreamState
    from hoinghi.streaming.testing import push

    folder = media.root / "hls" / live.stream.name
    samples, load = [], _media.load_1min()
    for _run in range(PUBLISH_RUNS):
        shutil.rmtree(folder, ignore_errors=True)
        started = time.monotonic()
        publisher = push(
            f"{media.rtmp_url}/{live.stream.name}?key={live.key.secret}",
            seconds=20,
            size="1280x720",
            rate=25,
            bitrate="2000k",
        )
        try:
            appeared = _media.wait_until((folder / "index.m3u8").exists, timeout=15, every=0.02)
            if appeared is None:
                raise AssertionError(f"no playlist within 15 s: {media.error_log()[-1000:]}")
            samples.append(time.monotonic() - started)
        finally:
            _media.stop(publisher)
        # The next publish only once hoinghi has heard `on_publish_done`.
        _media.wait_until(
            lambda: Stream.objects.get(pk=live.stream.pk).state == StreamState.STOPPED, timeout=15
        )
    report(
        benchmark="streaming",
        run="publish_to_playlist",
        runs=len(samples),
        p50_s=round(statistics.median(samples), 2),
        max_s=round(max(samples), 2),
        min_s=round(min(samples), 2),
        load_1min=load,
    )


def encoder_to_screen(live, media) -> None:
    """PLAY_SECONDS of playback in PLAY_LOADS page loads: the delay is set when hls.js picks its
    start (where the fragment being written is at that moment) and then holds, so the spread
    is between loads, as between bridge points."""
    from playwright.sync_api import sync_playwright

    from hoinghi.streaming import signing

    load = _media.load_1min()
    each = PLAY_SECONDS / PLAY_LOADS
    publisher = _media.push_clock(
        f"{media.rtmp_url}/{live.stream.name}?key={live.key.secret}",
        seconds=PLAY_SECONDS + 40 + 15 * PLAY_LOADS,
    )
    files = {
        "/vendor/hlsjs/hls.min.js": STATIC / "core/static/vendor/hlsjs/hls.min.js",
        "/streaming/player.js": STATIC / "streaming/static/streaming/player.js",
    }
    page_html = _media.player_page(signing.live_url(live.stream.name))
    samples: list[dict] = []
    per_load: list[float] = []
    try:
        playlist = media.root / "hls" / live.stream.name / "index.m3u8"
        if _media.wait_until(playlist.exists, timeout=15) is None:
            raise AssertionError(f"no playlist: {media.error_log()[-3000:]}; ffmpeg: {_stderr(publisher)}")
        # A page of our own on a real loopback server: current Chromium lets a page fetch from a
        # loopback address (nginx here) only when the page itself comes from one.
        with _media.page_server(page_html, files) as origin, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"],
            )
            try:
                for _load in range(PLAY_LOADS):
                    page = browser.new_page(viewport={"width": 800, "height": 500})
                    console: list[str] = []
                    page.on("console", lambda message, into=console: into.append(message.text))
                    page.goto(f"{origin}/")
                    try:
                        page.wait_for_function(
                            "() => document.querySelector('video').currentTime > 2", timeout=30_000
                        )
                    except Exception:
                        print("page console:", *console[-10:], sep="\n  ")
                        raise
                    page.evaluate("() => { window.benchSamples = []; }")
                    time.sleep(each)
                    taken = page.evaluate("() => window.benchSamples")
                    page.close()
                    samples += taken
                    readable = [t["measured"] for t in taken if "measured" in t and t["state"] == "playing"]
                    if readable:
                        per_load.append(round(statistics.median(readable), 2))
            finally:
                browser.close()
    finally:
        _media.stop(publisher)
    if dump := os.environ.get("BENCH_STREAM_SAMPLES"):
        Path(dump).write_text(json.dumps(samples))
    read = [s for s in samples if not s.get("unreadable") and s.get("state") == "playing"]
    measured = [s["measured"] for s in read]
    pairs = [(s["measured"], s["estimate"]) for s in read if s.get("estimate") is not None]
    if not measured:
        raise AssertionError(f"no readable frame among {len(samples)} samples")
    errors = [m - e for m, e in pairs]
    report(
        benchmark="streaming",
        run="encoder_to_screen",
        seconds=PLAY_SECONDS,
        page_loads=PLAY_LOADS,
        samples=len(samples),
        read=len(read),
        unreadable=sum(1 for s in samples if s.get("unreadable")),
        p50_s=round(percentile(measured, 0.5), 2),
        p95_s=round(percentile(measured, 0.95), 2),
        min_s=round(min(measured), 2),
        max_s=round(max(measured), 2),
        p50_per_load_s=per_load,
        estimate_p50_s=round(percentile([e for _m, e in pairs], 0.5), 2) if pairs else None,
        estimate_p95_s=round(percentile([e for _m, e in pairs], 0.95), 2) if pairs else None,
        measured_minus_estimate_p50_s=round(percentile(errors, 0.5), 2) if errors else None,
        measured_minus_estimate_min_max_s=[round(min(errors), 2), round(max(errors), 2)] if errors else None,
        not_playing=sum(1 for s in samples if s.get("state") not in (None, "playing")),
        load_1min=load,
    )


class RawClient:
    """One keep-alive HTTP/1.1 connection read with asyncio streams: what a player needs of HTTP
    (GET, Content-Length bodies) at a small fraction of httpx's CPU per request, so that 364 of
    them on the two cores nginx also runs on measure nginx rather than the clients."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.reader = self.writer = None
        self.reconnects = 0

    async def get(self, path: str) -> tuple[int, bytes]:
        for attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
                self.reconnects += attempt
            try:
                self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode())
                head = await self.reader.readuntil(b"\r\n\r\n")
                status = int(head[9:12])
                length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
                if length is None:
                    raise ValueError(f"no Content-Length: {head[:200]!r}")
                body = await self.reader.readexactly(int(length[1]))
                if re.search(rb"(?i)\r\nconnection: *close", head):
                    await self.aclose()
                return status, body
            except (asyncio.IncompleteReadError, ConnectionError):
                await self.aclose()  # the server closed a keep-alive connection: once more
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def aclose(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


class HttpxClient:
    """The same with httpx (BENCH_VIEWER_CLIENT=httpx): one AsyncClient, one connection."""

    def __init__(self, url: str):
        import httpx

        parts = urlsplit(url)
        self.http = httpx.AsyncClient(
            base_url=f"{parts.scheme}://{parts.netloc}",
            timeout=30,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )
        self.reconnects = 0

    async def get(self, path: str) -> tuple[int, bytes]:
        response = await self.http.get(path)
        return response.status_code, response.content

    async def aclose(self) -> None:
        await self.http.aclose()


async def viewers(url: str, clients: int, seconds: float, kind: str = "raw") -> dict:
    """`clients` players of the live URL for `seconds`: the playlist every second (hls.js reloads
    a live playlist every target duration), each new segment once, starting with the last three
    listed (hls.js with liveSyncDurationCount 2 starts about two fragments from the end)."""
    path = urlsplit(url).path
    base = path.rsplit("/", 1)[0]
    playlist_ms: list[float] = []
    segment_ms: list[float] = []
    errors: list[str] = []
    received = [0]
    lag_ms: list[float] = []
    # Made before the clock starts (an httpx client builds an SSL context, ~15 ms each).
    pool = [(RawClient if kind == "raw" else HttpxClient)(url) for _ in range(clients)]
    started = time.perf_counter()
    stop_at = started + seconds

    async def fetch(http, target: str, into: list[float]) -> bytes | None:
        sent = time.perf_counter()
        try:
            status, body = await http.get(target)
        except Exception as error:  # noqa: BLE001 - every failure is counted, none stops a player
            errors.append(repr(error)[:200])
            return None
        into.append((time.perf_counter() - sent) * 1000)
        received[0] += len(body)
        if status != 200:
            errors.append(f"{status} {target.rsplit('/', 1)[-1]}")
            return None
        return body

    async def viewer(http) -> None:
        await asyncio.sleep(random.random())  # players do not start on the same millisecond
        seen: set[str] | None = None
        try:
            while (now := time.perf_counter()) < stop_at:
                body = await fetch(http, path, playlist_ms)
                if body is not None:
                    names = [line for line in body.decode().splitlines() if line.endswith(".ts")]
                    if seen is None:
                        seen = set(names[:-3])
                    for name in names:
                        if name not in seen and time.perf_counter() < stop_at:
                            seen.add(name)
                            await fetch(http, f"{base}/{name}", segment_ms)
                await asyncio.sleep(max(0.0, now + 1.0 - time.perf_counter()))
        finally:
            await http.aclose()

    async def ticker() -> None:
        while time.perf_counter() < stop_at:
            before = time.perf_counter()
            await asyncio.sleep(0.1)
            lag_ms.append((time.perf_counter() - before - 0.1) * 1000)

    await asyncio.gather(ticker(), *(viewer(http) for http in pool))
    return {
        "seconds": time.perf_counter() - started,
        "playlist_ms": playlist_ms,
        "segment_ms": segment_ms,
        "errors": errors,
        "bytes": received[0],
        "loop_lag_ms": lag_ms,
        "reconnects": sum(http.reconnects for http in pool),
    }


def bridge_points(live, media, clip: Path) -> None:
    import resource

    from hoinghi.streaming import signing

    publisher = _media.push_loop(f"{media.rtmp_url}/{live.stream.name}?key={live.key.secret}", clip)
    try:
        playlist = media.root / "hls" / live.stream.name / "index.m3u8"
        if _media.wait_until(playlist.exists, timeout=15) is None:
            raise AssertionError(f"no playlist: {media.error_log()[-3000:]}; ffmpeg: {_stderr(publisher)}")
        time.sleep(6)  # a full playlist (6 s) before the players come
        workers = _media.children(media.process.pid)
        load = _media.load_1min()
        nginx_before = sum(_media.cpu_seconds(pid) for pid in workers)
        ffmpeg_before = _media.cpu_seconds(publisher.pid)
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        wall_before = time.monotonic()
        outcome = asyncio.run(
            viewers(signing.live_url(live.stream.name), VIEWERS, VIEWERS_SECONDS, VIEWER_CLIENT)
        )
        wall = time.monotonic() - wall_before
        nginx = sum(_media.cpu_seconds(pid) for pid in workers) - nginx_before
        ffmpeg = _media.cpu_seconds(publisher.pid) - ffmpeg_before
        own_after = resource.getrusage(resource.RUSAGE_SELF)
        clients = (own_after.ru_utime - own_before.ru_utime) + (own_after.ru_stime - own_before.ru_stime)
        load_after = _media.load_1min()
    finally:
        _media.stop(publisher)
    seconds, segments = outcome["seconds"], outcome["segment_ms"]
    requests = len(outcome["playlist_ms"]) + len(segments)
    report(
        benchmark="streaming",
        run="bridge_points",
        clients=VIEWERS,
        client=VIEWER_CLIENT,
        seconds=round(seconds, 1),
        stream_mbit_s=round(clip.stat().st_size * 8 / _probe_duration(clip) / 1e6, 2),
        requests=requests,
        requests_per_s=round(requests / seconds),
        segments=len(segments),
        segments_per_s=round(len(segments) / seconds),
        mb_per_s=round(outcome["bytes"] / seconds / 1e6, 1),
        segment_p50_ms=round(percentile(segments, 0.5), 1) if segments else None,
        segment_p99_ms=round(percentile(segments, 0.99), 1) if segments else None,
        segment_max_ms=round(max(segments), 1) if segments else None,
        playlist_p50_ms=round(percentile(outcome["playlist_ms"], 0.5), 1),
        playlist_p99_ms=round(percentile(outcome["playlist_ms"], 0.99), 1),
        errors=len(outcome["errors"]),
        reconnects=outcome["reconnects"],
        nginx_processes=len(workers),
        nginx_cpu_pct=round(nginx / wall * 100, 1),
        publisher_cpu_pct=round(ffmpeg / wall * 100, 1),
        clients_cpu_pct=round(clients / wall * 100, 1),
        client_loop_lag_p99_ms=round(percentile(outcome["loop_lag_ms"], 0.99), 1),
        load_1min_before_after=[load, load_after],
    )
    for error in sorted(set(outcome["errors"]))[:5]:
        print(f"error: {error}")


def _stderr(process) -> str:
    if process.poll() is None:
        return "still running"
    return process.stderr.read().decode(errors="replace")[-1000:]


def _probe_duration(path: Path) -> float:
    from hoinghi.streaming import media

    return media.probe(path)["duration"]


def recording_hour(live, clip: Path) -> None:
    from datetime import UTC, datetime

    from django.conf import settings
    from django.test import override_settings

    from hoinghi.streaming import media, services, tasks
    from hoinghi.streaming.models import Chapter, ProcessingStatus, Recording

    epoch = int(time.time()) - HOUR_SECONDS
    source = settings.STREAM_DIR / "rec" / f"{live.stream.name}-{epoch}.flv"
    made = time.monotonic()
    _media.loop_into(clip, source, seconds=HOUR_SECONDS)
    made = time.monotonic() - made
    titles = _media.programme_over_hour(live.conference, datetime.fromtimestamp(epoch, tz=UTC), HOUR_SECONDS)

    # Registered without running the processing (the runner's tasks run immediately): it is
    # timed below, called directly.
    with override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}):
        recording = services.record_done(name=live.stream.name, path=str(source))
    assert recording is not None

    spent = {"probe": 0.0, "remux": 0.0, "cut": 0.0}
    originals = {name: getattr(media, name) for name in spent}

    def timing(name):
        def timed(*args, **kwargs):
            began = time.perf_counter()
            try:
                return originals[name](*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - began

        return timed

    load = _media.load_1min()
    for name in spent:
        setattr(media, name, timing(name))
    try:
        began = time.perf_counter()
        outcome = tasks.recording_process.call(recording.pk)
        total = time.perf_counter() - began
    finally:
        for name, original in originals.items():
            setattr(media, name, original)

    recording.refresh_from_db()
    chapters = list(Chapter.objects.filter(recording=recording).order_by("start"))
    mp4 = tasks.vod_dir(live.stream.name) / f"rec-{recording.pk}.mp4"
    cut_bytes = sum((settings.STREAM_DIR / c.path).stat().st_size for c in chapters if c.path)
    report(
        benchmark="streaming",
        run="recording_hour",
        outcome=outcome,
        duration_s=round(recording.duration, 1),
        flv_mib=_media.mib(source),
        made_in_s=round(made, 1),
        total_s=round(total, 1),
        probe_s=round(spent["probe"], 1),
        remux_s=round(spent["remux"], 1),
        cut_s=round(spent["cut"], 1),
        mp4_mib=_media.mib(mp4) if mp4.exists() else None,
        chapters=len(chapters),
        chapters_ready=sum(1 for c in chapters if c.status == ProcessingStatus.READY),
        chapters_mib=round(cut_bytes / 2**20, 1),
        chapter_minutes=[round((c.duration or 0) / 60, 1) for c in chapters],
        load_1min=load,
    )
    assert outcome == "ready", recording.error
    assert [c.title for c in chapters] == titles, [c.title for c in chapters]
    assert Recording.objects.get(pk=recording.pk).status == ProcessingStatus.READY


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="hoinghi-bench-stream-", dir=os.environ.get("BENCH_STREAM_TMP")))
    try:
        run(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path) -> None:
    os.environ["HOINGHI_STREAM_DIR"] = str(folder / "media")
    setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from django.conf import settings

    from hoinghi.attendance.testing import running
    from hoinghi.streaming.config import missing_programs
    from hoinghi.streaming.testing import MediaServer

    missing = missing_programs()
    if missing:
        print(f"skipped: not installed: {', '.join(missing)} (apt-get install them)")
        return
    chosen = {int(n) for n in RUNS.split(",")}
    live = _media.conference_live()
    media = MediaServer(folder / "media", callback_url="http://127.0.0.1")  # set once hoinghi runs
    settings.STREAM_PLAY_URL = media.http_url  # for signing.live_url in this process
    extra_env = {
        "HOINGHI_STREAM_DIR": str(media.root),
        "HOINGHI_STREAM_SECRET": settings.STREAM_SECRET,
        "HOINGHI_STREAM_PLAY_URL": media.http_url,
        "HOINGHI_TASKS": "immediate",
        "HOINGHI_LOG_LEVEL": "WARNING",
    }
    clip = folder / "clip.flv"
    with running(extra_env=extra_env) as server:
        media.config.callback_url = server.url
        with media:
            if 1 in chosen:
                publish_to_playlist(live, media)
            if 2 in chosen:
                if Path(CHROMIUM).exists():
                    encoder_to_screen(live, media)
                else:
                    print(f"skipped encoder_to_screen: no Chromium at {CHROMIUM}")
            if chosen & {3, 4}:
                _media.encode_clip(clip, seconds=30)
            if 3 in chosen:
                bridge_points(live, media, clip)
    if 4 in chosen:
        recording_hour(live, clip)


if __name__ == "__main__":
    main()
