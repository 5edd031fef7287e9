"""The media server's configuration, written from the settings (`hoinghi media-config`)."""

import getpass
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from hoinghi.streaming.signing import hook_secret

RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so"
FOLDERS = ("hls", "rec", "vod", "logs", "tmp")


@dataclass
class MediaConfig:
    root: Path
    rtmp_listen: str
    http_listen: str
    callback_url: str
    user: str = ""
    fragment: int = 1
    playlist_length: int = 6
    update_every: int = 3
    worker_connections: int = 4096
    log_level: str = "warn"  # "info" would write the publishers' query strings (their keys)

    @property
    def path(self) -> Path:
        return self.root / "nginx.conf"

    def command(self, *extra: str) -> list[str]:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        return [
            nginx,
            "-p",
            str(self.root),
            "-c",
            str(self.path),
            "-e",
            str(self.root / "logs/error.log"),
            *extra,
        ]


def missing_programs() -> list[str]:
    wanted = ["nginx", "ffmpeg", "ffprobe"]
    missing = [
        name for name in wanted if shutil.which(name) is None and not Path(f"/usr/sbin/{name}").exists()
    ]
    if not Path(RTMP_MODULE).exists():
        missing.append("libnginx-mod-rtmp")
    return missing


def from_settings(**overrides) -> MediaConfig:
    default_user = "" if os.geteuid() != 0 else "www-data"
    options = {
        "root": settings.STREAM_DIR,
        "rtmp_listen": str(settings.STREAM_RTMP_PORT),
        "http_listen": str(settings.STREAM_HTTP_PORT),
        "callback_url": settings.STREAM_CALLBACK_URL,
        "user": default_user,
    }
    options.update(overrides)
    return MediaConfig(**options)


def render(config: MediaConfig) -> str:
    return render_to_string(
        "streaming/nginx.conf",
        {
            "written_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
            "root": config.root,
            "config": config.path,
            "rtmp_module": RTMP_MODULE,
            "user": config.user,
            "log_level": config.log_level,
            "worker_connections": config.worker_connections,
            "rtmp_listen": config.rtmp_listen,
            "http_listen": config.http_listen,
            "hooks": f"{config.callback_url.rstrip('/')}/truyen-hinh/hooks/{hook_secret()}",
            "update_every": config.update_every,
            "fragment": config.fragment,
            "playlist_length": config.playlist_length,
            "secret": settings.STREAM_SECRET,
        },
    )


def write(config: MediaConfig) -> Path:
    """The configuration and its folders, owned by the worker user when nginx starts as root
    (nginx gives its HLS folder to that user by itself, not the recording folder)."""
    config.root.mkdir(parents=True, exist_ok=True)
    for folder in FOLDERS:
        (config.root / folder).mkdir(exist_ok=True)
    if config.user and os.geteuid() == 0 and config.user != getpass.getuser():
        for folder in ("hls", "rec", "vod", "tmp"):
            shutil.chown(config.root / folder, user=config.user, group=None)
    config.path.write_text(render(config))
    config.path.chmod(0o600)  # it holds the signing secret
    return config.path


def check(config: MediaConfig) -> str:
    """`nginx -t` on the written file: its message, or an exception with it."""
    done = subprocess.run(config.command("-t"), capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip())
    return done.stderr.strip()
