"""Live video through our own ingest (issue #15): stream keys, nginx-rtmp's publish callbacks and
the replay recording.

The host's encoder (OBS, ffmpeg) publishes to ``rtmp://<host>/live/<stream key>``. nginx asks
``ingest_publish`` whether the key is good; the answer renames the stream to the stream's random
``playback_id``, so HLS files and recordings never carry the key. Publishing turns a scheduled
stream live (the existing go-live path: followers notified, deals allowed); the publisher leaving
ends it; the recording is remuxed to HLS VOD by a task for the replay.
"""

import hashlib
import logging
import secrets
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chat.exceptions import NotTheHostError
from chat.models import LiveStatus, LiveStream
from chat.services.live import livestream_end, livestream_start
from community.models import User
from realtime.publish import enqueue_on_commit

logger = logging.getLogger(__name__)

KEY_PREFIX = "live_"


def ingest_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def livestream_key_rotate(*, actor: User, stream: LiveStream) -> str:
    """Make a new stream key for the host (the old one stops working) and return it: the only
    time it is shown."""
    if stream.host_id != actor.pk:
        raise NotTheHostError()
    key = KEY_PREFIX + secrets.token_urlsafe(24)
    changes = {"ingest_key_hash": ingest_key_hash(key), "ingest_key_set_at": timezone.now()}
    if not stream.playback_id:
        changes["playback_id"] = secrets.token_hex(16)
    LiveStream.objects.filter(pk=stream.pk).update(**changes)
    for field, value in changes.items():
        setattr(stream, field, value)
    return key


def ingest_publish(*, key: str) -> LiveStream | None:
    """nginx asks whether ``key`` may publish: the stream it belongs to, turned live if it was
    scheduled; None (refused) for an unknown or rotated key, or a stream that has ended."""
    if not key.startswith(KEY_PREFIX):
        return None
    stream = LiveStream.objects.filter(ingest_key_hash=ingest_key_hash(key)).first()
    if stream is None or stream.status == LiveStatus.ENDED:
        return None
    with transaction.atomic():
        # One publisher at a time: a second encoder with the same key is refused.
        taken = LiveStream.objects.filter(pk=stream.pk, publishing_since__isnull=True).update(
            publishing_since=timezone.now()
        )
    if not taken:
        return None
    if stream.status == LiveStatus.SCHEDULED:
        stream = livestream_start(actor=stream.host, stream=stream)
    return stream


def _by_stream_name(name: str) -> LiveStream | None:
    # nginx names the stream by its playback id after the rename; by the key if it kept it.
    streams = LiveStream.objects.select_related("host")
    if name.startswith(KEY_PREFIX):
        return streams.filter(ingest_key_hash=ingest_key_hash(name)).first()
    return streams.filter(playback_id=name).first() if name else None


def ingest_publish_done(*, playback_id: str) -> LiveStream | None:
    """The publisher left: the stream ends (its comments and recording stay for the replay)."""
    stream = _by_stream_name(playback_id)
    if stream is None:
        return None
    LiveStream.objects.filter(pk=stream.pk).update(publishing_since=None)
    stream.publishing_since = None
    if stream.status == LiveStatus.LIVE:
        stream = livestream_end(actor=stream.host, stream=stream)
    return stream


def ingest_record_done(*, playback_id: str, path: str) -> bool:
    """nginx closed a recording of the stream: remux it to HLS VOD in a task."""
    stream = _by_stream_name(playback_id)
    if stream is None:
        return False
    with transaction.atomic():
        enqueue_on_commit("chat.tasks.live_replay_remux", stream.pk, path)
    return True


def live_replay_mark_ready(*, stream_id: int) -> None:
    """The replay's playlist is written: viewers of the ended stream get the video."""
    LiveStream.objects.filter(pk=stream_id).update(replay_ready_at=timezone.now())


def live_replay_remux(*, stream_id: int, path: str) -> bool:
    """Remux the recording at ``path`` (inside the recordings folder) into an HLS VOD playlist
    without re-encoding; True once the replay is ready. Safe to run twice."""
    stream = LiveStream.objects.filter(pk=stream_id).first()
    recordings = (settings.LIVE_DIR / "rec").resolve()
    source = Path(path).resolve()
    if stream is None or not stream.playback_id or recordings not in source.parents:
        return False
    if not source.exists():
        return False
    out = settings.LIVE_DIR / "replays" / stream.playback_id
    out.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-i",
            str(source),
            "-c",
            "copy",
            "-f",
            "hls",
            "-hls_time",
            "4",
            "-hls_playlist_type",
            "vod",
            "-hls_segment_filename",
            str(out / "seg%04d.ts"),
            str(out / "index.m3u8"),
        ],
        capture_output=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        logger.warning(
            "replay remux failed",
            extra={"stream_id": stream_id, "stderr": result.stderr.decode()[-500:]},
        )
        return False
    live_replay_mark_ready(stream_id=stream_id)
    return True
