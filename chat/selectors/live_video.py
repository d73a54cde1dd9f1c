"""Where a livestream's video is played from, and whether our own ingest is available."""

import shutil
from pathlib import Path

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from chat.models import LiveStatus, LiveStream

RTMP_MODULE = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")


def ingest_available() -> bool:
    """nginx with the RTMP module is installed (and video is not switched off)."""
    if settings.LIVE_VIDEO == "off":
        return False
    if settings.LIVE_VIDEO == "on":
        return True
    return shutil.which("nginx") is not None and RTMP_MODULE.exists()


def ingest_secret() -> str:
    """The shared secret nginx's callbacks carry: derived from SECRET_KEY, never stored."""
    return salted_hmac("tuanju.live.ingest", "nginx-callbacks").hexdigest()


def ingest_secret_valid(candidate: str) -> bool:
    return constant_time_compare(candidate or "", ingest_secret())


def media_base_url(request_host: str = "") -> str:
    if settings.LIVE_MEDIA_URL:
        return settings.LIVE_MEDIA_URL.rstrip("/")
    host = (request_host or settings.LIVE_RTMP_HOST).rsplit(":", 1)[0]
    return f"http://{host}:{settings.LIVE_MEDIA_PORT}"


def rtmp_url(request_host: str = "") -> str:
    """What the host types into OBS as the server (the stream key goes in its own field)."""
    host = settings.LIVE_RTMP_HOST
    if host in ("127.0.0.1", "0.0.0.0") and request_host:
        host = request_host.rsplit(":", 1)[0]
    return f"rtmp://{host}:{settings.LIVE_RTMP_PORT}/live"


def playback_url(stream: LiveStream, request_host: str = "") -> str:
    """The HLS (or outside) URL a viewer's player loads now: the live playlist while live, the
    replay once an ended stream's recording is remuxed, empty when there is nothing to play."""
    if stream.stream_url:
        return stream.stream_url
    if not stream.playback_id:
        return ""
    base = media_base_url(request_host)
    if stream.status == LiveStatus.LIVE:
        return f"{base}/hls/{stream.playback_id}.m3u8"
    if stream.status == LiveStatus.ENDED and stream.replay_ready_at is not None:
        return f"{base}/replays/{stream.playback_id}/index.m3u8"
    return ""
