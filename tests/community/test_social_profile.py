"""Own profile: avatar pipeline, interests, friend suggestions, data export, account deletion."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from community.models import (
    Block,
    Community,
    CommunityMembership,
    Follow,
    InterestTag,
    Notification,
    PointsEntry,
    User,
)
from community.services.communities import community_create, community_join
from community.services.social import block_create, follow_create, user_interests_set
from community.signals import community_member_left, community_member_role_changed, user_deleted
from tests.factories import PASSWORD, UserFactory, token_for

pytestmark = pytest.mark.django_db

AVATAR = "/api/v1/me/avatar/"
INTERESTS = "/api/v1/me/interests/"
SUGGESTIONS = "/api/v1/me/suggestions/"
EXPORT = "/api/v1/me/export/"
ACCOUNT = "/api/v1/me/account/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def image_bytes(fmt="PNG", size=(64, 48), mode="RGB", noise=False, **save) -> bytes:
    image = Image.new(mode, size, "red")
    if noise:
        image = Image.effect_noise(size, 80).convert(mode)
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def upload(data: bytes, name="avatar.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


# --- avatar ------------------------------------------------------------------------------------


def test_avatar_upload_stores_reencoded_image(user, media):
    response = client_for(user).post(AVATAR, {"avatar": upload(image_bytes())}, format="multipart")

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.avatar.name.endswith(".png")
    assert response.json()["avatar_url"].endswith(user.avatar.name)
    with Image.open(media / user.avatar.name) as stored:
        assert stored.format == "PNG"
        assert stored.size == (64, 48)


def test_avatar_is_resized_to_at_most_512(user, media):
    data = image_bytes("JPEG", size=(1600, 900))

    client_for(user).post(
        AVATAR, {"avatar": upload(data, "a.jpg", "image/jpeg")}, format="multipart"
    )

    user.refresh_from_db()
    with Image.open(media / user.avatar.name) as stored:
        assert max(stored.size) == 512
        assert stored.size == (512, 288)


def test_avatar_exif_is_stripped_and_orientation_applied(user, media):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "SecretCam"  # make
    exif[0x8825] = {2: (30.0, 15.0, 0.0)}  # GPS latitude
    data = image_bytes("JPEG", size=(80, 40), exif=exif.tobytes())
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif()[0x010F] == "SecretCam"

    response = client_for(user).post(
        AVATAR, {"avatar": upload(data, "me.jpg", "image/jpeg")}, format="multipart"
    )

    assert response.status_code == 200
    user.refresh_from_db()
    raw = (media / user.avatar.name).read_bytes()
    assert b"SecretCam" not in raw
    with Image.open(io.BytesIO(raw)) as stored:
        assert dict(stored.getexif()) == {}
        assert stored.size == (40, 80)  # upright now


def test_new_avatar_replaces_and_deletes_the_old_file(
    user, media, django_capture_on_commit_callbacks
):
    client = client_for(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(AVATAR, {"avatar": upload(image_bytes())}, format="multipart")
    user.refresh_from_db()
    first = user.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            AVATAR,
            {"avatar": upload(image_bytes("WEBP"), "a.webp", "image/webp")},
            format="multipart",
        )

    user.refresh_from_db()
    assert user.avatar.name.endswith(".webp")
    assert not (media / first).exists()
    assert len(stored_files(media)) == 1


def _decompression_bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG")  # 100 Mpx in a few KB
    return out.getvalue()


def _truncated_png() -> bytes:
    data = image_bytes(size=(200, 200), noise=True)
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("name", "make", "content_type", "code"),
    [
        ("bomb.png", _decompression_bomb, "image/png", "image_too_large"),
        ("cut.png", _truncated_png, "image/png", "invalid_image"),
        (
            "note.jpg",
            lambda: b"just some text, not a JPEG at all\n" * 20,
            "image/jpeg",
            "invalid_image",
        ),
        (
            "huge.jpg",
            lambda: image_bytes("JPEG") + b"\0" * (5 * 1024 * 1024),
            "image/jpeg",
            "image_too_large",
        ),
        ("anim.gif", lambda: image_bytes("GIF"), "image/gif", "invalid_image"),
        ("pic.bmp", lambda: image_bytes("BMP"), "image/bmp", "invalid_image"),
    ],
)
def test_avatar_refusals_store_nothing(user, media, name, make, content_type, code):
    data = make()
    assert len(data) < 6 * 1024 * 1024

    response = client_for(user).post(
        AVATAR, {"avatar": upload(data, name, content_type)}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["code"] == code
    user.refresh_from_db()
    assert not user.avatar
    assert stored_files(media) == []


def test_avatar_without_file_is_a_validation_error(user, media):
    response = client_for(user).post(AVATAR, {}, format="multipart")

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert "avatar" in response.json()["fields"]


def test_avatar_matrix_anonymous_is_refused(api_client, media):
    response = api_client.post(AVATAR, {"avatar": upload(image_bytes())}, format="multipart")

    assert response.status_code == 401
    assert stored_files(media) == []


# --- interests ---------------------------------------------------------------------------------


def test_interests_are_replaced_and_matched_regardless_of_case(user):
    InterestTag.objects.create(name="Running")

    response = client_for(user).put(
        INTERESTS, {"tags": ["running", "  Tea ", "tea", "film  camera"]}
    )

    assert response.status_code == 200
    assert response.json() == {"tags": ["film camera", "Running", "Tea"]}
    assert InterestTag.objects.filter(name__iexact="running").count() == 1
    assert set(user.interest_tags.values_list("name", flat=True)) == {
        "Running",
        "Tea",
        "film camera",
    }
    assert client_for(user).get(INTERESTS).json() == {"tags": ["film camera", "Running", "Tea"]}


def test_interests_cap_at_ten_and_refusal_changes_nothing(user):
    user_interests_set(actor=user, names=["tea"])

    response = client_for(user).put(INTERESTS, {"tags": [f"tag{n}" for n in range(11)]})

    assert response.status_code == 400
    assert response.json()["code"] == "too_many_interests"
    assert list(user.interest_tags.values_list("name", flat=True)) == ["tea"]
    assert InterestTag.objects.count() == 1


def test_interests_matrix_anonymous_is_refused(api_client):
    response = api_client.put(INTERESTS, {"tags": ["tea"]})

    assert response.status_code == 401
    assert InterestTag.objects.count() == 0


# --- suggestions -------------------------------------------------------------------------------


def test_suggestions_rank_by_shared_tags_and_communities(user):
    user_interests_set(actor=user, names=["tea", "running", "film"])
    club = community_create(actor=UserFactory(), name="Tea club")
    community_join(actor=user, community=club)
    three = UserFactory(username="three")
    user_interests_set(actor=three, names=["tea", "running", "film"])
    two_plus_one = UserFactory(username="twoplusone")
    user_interests_set(actor=two_plus_one, names=["tea", "running"])
    community_join(actor=two_plus_one, community=club)
    one = UserFactory(username="one")
    user_interests_set(actor=one, names=["Film", "gaming"])
    stranger = UserFactory(username="stranger")
    user_interests_set(actor=stranger, names=["gaming"])

    body = client_for(user).get(SUGGESTIONS).json()

    ranked = [
        (r["username"], r["shared_tags"], r["shared_communities"], r["score"])
        for r in body["results"]
    ]
    # ties go to shared communities: the club's owner (one community) before "one" (one tag)
    assert ranked == [
        ("twoplusone", 2, 1, 3),
        ("three", 3, 0, 3),
        (club.owner.username, 0, 1, 1),
        ("one", 1, 0, 1),
    ]


def test_suggestions_exclude_followed_blocked_and_deleted(user):
    user_interests_set(actor=user, names=["tea"])
    followed, blocked, blocker, gone, fine = UserFactory.create_batch(5)
    for other in (followed, blocked, blocker, gone, fine):
        user_interests_set(actor=other, names=["tea"])
    follow_create(actor=user, followee=followed)
    block_create(actor=user, blocked=blocked)
    block_create(actor=blocker, blocked=user)
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    body = client_for(user).get(SUGGESTIONS).json()

    assert [r["username"] for r in body["results"]] == [fine.username]


def test_suggestions_use_one_query_and_require_login(
    user, api_client, django_assert_max_num_queries
):
    user_interests_set(actor=user, names=["tea"])
    for other in UserFactory.create_batch(8):
        user_interests_set(actor=other, names=["tea"])

    with django_assert_max_num_queries(1):
        response = client_for(user).get(SUGGESTIONS)

    assert len(response.json()["results"]) == 8
    assert api_client.get(SUGGESTIONS).status_code == 401


# --- export ------------------------------------------------------------------------------------


def test_export_contains_all_my_data_and_nobody_elses(user, other_user):
    user_interests_set(actor=user, names=["tea"])
    follow_create(actor=user, followee=other_user)
    follow_create(actor=other_user, followee=user)
    third = UserFactory()
    block_create(actor=user, blocked=third)
    community = community_create(actor=user, name="Tea lovers")
    PointsEntry.objects.create(
        user=user, delta=15, reason="checkin", idempotency_key="k1", balance_after=15
    )
    PointsEntry.objects.create(
        user=other_user, delta=5, reason="checkin", idempotency_key="k2", balance_after=5
    )

    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client_for(user).get(EXPORT, HTTP_ACCEPT=browser_accept)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    body = response.json()
    assert body["profile"]["username"] == user.username
    assert body["interests"] == ["tea"]
    assert [f["username"] for f in body["following"]] == [other_user.username]
    assert [f["username"] for f in body["followers"]] == [other_user.username]
    assert [b["username"] for b in body["blocks"]] == [third.username]
    assert body["communities"] == [
        {
            "id": community.id,
            "name": "Tea lovers",
            "role": "owner",
            "status": "active",
            "since": body["communities"][0]["since"],
        }
    ]
    assert [(e["delta"], e["reason"]) for e in body["points_ledger"]] == [(15, "checkin")]
    assert body["notifications"][0]["type"] == "follow"
    assert "password" not in str(body["profile"])


def test_export_requires_login(api_client):
    assert api_client.get(EXPORT).status_code == 401


# --- account deletion --------------------------------------------------------------------------


@pytest.fixture
def deletion_signals():
    received = []

    def on_deleted(sender, signal, **kwargs):
        received.append(("user_deleted", kwargs))

    def on_left(sender, signal, **kwargs):
        received.append(("left", kwargs))

    def on_role(sender, signal, **kwargs):
        received.append(("role", kwargs))

    user_deleted.connect(on_deleted)
    community_member_left.connect(on_left)
    community_member_role_changed.connect(on_role)
    yield received
    user_deleted.disconnect(on_deleted)
    community_member_left.disconnect(on_left)
    community_member_role_changed.disconnect(on_role)


def test_delete_account_anonymises_and_keeps_ledgers(
    user, other_user, media, deletion_signals, django_capture_on_commit_callbacks
):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    client.post(AVATAR, {"avatar": upload(image_bytes())}, format="multipart")
    user.refresh_from_db()
    avatar_file = media / user.avatar.name
    user_interests_set(actor=user, names=["tea"])
    follow_create(actor=user, followee=other_user)
    follow_create(actor=other_user, followee=user)
    block_create(actor=user, blocked=UserFactory())
    joined = community_create(actor=other_user, name="Joined")
    community_join(actor=user, community=joined)
    PointsEntry.objects.create(
        user=user, delta=10, reason="checkin", idempotency_key="d1", balance_after=10
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(ACCOUNT, {"password": PASSWORD})

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.username == f"deleted-{user.id}"
    assert (user.display_name, user.bio, user.region, user.avatar.name) == ("", "", "", "")
    assert not user.is_active
    assert user.deleted_at is not None
    assert not user.has_usable_password()
    assert not Token.objects.filter(user=user).exists()
    assert not Follow.objects.filter(follower=user).exists()
    assert not Follow.objects.filter(followee=user).exists()
    assert not Block.objects.filter(blocker=user).exists()
    assert not CommunityMembership.objects.filter(user=user).exists()
    assert user.interest_tags.count() == 0
    joined.refresh_from_db()
    assert joined.member_count == 1
    assert PointsEntry.objects.filter(user=user).count() == 1
    assert not avatar_file.exists()
    assert ("user_deleted", {"user_id": user.id}) in deletion_signals
    assert ("left", {"community_id": joined.id, "user_id": user.id}) in deletion_signals
    # the old token no longer works
    assert client.get("/api/v1/me/").status_code == 401


def test_delete_account_hands_owned_communities_to_longest_standing_leader(user):
    community = community_create(actor=user, name="Handover")
    early_member, leader_late, leader_early = UserFactory.create_batch(3)
    community_join(actor=early_member, community=community)
    community_join(actor=leader_early, community=community)
    community_join(actor=leader_late, community=community)
    owner_client = client_for(user)
    for leader in (leader_late, leader_early):
        owner_client.post(
            f"/api/v1/communities/{community.id}/members/{leader.id}/role/", {"role": "leader"}
        )

    response = owner_client.delete(ACCOUNT, {"password": PASSWORD})

    assert response.status_code == 204
    community.refresh_from_db()
    assert community.owner_id == leader_early.id
    assert CommunityMembership.objects.get(community=community, user=leader_early).role == "owner"
    assert community.member_count == 3


def test_delete_account_hands_over_to_longest_standing_member_without_leaders(user):
    community = community_create(actor=user, name="No leaders")
    first, second = UserFactory.create_batch(2)
    community_join(actor=first, community=community)
    community_join(actor=second, community=community)

    client_for(user).delete(ACCOUNT, {"password": PASSWORD})

    community.refresh_from_db()
    assert community.owner_id == first.id
    assert community.member_count == 2


def test_delete_account_keeps_a_lonely_community_owned_by_the_anonymised_account(user):
    community = community_create(actor=user, name="Lonely")

    response = client_for(user).delete(ACCOUNT, {"password": PASSWORD})

    assert response.status_code == 204
    community.refresh_from_db()
    assert community.owner_id == user.id
    assert community.member_count == 0
    assert Community.objects.count() == 1


def test_delete_account_with_wrong_password_changes_nothing(user, other_user):
    follow_create(actor=user, followee=other_user)
    username = user.username

    response = client_for(user).delete(ACCOUNT, {"password": "not-my-password"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    user.refresh_from_db()
    assert user.username == username
    assert user.is_active
    assert Follow.objects.count() == 1


def test_delete_account_matrix(api_client, user, other_user):
    anonymous = api_client.delete(ACCOUNT, {"password": PASSWORD})
    missing = client_for(user).delete(ACCOUNT, {})

    assert anonymous.status_code == 401
    assert missing.status_code == 400
    assert missing.json()["code"] == "validation_error"
    assert User.objects.filter(is_active=True).count() == 2


def test_deleted_account_disappears_from_profiles(api_client, user):
    client_for(user).delete(ACCOUNT, {"password": PASSWORD})

    assert api_client.get(f"/api/v1/users/deleted-{user.id}/profile/").status_code == 404
    assert Notification.objects.filter(user=user).count() == 0
