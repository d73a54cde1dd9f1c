"""Moderating comments: reports hide a comment from the thread and the note's count (its author
still sees it, marked), a moderator approves it back or removes it, watched words apply when
commenting, and a comment its author deleted is never brought back."""

import pytest

from community.models import Notification
from feeds.models import Comment, Post
from tests.factories import UserFactory
from tests.feeds.conftest import client_for, decide, outcomes, queue_item, report, watch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "hide_at_two_reports")]


def _comment(member, post, body="Looks delicious", parent=None):
    data = {"body": body} if parent is None else {"body": body, "parent": parent}
    return client_for(member).post(f"/api/v1/posts/{post.pk}/comments/", data, format="json")


def _thread(member, post) -> list[tuple]:
    """(id, status, [reply ids]) of the thread as ``member`` reads it."""
    response = client_for(member).get(f"/api/v1/posts/{post.pk}/comments/")
    assert response.status_code == 200, response.json()
    return [
        (c["id"], c["status"], [r["id"] for r in c["replies"]]) for c in response.json()["results"]
    ]


def _count(post) -> int:
    return Post.objects.values_list("comment_count", flat=True).get(pk=post.pk)


def test_two_reports_hide_a_comment_from_the_thread_but_not_from_its_author(
    post, reader, reporters, moderator
):
    kept = _comment(UserFactory(), post, "Nice").json()["id"]
    reported = _comment(reader, post, "Buy followers at my shop").json()["id"]
    assert _count(post) == 2

    report("comment", reported, *reporters)

    third = UserFactory()
    assert _thread(third, post) == [(kept, "visible", [])]
    assert _thread(None, post) == [(kept, "visible", [])]
    assert _count(post) == 1
    assert _thread(reader, post) == [(kept, "visible", []), (reported, "hidden", [])]
    assert (reported, "hidden", []) in _thread(moderator, post)
    item = queue_item(moderator, "comment", reported)
    assert item["hidden"] is True
    assert item["preview"]["text"] == "Buy followers at my shop"
    detail = client_for(moderator).get(f"/api/v1/moderation/items/{item['id']}/").json()
    assert detail["context"][0]["kind"] == "post"
    assert detail["context"][0]["id"] == post.pk


def test_a_moderator_approves_the_comment_and_it_is_back_in_the_count(
    post, reader, reporters, moderator
):
    reported = _comment(reader, post).json()["id"]
    report("comment", reported, *reporters)

    decide(moderator, queue_item(moderator, "comment", reported), "approve", reason="")

    assert _thread(UserFactory(), post) == [(reported, "visible", [])]
    assert _count(post) == 1


def test_a_removed_comment_stays_hidden_and_everyone_involved_is_told(
    post, reader, reporters, moderator
):
    reported = _comment(reader, post).json()["id"]
    report("comment", reported, *reporters)

    decide(moderator, queue_item(moderator, "comment", reported), "remove", reason="Spam link")

    assert _thread(UserFactory(), post) == []
    assert _count(post) == 0
    for member in (reader, *reporters):
        data = outcomes(member)[-1]["data"]
        assert (data["action"], data["target_type"], data["target_id"]) == (
            "remove",
            "comment",
            reported,
        )


def test_a_hidden_top_comment_takes_its_replies_out_of_the_thread_and_the_count(
    post, reader, reporters, moderator
):
    top = _comment(reader, post, "Top").json()["id"]
    reply = _comment(UserFactory(), post, "Reply", parent=top).json()["id"]
    assert _count(post) == 2

    report("comment", top, *reporters)

    assert _thread(UserFactory(), post) == []
    assert _count(post) == 0

    decide(moderator, queue_item(moderator, "comment", top), "approve", reason="")

    assert _thread(UserFactory(), post) == [(top, "visible", [reply])]
    assert _count(post) == 2


def test_a_comment_its_author_deleted_is_not_brought_back_by_an_approval(
    post, reader, reporters, moderator
):
    reported = _comment(reader, post).json()["id"]
    report("comment", reported, *reporters)
    deleted = client_for(reader).delete(f"/api/v1/comments/{reported}/")
    assert deleted.status_code == 204

    decide(moderator, queue_item(moderator, "comment", reported), "approve", reason="")

    assert Comment.objects.get(pk=reported).status == "removed"
    assert _thread(reader, post) == []
    assert _count(post) == 0


# --- watched words ----------------------------------------------------------------------------


def test_a_blocked_word_is_refused_and_nothing_is_stored(post, reader, moderator, author):
    watch(moderator, "加微信", "block")

    response = _comment(reader, post, "便宜 加 微 信 详聊")

    assert (response.status_code, response.json()["code"]) == (400, "blocked_word")
    assert Comment.objects.count() == 0
    assert _count(post) == 0
    assert not Notification.objects.filter(user=author, type="post_commented").exists()


def test_a_censored_word_is_masked(post, reader, moderator):
    watch(moderator, "dang", "censor")

    response = _comment(reader, post, "Dang, that looks good")

    assert response.json()["body"] == "****, that looks good"
    assert _thread(UserFactory(), post)[0][0] == response.json()["id"]


def test_a_word_that_asks_for_approval_holds_the_comment_until_approved(
    post, reader, moderator, author
):
    watch(moderator, "dm me", "require_approval")

    response = _comment(reader, post, "DM me for the recipe")

    comment_id = response.json()["id"]
    assert (response.status_code, response.json()["status"]) == (201, "hidden")
    assert _thread(UserFactory(), post) == []
    assert _count(post) == 0
    assert not Notification.objects.filter(user=author, type="post_commented").exists()
    item = queue_item(moderator, "comment", comment_id)
    assert (item["source"], item["hidden"]) == ("watched_word", True)

    decide(moderator, item, "approve", reason="")

    assert _thread(UserFactory(), post) == [(comment_id, "visible", [])]
    assert _count(post) == 1


def test_a_flagged_word_shows_the_comment_and_queues_it(post, reader, moderator):
    watch(moderator, "discount code", "flag")

    response = _comment(reader, post, "Discount code inside")

    assert response.json()["status"] == "visible"
    assert _count(post) == 1
    assert queue_item(moderator, "comment", response.json()["id"])["hidden"] is False


def test_a_muted_member_cannot_comment(post, reader, reporters, moderator):
    reported = _comment(reader, post).json()["id"]
    report("comment", reported, *reporters)
    decide(moderator, queue_item(moderator, "comment", reported), "mute", duration_hours=2)
    reader.refresh_from_db()  # as the next request would load them

    response = _comment(reader, post, "I'm back")

    assert (response.status_code, response.json()["code"]) == (403, "sanctioned")
    assert Comment.objects.count() == 1
