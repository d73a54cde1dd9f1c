"""Likes, saves and comments: idempotent, counted exactly, authors told once, blocks respected."""

import pytest

from community.models import Notification, TaskProgress
from community.services.social import block_create
from feeds.models import Comment, Like, Post, Save
from feeds.services.posts import post_moderate
from tests.factories import UserFactory
from tests.feeds.conftest import client_for, make_post

pytestmark = pytest.mark.django_db


def _counts(post) -> tuple[int, int, int]:
    row = Post.objects.get(pk=post.pk)
    return row.like_count, row.save_count, row.comment_count


def test_like_is_idempotent_and_tells_the_author_once(post, reader, author):
    client = client_for(reader)
    url = f"/api/v1/posts/{post.pk}/like/"

    first = client.post(url)
    second = client.post(url)
    assert first.json() == second.json() == {"active": True, "count": 1}
    client.delete(url)
    again = client.post(url)

    assert again.json() == {"active": True, "count": 1}
    assert Like.objects.filter(post=post).count() == 1
    liked = Notification.objects.filter(user=author, type="post_liked")
    assert liked.count() == 1
    assert liked.get().data == {"post_id": post.pk, "user_id": reader.pk}


def test_unlike_and_unsave_are_idempotent(post, reader):
    client = client_for(reader)
    client.post(f"/api/v1/posts/{post.pk}/save/")

    first = client.delete(f"/api/v1/posts/{post.pk}/save/")
    second = client.delete(f"/api/v1/posts/{post.pk}/save/")
    unliked = client.delete(f"/api/v1/posts/{post.pk}/like/")

    assert first.json() == second.json() == {"active": False, "count": 0}
    assert unliked.json() == {"active": False, "count": 0}
    assert _counts(post) == (0, 0, 0)
    assert Save.objects.count() == 0


def test_liking_your_own_post_counts_but_notifies_nobody(post, author):
    response = client_for(author).post(f"/api/v1/posts/{post.pk}/like/")

    assert response.json() == {"active": True, "count": 1}
    assert not Notification.objects.filter(type="post_liked").exists()


def test_interaction_permission_matrix(post, reader, staff, author):
    draft = make_post(author, title="draft", publish=False)
    for path in ("like", "save"):
        anonymous = client_for(None).post(f"/api/v1/posts/{post.pk}/{path}/")
        on_draft_by_other = client_for(reader).post(f"/api/v1/posts/{draft.pk}/{path}/")
        on_draft_by_owner = client_for(author).post(f"/api/v1/posts/{draft.pk}/{path}/")
        by_staff = client_for(staff).post(f"/api/v1/posts/{post.pk}/{path}/")
        assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_authenticated")
        assert (on_draft_by_other.status_code, on_draft_by_other.json()["code"]) == (
            404,
            "post_not_found",
        )
        assert (on_draft_by_owner.status_code, on_draft_by_owner.json()["code"]) == (
            409,
            "post_not_published",
        )
        assert by_staff.status_code == 200
    assert _counts(post) == (1, 1, 0)
    assert _counts(draft) == (0, 0, 0)


def test_comment_and_one_level_of_replies(post, reader, author):
    third = UserFactory(username="third")
    top = client_for(reader).post(
        f"/api/v1/posts/{post.pk}/comments/", {"body": "Looks great!"}, format="json"
    )
    reply = client_for(author).post(
        f"/api/v1/posts/{post.pk}/comments/",
        {"body": "Thanks", "parent": top.json()["id"]},
        format="json",
    )
    deep = client_for(third).post(
        f"/api/v1/posts/{post.pk}/comments/",
        {"body": "Agreed", "parent": reply.json()["id"]},
        format="json",
    )

    assert top.status_code == reply.status_code == deep.status_code == 201
    # A reply to a reply joins the thread of its root and remembers whom it answered.
    assert deep.json()["parent"] == top.json()["id"]
    assert deep.json()["reply_to"]["username"] == "lily"
    listing = client_for(None).get(f"/api/v1/posts/{post.pk}/comments/").json()["results"]
    assert [c["body"] for c in listing] == ["Looks great!"]
    assert [r["body"] for r in listing[0]["replies"]] == ["Thanks", "Agreed"]
    assert _counts(post)[2] == 3
    assert Notification.objects.filter(user=author, type="post_commented").count() == 1
    assert Notification.objects.filter(user=reader, type="reply").count() == 1
    assert Notification.objects.filter(user=author, type="reply").count() == 1
    assert TaskProgress.objects.get(user=reader, task__action="comment").count == 1


def test_deleting_a_top_comment_takes_its_thread_out_of_the_count(post, reader, author):
    top = (
        client_for(reader)
        .post(f"/api/v1/posts/{post.pk}/comments/", {"body": "Looks great!"}, format="json")
        .json()
    )
    for body in ("Thanks", "Agreed"):
        client_for(author).post(
            f"/api/v1/posts/{post.pk}/comments/",
            {"body": body, "parent": top["id"]},
            format="json",
        )
    other = (
        client_for(author)
        .post(f"/api/v1/posts/{post.pk}/comments/", {"body": "Standalone"}, format="json")
        .json()
    )
    assert _counts(post)[2] == 4

    deleted = client_for(reader).delete(f"/api/v1/comments/{top['id']}/")

    assert deleted.status_code == 204
    listing = client_for(None).get(f"/api/v1/posts/{post.pk}/comments/").json()["results"]
    assert [c["id"] for c in listing] == [other["id"]]
    assert _counts(post)[2] == 1  # what is shown is what is counted


def test_blocked_members_cannot_comment(post, reader, author):
    block_create(actor=author, blocked=reader)

    response = client_for(reader).post(
        f"/api/v1/posts/{post.pk}/comments/", {"body": "hi"}, format="json"
    )

    # The author's posts are hidden from the member they blocked, comment box included.
    assert (response.status_code, response.json()["code"]) == (404, "post_not_found")
    assert Comment.objects.count() == 0
    assert _counts(post)[2] == 0


def test_members_cannot_reply_to_a_commenter_who_blocked_them(post, reader):
    grumpy = UserFactory(username="grumpy")
    top = client_for(grumpy).post(
        f"/api/v1/posts/{post.pk}/comments/", {"body": "first"}, format="json"
    )
    block_create(actor=grumpy, blocked=reader)

    response = client_for(reader).post(
        f"/api/v1/posts/{post.pk}/comments/",
        {"body": "hey", "parent": top.json()["id"]},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (403, "blocked")
    assert Comment.objects.count() == 1
    assert _counts(post)[2] == 1


def test_blocking_hides_the_post_from_the_blocked_member(post, reader, author):
    block_create(actor=author, blocked=reader)

    response = client_for(reader).get(f"/api/v1/posts/{post.pk}/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "code"),
    [({"body": ""}, "validation_error"), ({"body": "x" * 1001}, "validation_error")],
)
def test_bad_comments_are_refused(post, reader, body, code):
    response = client_for(reader).post(f"/api/v1/posts/{post.pk}/comments/", body, format="json")

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert Comment.objects.count() == 0


def test_reply_to_a_missing_comment(post, reader):
    response = client_for(reader).post(
        f"/api/v1/posts/{post.pk}/comments/", {"body": "hi", "parent": 99999}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (404, "comment_not_found")
    assert Comment.objects.count() == 0


def test_comment_delete_matrix(post, reader, author, staff):
    other = UserFactory()
    ids = [
        client_for(reader)
        .post(f"/api/v1/posts/{post.pk}/comments/", {"body": f"c{i}"}, format="json")
        .json()["id"]
        for i in range(3)
    ]

    anonymous = client_for(None).delete(f"/api/v1/comments/{ids[0]}/")
    by_other = client_for(other).delete(f"/api/v1/comments/{ids[0]}/")
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_authenticated")
    assert (by_other.status_code, by_other.json()["code"]) == (403, "permission_denied")
    assert _counts(post)[2] == 3

    by_commenter = client_for(reader).delete(f"/api/v1/comments/{ids[0]}/")
    twice = client_for(reader).delete(f"/api/v1/comments/{ids[0]}/")
    by_post_author = client_for(author).delete(f"/api/v1/comments/{ids[1]}/")
    by_staff = client_for(staff).delete(f"/api/v1/comments/{ids[2]}/")
    missing = client_for(staff).delete("/api/v1/comments/999999/")

    assert [r.status_code for r in (by_commenter, twice, by_post_author, by_staff)] == [204] * 4
    assert (missing.status_code, missing.json()["code"]) == (404, "comment_not_found")
    assert _counts(post)[2] == 0
    assert client_for(None).get(f"/api/v1/posts/{post.pk}/comments/").json()["results"] == []


def test_hidden_posts_take_no_new_interactions(post, reader, staff):
    post_moderate(actor=staff, post=post, status="hidden")

    like = client_for(reader).post(f"/api/v1/posts/{post.pk}/like/")
    comment = client_for(reader).post(
        f"/api/v1/posts/{post.pk}/comments/", {"body": "hi"}, format="json"
    )

    assert like.status_code == comment.status_code == 404
    assert _counts(post) == (0, 0, 0)


def test_pin_matrix(author, reader, media):
    from community.services.communities import community_create, community_join

    club = community_create(actor=reader, name="Spice club", description="")
    community_join(actor=author, community=club)
    post = make_post(author, community_id=club.pk)
    url = f"/api/v1/posts/{post.pk}/pin/"

    by_member_author = client_for(author).post(url)
    anonymous = client_for(None).post(url)
    by_owner = client_for(reader).post(url)

    assert (by_member_author.status_code, by_member_author.json()["code"]) == (
        403,
        "permission_denied",
    )
    assert anonymous.status_code == 401
    assert by_owner.status_code == 200
    assert by_owner.json()["is_pinned"] is True
