"""Signed playback URLs, checked by nginx's `secure_link` (no Python on the video path).

A URL is /hls/<token>/<expires>/<stream name>/index.m3u8 (live) or
/vod/<token>/<expires>/<stream name>/<file>.mp4 (chapters), where token is
base64url(md5("<expires>/<stream name> <secret>")) without padding, as `secure_link_md5` computes
it in the configuration `media_config` writes. The token sits in the path, not the query string,
so the segments a playlist names relatively inherit it. It covers the stream, so a link of one
conference opens nothing of another, and its expiry; nginx answers 403 to a wrong token and 410
to an expired one. A copied link therefore stops working when it expires.
"""

import base64
import hashlib
import hmac
import time

from django.conf import settings

LIVE_TTL = 6 * 3600  # a player keeps fetching the same playlist URL for the whole session
VOD_TTL = 4 * 3600


def token(stream_name: str, expires: int, secret: str | None = None) -> str:
    raw = f"{expires}/{stream_name} {secret or settings.STREAM_SECRET}".encode()
    return base64.urlsafe_b64encode(hashlib.md5(raw).digest()).decode().rstrip("=")  # noqa: S324 - nginx's scheme


def live_url(stream_name: str, *, ttl: int = LIVE_TTL, now: float | None = None) -> str:
    expires = int((now or time.time()) + ttl)
    return f"{settings.STREAM_PLAY_URL}/hls/{token(stream_name, expires)}/{expires}/{stream_name}/index.m3u8"


def vod_url(stream_name: str, filename: str, *, ttl: int = VOD_TTL, now: float | None = None) -> str:
    expires = int((now or time.time()) + ttl)
    return f"{settings.STREAM_PLAY_URL}/vod/{token(stream_name, expires)}/{expires}/{stream_name}/{filename}"


def hook_secret() -> str:
    """The path segment nginx's callbacks carry, so that nobody else can call them."""
    digest = hmac.new(settings.STREAM_SECRET.encode(), b"hoinghi-stream-hooks", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()
