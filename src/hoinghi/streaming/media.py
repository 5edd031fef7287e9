"""The programs that touch video: ffprobe and ffmpeg (Debian's), run as subprocesses with a time
limit. Copies only (`-c copy`): cutting an hour is a matter of seconds, and cuts fall on the
keyframe before the asked time (the host's encoder should send one every 1-2 s)."""

import json
import shutil
import subprocess
from pathlib import Path

TIMEOUT = 30 * 60  # seconds for one program run: copying hours of video takes far less


class MediaError(Exception):
    pass


def _run(command: list[str], timeout: float = TIMEOUT) -> str:
    program = shutil.which(command[0])
    if program is None:
        raise MediaError(f"{command[0]} is not installed")
    try:
        done = subprocess.run([program, *command[1:]], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as error:
        raise MediaError(f"{command[0]} took more than {timeout} s") from error
    if done.returncode != 0:
        raise MediaError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return done.stdout


def probe(path: Path) -> dict:
    """Duration (s) and the codecs of a media file."""
    out = _run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
        timeout=60,
    )
    data = json.loads(out or "{}")
    duration = float(data.get("format", {}).get("duration") or 0)
    codecs = sorted(s.get("codec_name", "") for s in data.get("streams", []))
    if duration <= 0 or not codecs:
        raise MediaError(f"no playable media in {path.name}")
    return {"duration": duration, "codecs": codecs}


def remux(source: Path, target: Path) -> None:
    """The whole recording as an MP4 that starts playing before it is fully loaded."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part.mp4")
    _run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(source), "-c", "copy",
          "-movflags", "+faststart", str(partial)])  # fmt: skip
    partial.replace(target)


def cut(source: Path, target: Path, start: float, end: float) -> None:
    """[start, end) seconds of `source` as an MP4, copied (written aside, then moved in place)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part.mp4")
    _run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", f"{start:.3f}", "-to", f"{end:.3f}",
          "-i", str(source), "-c", "copy", "-movflags", "+faststart", str(partial)])  # fmt: skip
    partial.replace(target)
