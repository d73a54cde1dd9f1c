"""Live video end to end (issue #15): a real nginx with the RTMP module, a real ffmpeg publisher,
daphne answering nginx's callbacks, and a Celery worker making the replay."""

import json
import shutil
import subprocess
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from chat.models import LiveStatus, LiveStream
from chat.services.live import live_subscribe
from chat.services.live_video import livestream_key_rotate
from community.models import Notification, Role
from community.services import role_grant
from tests.backends import needs_postgres, needs_redis
from tests.chat.conftest import client_for, member
from tests.processes import (
    BIN,
    end_child_database_sessions,
    free_port,
    service_env,
    start_daphne,
    start_worker,
    stop,
    wait_until,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_postgres,
    needs_redis,
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]


@pytest.fixture
def media(django_db_setup, tmp_path):
    """nginx-rtmp on spare ports, a daphne it calls back (started here, so that the playback
    URLs it hands out point at this nginx), and a worker for the replay."""
    if shutil.which("nginx") is None or shutil.which("ffmpeg") is None:
        pytest.fail("live video needs nginx, libnginx-mod-rtmp and ffmpeg (.ci/run installs them)")
    rtmp_port, http_port, web_port = free_port(), free_port(), free_port()
    live_dir = tmp_path / "live"
    env = service_env(
        LIVE_DIR=str(live_dir),
        LIVE_RTMP_PORT=str(rtmp_port),
        LIVE_MEDIA_PORT=str(http_port),
        LIVE_MEDIA_HOST="127.0.0.1",
    )
    web_url = f"http://127.0.0.1:{web_port}"
    daphne = start_daphne(web_port, env, tmp_path / "daphne.log")
    nginx_log = open(tmp_path / "nginx.log", "wb")  # noqa: SIM115 - closed below
    nginx = subprocess.Popen(
        [str(BIN / "python"), "-m", "config.media", web_url],
        env=env,
        stdout=nginx_log,
        stderr=subprocess.STDOUT,
    )
    worker = start_worker(env, tmp_path / "worker.log")

    def answers(url: str) -> bool:
        try:
            urllib.request.urlopen(url, timeout=1)
        except urllib.error.HTTPError:
            return True  # it answered (404)
        except OSError:
            return False
        return True

    try:
        assert wait_until(lambda: answers(f"{web_url}/healthz"), timeout=90), (
            tmp_path / "daphne.log"
        ).read_text()[-3000:]
        assert wait_until(
            lambda: answers(f"http://127.0.0.1:{http_port}/hls/none.m3u8"), timeout=90
        ), (tmp_path / "nginx.log").read_text()
        yield {
            "rtmp": f"rtmp://127.0.0.1:{rtmp_port}/live",
            "http": f"http://127.0.0.1:{http_port}",
            "web": web_url,
            "dir": live_dir,
            "logs": tmp_path,
        }
    finally:
        for process in (nginx, worker, daphne):
            stop(process)
        nginx_log.close()
        end_child_database_sessions(env)


def publish(rtmp_url: str, seconds: int) -> subprocess.Popen:
    """ffmpeg's test pattern with a tone, 2 s keyframes, as OBS would send it."""
    return subprocess.Popen(
        [
            "ffmpeg", "-nostdin", "-loglevel", "error", "-re",
            "-f", "lavfi", "-i", f"testsrc=size=320x240:rate=15:duration={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", rtmp_url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip


def fetch(url: str) -> str:
    """The body, or "" while nginx has nothing there yet."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except urllib.error.HTTPError:
        return ""


def segments(playlist: str) -> list[str]:
    return [line for line in playlist.splitlines() if line and not line.startswith("#")]


def probe(url: str) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", url],
        capture_output=True,
        timeout=30,
        check=True,
    )
    return json.loads(out.stdout)


def _stream(host):
    return LiveStream.objects.create(
        host=host, title="Tea tasting", starts_at=timezone.now() + timedelta(minutes=5)
    )


@pytest.mark.timeout(300)
def test_publishing_with_the_key_goes_live_plays_hls_and_leaves_a_replay(media):
    lily = member(username="lily")
    role_grant(actor=None, user=lily, role=Role.CREATOR)
    fan = member(username="fan")
    stream = _stream(lily)
    live_subscribe(actor=fan, stream=stream)
    key = livestream_key_rotate(actor=lily, stream=stream)

    publisher = publish(f"{media['rtmp']}/{key}", seconds=12)
    try:
        went_live = wait_until(
            lambda: LiveStream.objects.get(pk=stream.pk).status == LiveStatus.LIVE, timeout=60
        )
        assert went_live, (media["logs"] / "nginx.log").read_text()[-2000:]
        stream.refresh_from_db()
        live_playlist = f"{media['http']}/hls/{stream.playback_id}.m3u8"
        playing = wait_until(lambda: len(segments(fetch(live_playlist))) >= 2, timeout=60)
        assert playing, sorted(p.name for p in Path(media["dir"], "hls").iterdir())
        first = fetch(live_playlist)
        grew = wait_until(lambda: fetch(live_playlist) != first, timeout=30)
        segment_url = f"{media['http']}/hls/{segments(fetch(live_playlist))[-1]}"
        decoded = probe(segment_url)
        viewer_sees = client_for(fan).get(f"/api/v1/livestreams/{stream.pk}/").json()
    finally:
        publisher.wait(timeout=30)

    assert grew, "the live playlist never moved on"
    assert {s["codec_type"] for s in decoded["streams"]} == {"video", "audio"}
    # The key never appears where viewers look: playback goes by the random playback id.
    assert key not in json.dumps(viewer_sees)
    assert viewer_sees["playback_url"].endswith(f"/hls/{stream.playback_id}.m3u8")
    assert wait_until(
        lambda: Notification.objects.filter(user=fan, type="livestream_started").exists(),
        timeout=60,
    )

    # The publisher is gone: the stream ends and the recording becomes a replay.
    assert wait_until(
        lambda: LiveStream.objects.get(pk=stream.pk).status == LiveStatus.ENDED, timeout=60
    )
    assert wait_until(
        lambda: LiveStream.objects.get(pk=stream.pk).replay_ready_at is not None, timeout=60
    ), (media["logs"] / "worker.log").read_text()[-3000:]
    replay = client_for(fan).get(f"/api/v1/livestreams/{stream.pk}/").json()["playback_url"]
    assert replay.endswith(f"/replays/{stream.playback_id}/index.m3u8")
    vod = fetch(f"{media['http']}/replays/{stream.playback_id}/index.m3u8")
    assert "#EXT-X-ENDLIST" in vod
    duration = float(
        probe(f"{media['http']}/replays/{stream.playback_id}/index.m3u8")["format"]["duration"]
    )
    assert 8 <= duration <= 14


@pytest.mark.timeout(300)
def test_a_wrong_or_rotated_key_is_refused_at_ingest(media):
    lily = member(username="lily")
    role_grant(actor=None, user=lily, role=Role.CREATOR)
    stream = _stream(lily)
    old_key = livestream_key_rotate(actor=lily, stream=stream)
    livestream_key_rotate(actor=lily, stream=stream)

    for key in ("live_not-a-real-key", old_key):
        publisher = publish(f"{media['rtmp']}/{key}", seconds=3)
        _, err = publisher.communicate(timeout=30)
        assert publisher.returncode != 0, err

    stream.refresh_from_db()
    assert stream.status == LiveStatus.SCHEDULED
    assert stream.publishing_since is None
    assert not any(Path(media["dir"], "hls").glob("*.m3u8"))
