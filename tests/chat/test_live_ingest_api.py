"""The host's stream key and nginx's callbacks, without a media server (issue #15)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chat.models import LiveStatus, LiveStream
from chat.selectors.live_video import ingest_secret, playback_url
from chat.services.live_video import ingest_key_hash
from community.models import Role
from community.services import role_grant
from tests.chat.conftest import client_for, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def host(db):
    lily = member(username="lily")
    role_grant(actor=None, user=lily, role=Role.CREATOR)
    return lily


@pytest.fixture
def stream(host):
    return LiveStream.objects.create(
        host=host, title="Tea", starts_at=timezone.now() + timedelta(hours=1)
    )


def ingest_url(stream) -> str:
    return f"/api/v1/livestreams/{stream.pk}/ingest/"


def callback(event: str, secret: str | None = None, remote="127.0.0.1", **form):
    return Client(REMOTE_ADDR=remote).post(
        f"/internal/live/{event}?secret={ingest_secret() if secret is None else secret}", form
    )


def test_the_host_gets_a_key_once_and_a_new_one_replaces_it(host, stream):
    made = client_for(host).post(ingest_url(stream))
    again = client_for(host).post(ingest_url(stream))
    shown = client_for(host).get(ingest_url(stream))

    assert made.status_code == 201 and again.status_code == 201
    first, second = made.json()["stream_key"], again.json()["stream_key"]
    assert first != second and first.startswith("live_")
    assert made.json()["rtmp_url"].startswith("rtmp://") and made.json()["rtmp_url"].endswith(
        "/live"
    )
    stream.refresh_from_db()
    assert stream.ingest_key_hash == ingest_key_hash(second)
    # Reading the ingest settings never shows the key again.
    assert shown.status_code == 200 and "stream_key" not in shown.json()
    assert shown.json()["key_set_at"] is not None and shown.json()["publishing"] is False


def test_another_member_can_neither_read_nor_rotate_the_key(stream):
    rival = member(username="rival")

    assert client_for(rival).get(ingest_url(stream)).json()["code"] == "not_the_host"
    assert client_for(rival).post(ingest_url(stream)).status_code == 403
    assert Client().post(ingest_url(stream)).status_code in (401, 403)
    stream.refresh_from_db()
    assert stream.ingest_key_hash is None


def test_a_good_key_goes_live_under_its_playback_id_and_a_wrong_one_is_refused(host, stream):
    key = client_for(host).post(ingest_url(stream)).json()["stream_key"]

    wrong = callback("publish", name="live_guess")
    good = callback("publish", name=key)
    second_encoder = callback("publish", name=key)

    assert wrong.status_code == 403
    stream.refresh_from_db()
    assert (good.status_code, good["Location"]) == (302, stream.playback_id)
    assert len(stream.playback_id) == 32 and key not in stream.playback_id
    assert stream.status == LiveStatus.LIVE and stream.publishing_since is not None
    assert second_encoder.status_code == 403


def test_the_publisher_leaving_ends_the_stream(host, stream):
    key = client_for(host).post(ingest_url(stream)).json()["stream_key"]
    callback("publish", name=key)
    stream.refresh_from_db()

    done = callback("publish_done", name=stream.playback_id)

    stream.refresh_from_db()
    assert done.status_code == 204
    assert stream.status == LiveStatus.ENDED and stream.publishing_since is None
    # Ended without a replay yet: nothing to play.
    assert playback_url(stream) == ""


def test_callbacks_without_the_secret_or_from_elsewhere_do_not_exist(host, stream):
    key = client_for(host).post(ingest_url(stream)).json()["stream_key"]

    assert callback("publish", secret="nope", name=key).status_code == 404
    assert callback("publish", remote="203.0.113.9", name=key).status_code == 404
    assert callback("unknown", name=key).status_code == 404
    assert Client().get(f"/internal/live/publish?secret={ingest_secret()}").status_code == 405
    stream.refresh_from_db()
    assert stream.status == LiveStatus.SCHEDULED


def test_an_ended_stream_cannot_be_restarted_with_its_key(host, stream):
    key = client_for(host).post(ingest_url(stream)).json()["stream_key"]
    callback("publish", name=key)
    stream.refresh_from_db()
    callback("publish_done", name=stream.playback_id)

    assert callback("publish", name=key).status_code == 403


def test_a_stream_created_without_a_url_uses_the_ingest(host):
    created = client_for(host).post(
        "/api/v1/livestreams/",
        {"title": "Dumplings", "starts_at": (timezone.now() + timedelta(hours=2)).isoformat()},
        format="json",
    )

    assert created.status_code == 201, created.json()
    assert created.json()["stream_url"] == "" and created.json()["playback_url"] == ""
