"""Follow, block, profile extras and the follower lists (REST)."""

import pytest
from rest_framework.test import APIClient

from community.models import Block, Follow, Notification
from community.selectors.social import blocked_user_ids, users_blocked_between
from community.services import role_grant
from community.services.social import block_create, follow_create
from community.signals import user_blocked, user_followed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def follow_url(user) -> str:
    return f"/api/v1/users/{user.username}/follow/"


def block_url(user) -> str:
    return f"/api/v1/users/{user.username}/block/"


@pytest.fixture
def captured():
    """Domain signals received, as (signal name, kwargs without the sender/signal)."""
    received: list[tuple[str, dict]] = []

    def receiver_for(name):
        def receiver(sender, signal, **kwargs):
            received.append((name, kwargs))

        return receiver

    receivers = {
        "user_followed": receiver_for("user_followed"),
        "user_blocked": receiver_for("user_blocked"),
    }
    user_followed.connect(receivers["user_followed"])
    user_blocked.connect(receivers["user_blocked"])
    yield received
    user_followed.disconnect(receivers["user_followed"])
    user_blocked.disconnect(receivers["user_blocked"])


# --- follow ------------------------------------------------------------------------------------


def test_follow_creates_edge_notifies_followee_and_signals_on_commit(
    user, other_user, captured, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(follow_url(other_user))

    assert response.status_code == 204
    assert Follow.objects.filter(follower=user, followee=other_user).count() == 1
    note = Notification.objects.get(user=other_user)
    assert note.type == "follow"
    assert note.dedupe_key == f"follow:{user.id}"
    assert note.data == {"user_id": user.id, "username": user.username}
    assert captured == [("user_followed", {"follower_id": user.id, "followee_id": other_user.id})]


def test_follow_is_idempotent_and_notifies_once(
    user, other_user, captured, django_capture_on_commit_callbacks
):
    client = client_for(user)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(follow_url(other_user))
        second = client.post(follow_url(other_user))

    assert (first.status_code, second.status_code) == (204, 204)
    assert Follow.objects.count() == 1
    assert Notification.objects.filter(user=other_user).count() == 1
    assert len(captured) == 1


def test_follow_username_is_case_insensitive(user, other_user):
    response = client_for(user).post(f"/api/v1/users/{other_user.username.upper()}/follow/")

    assert response.status_code == 204
    assert Follow.objects.filter(follower=user, followee=other_user).exists()


def test_follow_matrix_anonymous_is_refused(api_client, other_user):
    for method in ("post", "delete"):
        response = getattr(api_client, method)(follow_url(other_user))
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
    assert Follow.objects.count() == 0


def test_follow_self_is_refused(user):
    response = client_for(user).post(follow_url(user))

    assert response.status_code == 400
    assert response.json() == {
        "code": "cannot_follow_self",
        "detail": "You cannot follow yourself.",
    }
    assert Follow.objects.count() == 0


def test_follow_unknown_or_deleted_user_is_404(user):
    gone = UserFactory(is_active=False)

    for target in ("nobody-here", gone.username):
        response = client_for(user).post(f"/api/v1/users/{target}/follow/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert Follow.objects.count() == 0


def test_moderator_follows_like_any_member(user):
    moderator = UserFactory()
    role_grant(actor=None, user=moderator, role="moderator")

    response = client_for(moderator).post(follow_url(user))

    assert response.status_code == 204
    assert Follow.objects.filter(follower=moderator, followee=user).exists()


@pytest.mark.parametrize("who_blocks", ["followee", "follower"])
def test_follow_is_refused_when_either_side_blocked(user, other_user, who_blocks):
    if who_blocks == "followee":
        block_create(actor=other_user, blocked=user)
    else:
        block_create(actor=user, blocked=other_user)

    response = client_for(user).post(follow_url(other_user))

    assert response.status_code == 403
    assert response.json()["code"] == "blocked"
    assert Follow.objects.count() == 0
    assert Notification.objects.count() == 0


def test_unfollow_removes_edge_and_is_idempotent(user, other_user):
    follow_create(actor=user, followee=other_user)
    client = client_for(user)

    assert client.delete(follow_url(other_user)).status_code == 204
    assert client.delete(follow_url(other_user)).status_code == 204

    assert Follow.objects.count() == 0


def test_unfollow_only_removes_own_edge(user, other_user):
    third = UserFactory()
    follow_create(actor=third, followee=other_user)

    response = client_for(user).delete(follow_url(other_user))

    assert response.status_code == 204
    assert Follow.objects.filter(follower=third, followee=other_user).exists()


# --- block -------------------------------------------------------------------------------------


def test_block_removes_follows_both_ways_and_signals(
    user, other_user, captured, django_capture_on_commit_callbacks
):
    follow_create(actor=user, followee=other_user)
    follow_create(actor=other_user, followee=user)
    captured.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(block_url(other_user))

    assert response.status_code == 204
    assert Follow.objects.count() == 0
    assert Block.objects.filter(blocker=user, blocked=other_user).count() == 1
    assert captured == [("user_blocked", {"blocker_id": user.id, "blocked_id": other_user.id})]
    assert users_blocked_between(user.id, other_user.id)
    assert users_blocked_between(other_user.id, user.id)
    assert blocked_user_ids(user) == {other_user.id}
    assert blocked_user_ids(other_user) == {user.id}


def test_blocked_user_cannot_follow_back(user, other_user):
    client_for(user).post(block_url(other_user))

    response = client_for(other_user).post(follow_url(user))

    assert response.status_code == 403
    assert response.json()["code"] == "blocked"
    assert Follow.objects.count() == 0


def test_block_is_idempotent_and_unblock_lifts_it(user, other_user):
    client = client_for(user)

    assert client.post(block_url(other_user)).status_code == 204
    assert client.post(block_url(other_user)).status_code == 204
    assert Block.objects.count() == 1
    assert client.delete(block_url(other_user)).status_code == 204
    assert client.delete(block_url(other_user)).status_code == 204

    assert Block.objects.count() == 0
    assert client_for(other_user).post(follow_url(user)).status_code == 204


def test_block_self_is_refused(user):
    response = client_for(user).post(block_url(user))

    assert response.status_code == 400
    assert response.json()["code"] == "cannot_block_self"
    assert Block.objects.count() == 0


def test_block_matrix_anonymous_is_refused(api_client, other_user):
    for method in ("post", "delete"):
        response = getattr(api_client, method)(block_url(other_user))
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
    assert Block.objects.count() == 0


def test_unblock_by_someone_else_changes_nothing(user, other_user):
    third = UserFactory()
    block_create(actor=user, blocked=other_user)

    response = client_for(third).delete(block_url(other_user))

    assert response.status_code == 204
    assert Block.objects.filter(blocker=user, blocked=other_user).exists()


def test_my_blocks_lists_only_my_blocks(user, other_user, api_client):
    third = UserFactory()
    block_create(actor=user, blocked=other_user)
    block_create(actor=third, blocked=user)

    response = client_for(user).get("/api/v1/me/blocks/")

    assert response.status_code == 200
    body = response.json()
    assert [row["user"]["username"] for row in body["results"]] == [other_user.username]
    assert body["next"] is None
    assert api_client.get("/api/v1/me/blocks/").status_code == 401


# --- profile extras ----------------------------------------------------------------------------


def test_profile_shows_counts_and_viewer_relation(user, other_user):
    follow_create(actor=user, followee=other_user)
    follow_create(actor=other_user, followee=user)
    follow_create(actor=UserFactory(), followee=other_user)
    follow_create(actor=UserFactory(is_active=True), followee=other_user)

    body = client_for(user).get(f"/api/v1/users/{other_user.username}/profile/").json()

    assert body["username"] == other_user.username
    assert body["followers_count"] == 3
    assert body["following_count"] == 1
    assert body["is_following"] is True
    assert body["follows_me"] is True
    assert body["blocked_by_me"] is False
    assert "points_balance" not in body


def test_profile_for_visitors_and_self_has_no_relation(api_client, user, other_user):
    follow_create(actor=user, followee=other_user)

    anonymous = api_client.get(f"/api/v1/users/{other_user.username}/profile/")
    own = client_for(other_user).get(f"/api/v1/users/{other_user.username}/profile/")

    assert anonymous.status_code == own.status_code == 200
    assert anonymous.json()["followers_count"] == 1
    assert anonymous.json()["is_following"] is False
    assert own.json()["is_following"] is False


def test_profile_counts_skip_deleted_accounts(user, other_user):
    ghost = UserFactory()
    follow_create(actor=ghost, followee=other_user)
    ghost.is_active = False
    ghost.save(update_fields=["is_active"])

    body = client_for(user).get(f"/api/v1/users/{other_user.username}/profile/").json()

    assert body["followers_count"] == 0


def test_profile_of_unknown_user_is_404(api_client):
    response = api_client.get("/api/v1/users/nobody-here/profile/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_existing_user_detail_is_unchanged(api_client, other_user):
    body = api_client.get(f"/api/v1/users/{other_user.username}/").json()

    assert "followers_count" not in body


# --- follower lists ----------------------------------------------------------------------------


def test_followers_and_following_lists_newest_first(api_client, user):
    fans = UserFactory.create_batch(3)
    for fan in fans:
        follow_create(actor=fan, followee=user)
    idols = UserFactory.create_batch(2)
    for idol in idols:
        follow_create(actor=user, followee=idol)

    followers = api_client.get(f"/api/v1/users/{user.username}/followers/").json()
    following = api_client.get(f"/api/v1/users/{user.username}/following/").json()

    assert [r["user"]["username"] for r in followers["results"]] == [
        f.username for f in reversed(fans)
    ]
    assert [r["user"]["username"] for r in following["results"]] == [
        i.username for i in reversed(idols)
    ]
    assert set(followers) == {"next", "previous", "results"}


def test_followers_list_paginates_with_cursor(api_client, user):
    for fan in UserFactory.create_batch(5):
        follow_create(actor=fan, followee=user)

    first = api_client.get(f"/api/v1/users/{user.username}/followers/?page_size=2").json()
    second = api_client.get(first["next"]).json()

    assert len(first["results"]) == len(second["results"]) == 2
    seen = {r["user"]["id"] for r in first["results"]} | {
        r["user"]["id"] for r in second["results"]
    }
    assert len(seen) == 4


def test_followers_list_hides_people_with_a_block_for_the_viewer(user, other_user):
    fan = UserFactory()
    follow_create(actor=fan, followee=other_user)
    follow_create(actor=UserFactory(), followee=other_user)
    block_create(actor=fan, blocked=user)

    body = client_for(user).get(f"/api/v1/users/{other_user.username}/followers/").json()

    assert fan.username not in [r["user"]["username"] for r in body["results"]]
    assert len(body["results"]) == 1


@pytest.mark.parametrize("kind", ["followers", "following"])
def test_follow_lists_use_constant_queries(user, kind, django_assert_max_num_queries):
    viewer = client_for(UserFactory())

    def grow(n):
        for other in UserFactory.create_batch(n):
            if kind == "followers":
                follow_create(actor=other, followee=user)
            else:
                follow_create(actor=user, followee=other)

    grow(2)
    with django_assert_max_num_queries(3):
        small = viewer.get(f"/api/v1/users/{user.username}/{kind}/")
    grow(15)
    with django_assert_max_num_queries(3):
        large = viewer.get(f"/api/v1/users/{user.username}/{kind}/")

    assert len(small.json()["results"]) == 2
    assert len(large.json()["results"]) == 17


def test_my_blocks_uses_constant_queries(user, django_assert_max_num_queries):
    for other in UserFactory.create_batch(12):
        block_create(actor=user, blocked=other)

    with django_assert_max_num_queries(2):
        response = client_for(user).get("/api/v1/me/blocks/")

    assert len(response.json()["results"]) == 12
