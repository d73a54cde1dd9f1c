"""Livestreams over REST: scheduling, going live (followers notified), comments with offsets and
idempotency, slow mode, mutes, deletes, likes, pinning, and the permission matrix."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from chat.models import LiveComment, LiveMute, LiveStream
from chat.services.live import (
    live_likes_persist,
    livestream_create,
    livestream_end,
    livestream_start,
)
from community.models import Notification
from community.selectors.social import share_target_resolve
from community.services.social import follow_create
from tests.chat.conftest import client_for, member

URL = "/api/v1/livestreams/"


def _schedule(host, **extra) -> LiveStream:
    return livestream_create(
        actor=host,
        title=extra.pop("title", "Spring tea tasting"),
        starts_at=timezone.now() + timedelta(hours=1),
        stream_url="https://media.example.com/live/tea.m3u8",
        **extra,
    )


@pytest.fixture
def stream(host) -> LiveStream:
    return _schedule(host)


@pytest.fixture
def live(host, stream) -> LiveStream:
    return livestream_start(actor=host, stream=stream)


def _comment(user, stream, body="好看!", cid="c1"):
    return client_for(user).post(
        f"{URL}{stream.pk}/comments/", {"body": body, "client_msg_id": cid}, format="json"
    )


def test_creator_schedules_and_anyone_can_list(host, api_client):
    created = client_for(host).post(
        URL,
        {
            "title": "Hotpot night",
            "starts_at": (timezone.now() + timedelta(days=1)).isoformat(),
            "stream_url": "https://media.example.com/hotpot.m3u8",
        },
        format="json",
    )
    listed = api_client.get(URL)

    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "scheduled"
    assert [s["title"] for s in listed.json()["results"]] == ["Hotpot night"]


def _at(host, title: str, hours: int, state: str = "scheduled") -> LiveStream:
    stream = livestream_create(
        actor=host,
        title=title,
        starts_at=timezone.now() + timedelta(hours=hours),
        stream_url="https://media.example.com/live/x.m3u8",
    )
    if state != "scheduled":
        stream = livestream_start(actor=host, stream=stream)
    if state == "ended":
        stream = livestream_end(actor=host, stream=stream)
    return stream


def test_list_is_a_cursor_page_live_then_upcoming_and_replays_apart(
    host, api_client, django_assert_max_num_queries
):
    _at(host, "later", 2)
    _at(host, "old replay", -3, "ended")
    _at(host, "now", -1, "live")
    _at(host, "soon", 1)
    _at(host, "recent replay", -2, "ended")

    with django_assert_max_num_queries(2):
        first = api_client.get(URL, {"page_size": 2}).json()
    second = api_client.get(first["next"]).json()
    back = api_client.get(second["previous"]).json()
    replays = api_client.get(URL, {"status": "ended"}).json()
    bad = api_client.get(URL, {"status": "paused"})

    assert [s["title"] for s in first["results"]] == ["now", "soon"]
    assert first["previous"] is None
    assert ([s["title"] for s in second["results"]], second["next"]) == (["later"], None)
    assert [s["title"] for s in back["results"]] == ["now", "soon"]
    assert [s["title"] for s in replays["results"]] == ["recent replay", "old replay"]
    assert (bad.status_code, bad.json()["code"]) == (400, "validation_error")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "x", "starts_at": "soon", "stream_url": "https://a.b/c"}, "starts_at"),
        (
            {
                "title": "x",
                "starts_at": "2030-01-01T00:00:00Z",
                "stream_url": "javascript:alert(1)",
            },
            "stream_url",
        ),
        (
            {"title": "  ", "starts_at": "2030-01-01T00:00:00Z", "stream_url": "https://a.b/c"},
            "title",
        ),
    ],
)
def test_bad_schedules_are_refused(host, payload, field):
    response = client_for(host).post(URL, payload, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "validation_error")
    assert field in response.json()["fields"]
    assert LiveStream.objects.count() == 0


def test_only_creators_schedule(alice, api_client):
    payload = {
        "title": "x",
        "starts_at": "2030-01-01T00:00:00Z",
        "stream_url": "https://a.b/c",
    }
    member_response = client_for(alice).post(URL, payload, format="json")
    anonymous = api_client.post(URL, payload, format="json")

    assert (member_response.status_code, member_response.json()["code"]) == (403, "not_a_creator")
    assert anonymous.status_code == 401
    assert LiveStream.objects.count() == 0


def test_go_live_notifies_followers_in_batches_and_only_the_host_may(
    host, stream, alice, settings, django_capture_on_commit_callbacks
):
    settings.LIVE_NOTIFY_BATCH_SIZE = 2
    fans = [member(username=f"fan{i}") for i in range(5)]
    for fan in fans:
        follow_create(actor=fan, followee=host)

    refused = client_for(alice).post(f"{URL}{stream.pk}/start/")
    with django_capture_on_commit_callbacks(execute=True):
        started = client_for(host).post(f"{URL}{stream.pk}/start/")
    twice = client_for(host).post(f"{URL}{stream.pk}/start/")

    assert (refused.status_code, refused.json()["code"]) == (403, "not_the_host")
    assert (started.status_code, started.json()["status"]) == (200, "live")
    assert (twice.status_code, twice.json()["code"]) == (409, "invalid_state")
    notified = Notification.objects.filter(type="livestream_started")
    assert sorted(notified.values_list("user__username", flat=True)) == [
        f"fan{i}" for i in range(5)
    ]
    assert notified.first().data["url"] == f"/live/{stream.pk}/"


def test_subscribers_and_followers_are_told_once_when_the_stream_goes_live(
    host, stream, alice, bob, settings, django_capture_on_commit_callbacks
):
    settings.LIVE_NOTIFY_BATCH_SIZE = 2
    fans = [member(username=f"fan{i}") for i in range(3)]
    for fan in fans:
        follow_create(actor=fan, followee=host)
    subscribe = f"{URL}{stream.pk}/subscription/"
    first = client_for(alice).post(subscribe)
    again = client_for(alice).post(subscribe)
    fan_too = client_for(fans[0]).post(subscribe)  # a follower who also subscribed: told once
    client_for(bob).post(subscribe)
    withdrawn = client_for(bob).delete(subscribe)
    detail = client_for(alice).get(f"{URL}{stream.pk}/").json()

    with django_capture_on_commit_callbacks(execute=True):
        client_for(host).post(f"{URL}{stream.pk}/start/")
    too_late = client_for(bob).post(subscribe)

    assert (first.status_code, again.status_code, fan_too.status_code) == (201, 200, 201)
    assert (withdrawn.status_code, detail["subscribed"]) == (204, True)
    assert (too_late.status_code, too_late.json()["code"]) == (409, "invalid_state")
    told = Notification.objects.filter(type="livestream_started")
    assert sorted(told.values_list("user__username", flat=True)) == [
        "alice",
        "fan0",
        "fan1",
        "fan2",
    ]


def test_subscribing_needs_a_member_and_a_real_stream(stream):
    anonymous = client_for(None).post(f"{URL}{stream.pk}/subscription/")
    missing = client_for(member(username="curious")).post(f"{URL}999999/subscription/")

    assert anonymous.status_code == 401
    assert missing.status_code == 404


def test_comments_are_persisted_with_seq_offset_and_idempotent(alice, bob, live):
    LiveStream.objects.filter(pk=live.pk).update(
        went_live_at=timezone.now() - timedelta(seconds=90)
    )
    first = _comment(alice, live, cid="a")
    retry = _comment(alice, live, cid="a")
    second = _comment(bob, live, "hello", cid="a")  # another person's id space

    assert (first.status_code, retry.status_code, second.status_code) == (201, 200, 201)
    assert retry.json()["id"] == first.json()["id"]
    assert [first.json()["seq"], second.json()["seq"]] == [1, 2]
    assert 89 <= first.json()["offset_seconds"] <= 95
    assert LiveComment.objects.count() == 2


def test_comments_only_while_live_and_replay_keeps_offsets_after(host, alice, stream, api_client):
    before = _comment(alice, stream)
    livestream_start(actor=host, stream=stream)
    stream.refresh_from_db()
    _comment(alice, stream, "one", "1")
    _comment(alice, stream, "two", "2")
    client_for(host).post(f"{URL}{stream.pk}/end/")
    after = _comment(alice, stream, "late", "3")
    replay = api_client.get(f"{URL}{stream.pk}/comments/?after_seq=0")

    assert (before.status_code, before.json()["code"]) == (409, "stream_not_live")
    assert (after.status_code, after.json()["code"]) == (409, "stream_not_live")
    assert [(c["seq"], c["body"]) for c in replay.json()["results"]] == [(1, "one"), (2, "two")]
    assert all("offset_seconds" in c for c in replay.json()["results"])


@pytest.mark.parametrize(
    "payload",
    [{"body": "", "client_msg_id": "x"}, {"body": "x" * 501, "client_msg_id": "x"}, {"body": "hi"}],
)
def test_bad_comments_are_refused(alice, live, payload):
    response = client_for(alice).post(f"{URL}{live.pk}/comments/", payload, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "validation_error")
    assert LiveComment.objects.count() == 0


def test_slow_mode_allows_one_comment_per_window_but_not_for_the_host(host, alice, live):
    refused_by_member = client_for(alice).patch(
        f"{URL}{live.pk}/", {"slow_mode_seconds": 30}, format="json"
    )
    set_by_host = client_for(host).patch(
        f"{URL}{live.pk}/", {"slow_mode_seconds": 30}, format="json"
    )

    first = _comment(alice, live, "1", "s1")
    second = _comment(alice, live, "2", "s2")
    hosts = [_comment(host, live, "h", f"h{i}").status_code for i in range(2)]

    assert (refused_by_member.status_code, refused_by_member.json()["code"]) == (
        403,
        "not_the_host",
    )
    assert set_by_host.json()["slow_mode_seconds"] == 30
    assert first.status_code == 201
    assert second.status_code == 429
    assert second.json() == {
        "code": "throttled",
        "detail": "Slow mode is on: wait before commenting again.",
        "reason": "slow_mode",
        "retry_after": 30,
    }
    assert second["Retry-After"] == "30"
    assert hosts == [201, 201]
    assert LiveComment.objects.filter(user=alice).count() == 1


def test_host_and_moderator_mute_and_delete_others_cannot(host, moderator, alice, bob, live):
    _comment(alice, live, "spam", "sp")

    by_member = client_for(bob).post(f"{URL}{live.pk}/mutes/", {"user": "alice"}, format="json")
    by_member_delete = client_for(bob).delete(f"{URL}{live.pk}/comments/1/")
    muted = client_for(moderator).post(f"{URL}{live.pk}/mutes/", {"user": "alice"}, format="json")
    deleted = client_for(host).delete(f"{URL}{live.pk}/comments/1/")
    while_muted = _comment(alice, live, "again", "ag")
    unmuted = client_for(host).delete(f"{URL}{live.pk}/mutes/alice/")
    after = _comment(alice, live, "sorry", "so")

    assert (by_member.status_code, by_member.json()["code"]) == (403, "not_the_host")
    assert by_member_delete.status_code == 403
    assert muted.status_code == 201
    assert deleted.status_code == 204
    assert (while_muted.status_code, while_muted.json()["code"]) == (403, "muted")
    assert unmuted.status_code == 204
    assert after.status_code == 201
    assert LiveComment.objects.get(seq=1).deleted_at is not None
    assert [
        c["body"] for c in client_for(bob).get(f"{URL}{live.pk}/comments/").json()["results"]
    ] == ["sorry"]
    assert LiveMute.objects.count() == 0


def test_likes_are_counted_in_the_cache_then_persisted(alice, bob, live):
    first = client_for(alice).post(f"{URL}{live.pk}/likes/", {"count": 5}, format="json")
    client_for(bob).post(f"{URL}{live.pk}/likes/", {}, format="json")
    too_many = client_for(bob).post(f"{URL}{live.pk}/likes/", {"count": 1000}, format="json")

    assert (first.status_code, first.json()["likes"]) == (202, 5)
    assert too_many.status_code == 400
    assert live_likes_persist(stream_id=live.pk) == 6
    assert live_likes_persist(stream_id=live.pk) == 6  # moving twice moves nothing twice
    assert client_for(alice).get(f"{URL}{live.pk}/").json()["likes"] == 6
    cache.clear()
    assert client_for(alice).get(f"{URL}{live.pk}/").json()["likes"] == 6


def test_likes_need_a_live_stream_and_sign_in(alice, stream, api_client):
    assert client_for(alice).post(f"{URL}{stream.pk}/likes/").json()["code"] == "stream_not_live"
    assert api_client.post(f"{URL}{stream.pk}/likes/").status_code == 401


def test_host_pins_a_product_and_the_detail_shows_its_live_card(host, alice, live, product):
    pinned = client_for(host).patch(
        f"{URL}{live.pk}/", {"pinned_product": product.pk}, format="json"
    )
    ghost = client_for(host).patch(f"{URL}{live.pk}/", {"pinned_product": 999999}, format="json")
    seen = client_for(alice).get(f"{URL}{live.pk}/").json()
    unpinned = client_for(host).patch(f"{URL}{live.pk}/", {"pinned_product": None}, format="json")

    assert pinned.json()["pinned_product"]["price"] == "19.90"
    assert (ghost.status_code, ghost.json()["code"]) == (400, "validation_error")
    assert (seen["pinned_product"]["id"], seen["pinned_product"]["title"]) == (
        product.pk,
        "Chili oil",
    )
    assert unpinned.json()["pinned_product"] is None


def test_unknown_stream_is_404_everywhere(alice):
    client = client_for(alice)
    assert client.get(f"{URL}999999/").status_code == 404
    assert _comment(alice, LiveStream(pk=999999)).status_code == 404
    assert client.post(f"{URL}999999/likes/").status_code == 404
    assert client.post(f"{URL}999999/start/").status_code == 404


def test_livestream_is_a_share_target(stream):
    target = share_target_resolve("livestream", stream.pk)

    assert (target.url, target.title, target.owner_id) == (
        f"/live/{stream.pk}/",
        "Spring tea tasting",
        stream.host_id,
    )
    assert share_target_resolve("livestream", 999999) is None


def test_livestream_permission_matrix_refusals_change_nothing(
    host, moderator, alice, live, api_client
):
    anonymous_comment = api_client.post(
        f"{URL}{live.pk}/comments/", {"body": "hi", "client_msg_id": "a"}, format="json"
    )
    member_end = client_for(alice).post(f"{URL}{live.pk}/end/")
    moderator_end = client_for(moderator).post(f"{URL}{live.pk}/end/")
    moderator_patch = client_for(moderator).patch(
        f"{URL}{live.pk}/", {"slow_mode_seconds": 9}, format="json"
    )
    anonymous_mute = api_client.post(f"{URL}{live.pk}/mutes/", {"user": "alice"}, format="json")
    _comment(alice, live, "hello", "h1")
    member_delete = client_for(alice).delete(f"{URL}{live.pk}/comments/1/")
    anonymous_delete = api_client.delete(f"{URL}{live.pk}/comments/1/")
    moderator_delete = client_for(moderator).delete(f"{URL}{live.pk}/comments/1/")
    host_mutes_self = client_for(host).post(f"{URL}{live.pk}/mutes/", {"user": "host_lily"})

    assert anonymous_comment.status_code == 401
    assert (member_end.status_code, member_end.json()["code"]) == (403, "not_the_host")
    assert (moderator_end.status_code, moderator_patch.status_code) == (403, 403)
    assert anonymous_mute.status_code == 401
    assert (member_delete.status_code, anonymous_delete.status_code) == (403, 401)
    assert moderator_delete.status_code == 204
    assert (host_mutes_self.status_code, host_mutes_self.json()["code"]) == (409, "invalid_state")
    live.refresh_from_db()
    assert (live.status, live.slow_mode_seconds) == ("live", 0)
    assert LiveMute.objects.count() == 0
    assert list(LiveComment.objects.values_list("user__username", flat=True)) == ["alice"]
