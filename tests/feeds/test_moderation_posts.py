"""Moderating notes (PRODUCT.md §15, API.md "Moderation"): reports hide a note from every surface
but its author's and the moderators' view, a moderator approves it back or removes it, watched
words are applied at create and edit, new members' notes wait for approval, and a muted member
cannot post."""

import pytest

from community.models import MemberTrust
from community.services.social import follow_create
from feeds.models import Post, Topic
from tests.factories import UserFactory
from tests.feeds.conftest import (
    client_for,
    decide,
    make_post,
    outcomes,
    queue_item,
    report,
    watch,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "hide_at_two_reports")]


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    body = response.json()
    return [p["id"] for p in (body["results"] if isinstance(body, dict) else body)]


def _everywhere(member, post: Post) -> dict[str, bool]:
    """Where ``member`` finds the note: its page, the feeds, its topic, search, the profile list."""
    client = client_for(member)
    following = member is not None and post.pk in _ids(client.get("/api/v1/feeds/following/"))
    return {
        "detail": client.get(f"/api/v1/posts/{post.pk}/").status_code == 200,
        "comments": client.get(f"/api/v1/posts/{post.pk}/comments/").status_code == 200,
        "following": following,
        "trending": post.pk in _ids(client.get("/api/v1/feeds/trending/")),
        "topic": post.pk in _ids(client.get("/api/v1/topics/noodles/posts/")),
        "search": post.pk in _ids(client.get("/api/v1/search/", {"q": "Biangbiang"})),
        "profile": post.pk in _ids(client.get("/api/v1/posts/", {"author": "lily"})),
    }


ALL = dict.fromkeys(
    ("detail", "comments", "following", "trending", "topic", "search", "profile"), True
)
NOWHERE = dict.fromkeys(ALL, False)


@pytest.fixture
def note(author, reader):
    follow_create(actor=reader, followee=author)
    post = make_post(author, title="Biangbiang noodles", body="Hand-pulled #noodles")
    Post.objects.filter(pk=post.pk).update(hot_score=1.0)  # the periodic ranking ran
    return post


def test_two_reports_hide_a_note_everywhere_but_for_its_author_and_moderators(
    note, author, reader, reporters, moderator
):
    assert _everywhere(reader, note) == ALL

    report("post", note.pk, *reporters)

    note.refresh_from_db()
    assert note.status == "hidden"
    assert _everywhere(reader, note) == NOWHERE
    assert _everywhere(None, note) == NOWHERE
    assert Topic.objects.get(name="noodles").post_count == 0
    own = client_for(author).get(f"/api/v1/posts/{note.pk}/")
    assert (own.status_code, own.json()["status"]) == (200, "hidden")
    mine = client_for(author).get("/api/v1/posts/", {"author": "lily"}).json()["results"]
    assert [(p["id"], p["status"]) for p in mine] == [(note.pk, "hidden")]
    assert client_for(moderator).get(f"/api/v1/posts/{note.pk}/").status_code == 200
    item = queue_item(moderator, "post", note.pk)
    assert (item["hidden"], item["reports_count"]) == (True, 2)
    assert item["preview"]["author"] == "lily"
    assert item["preview"]["text"].startswith("Biangbiang noodles")


def test_a_hidden_note_leaves_the_for_you_feed(author, reader, reporters):
    follow_create(actor=reader, followee=author)
    kept = make_post(author, title="Kept note")
    hidden = make_post(author, title="Reported note")

    report("post", hidden.pk, *reporters)

    shown = [p["id"] for p in client_for(reader).get("/api/v1/feeds/for-you/").json()["results"]]
    assert kept.pk in shown
    assert hidden.pk not in shown


def test_a_moderator_approves_the_hidden_note_and_it_is_back(
    note, author, reader, reporters, moderator
):
    report("post", note.pk, *reporters)

    decide(moderator, queue_item(moderator, "post", note.pk), "approve", reason="")

    note.refresh_from_db()
    assert note.status == "published"
    assert _everywhere(reader, note) == ALL
    assert Topic.objects.get(name="noodles").post_count == 1
    told = outcomes(reporters[0])
    assert [n["data"]["action"] for n in told] == ["approve"]


def test_a_moderator_removes_the_note_and_author_and_reporters_are_told(
    note, author, reader, reporters, moderator
):
    report("post", note.pk, *reporters)

    decision = decide(moderator, queue_item(moderator, "post", note.pk), "remove", reason="Spam")

    note.refresh_from_db()
    assert note.status == "hidden"
    assert _everywhere(reader, note) == NOWHERE
    assert client_for(author).get(f"/api/v1/posts/{note.pk}/").status_code == 200
    for member in (author, *reporters):
        told = outcomes(member)
        assert len(told) == 1
        data = {k: told[0]["data"][k] for k in ("action", "reason", "target_type", "target_id")}
        assert data == {
            "action": "remove",
            "reason": "Spam",
            "target_type": "post",
            "target_id": note.pk,
        }
    assert decision["status"] == "resolved"


def test_a_hidden_note_takes_its_comments_along_and_cannot_be_reported_again(
    note, author, reader, reporters
):
    comment = client_for(reader).post(
        f"/api/v1/posts/{note.pk}/comments/", {"body": "Looks great"}, format="json"
    )
    comment_id = comment.json()["id"]

    report("post", note.pk, *reporters)

    third = UserFactory()
    assert client_for(third).get(f"/api/v1/posts/{note.pk}/comments/").status_code == 404
    again = client_for(third).post(
        "/api/v1/reports/",
        {"target_type": "comment", "target_id": comment_id, "category": "spam"},
        format="json",
    )
    assert (again.status_code, again.json()["code"]) == (400, "bad_target")
    own = client_for(author).get(f"/api/v1/posts/{note.pk}/comments/").json()["results"]
    assert [c["id"] for c in own] == [comment_id]


# --- watched words at create and edit ------------------------------------------------------------


def _create(member, **fields):
    return client_for(member).post("/api/v1/posts/", {"title": "Weekend market", **fields})


def test_a_blocked_word_is_refused_at_create_and_edit_and_nothing_changes(
    author, moderator, reader
):
    watch(moderator, "scamcoin", "block")
    post = make_post(author, title="Clean title", body="clean body")

    in_body = _create(author, body="buy SCAM coin now")
    in_topic = _create(author, topics=["scamcoin"])
    edit = client_for(author).patch(
        f"/api/v1/posts/{post.pk}/", {"title": "s-c-a-m-c-o-i-n"}, format="json"
    )

    for response in (in_body, in_topic, edit):
        assert (response.status_code, response.json()["code"]) == (400, "blocked_word")
    assert list(Post.objects.values_list("title", flat=True)) == ["Clean title"]
    assert not Topic.objects.filter(name__iexact="scamcoin").exists()


def test_markup_between_the_letters_does_not_hide_a_blocked_word(author, moderator):
    watch(moderator, "scamcoin", "block")

    response = _create(author, body="<b>scam</b>coin", body_format="html")

    assert (response.status_code, response.json()["code"]) == (400, "blocked_word")
    assert not Post.objects.exists()


def test_a_censored_word_is_masked_and_a_censored_topic_dropped(author, moderator, reader):
    watch(moderator, "darn", "censor")

    created = _create(author, body="That darn stall #market", topics=["darn", "snacks"])

    assert created.status_code == 201, created.json()
    body = client_for(reader).get(f"/api/v1/posts/{created.json()['id']}/").json()
    assert body["body"] == "That **** stall #market"
    assert "darn" not in body["body_html"]
    assert sorted(body["topics"]) == ["market", "snacks"]


def test_a_word_that_asks_for_approval_holds_the_note_until_a_moderator_approves(
    author, reader, moderator
):
    watch(moderator, "wechat me", "require_approval")

    created = _create(author, body="For the group price, WeChat me")

    post_id = created.json()["id"]
    assert (created.status_code, created.json()["status"]) == (201, "pending_review")
    assert client_for(reader).get(f"/api/v1/posts/{post_id}/").status_code == 404
    item = queue_item(moderator, "post", post_id)
    assert (item["source"], item["hidden"]) == ("watched_word", True)

    decide(moderator, item, "approve", reason="")

    assert client_for(reader).get(f"/api/v1/posts/{post_id}/").status_code == 200
    assert MemberTrust.objects.get(user=author).approved_posts == 1
    assert [n["data"]["action"] for n in outcomes(author)] == ["approve"]


def test_editing_a_published_note_with_a_word_that_asks_for_approval_holds_it_again(
    author, reader, moderator
):
    post = make_post(author, title="Hotpot", body="good")
    watch(moderator, "wechat me", "require_approval")

    edit = client_for(author).patch(
        f"/api/v1/posts/{post.pk}/", {"body": "wechat me"}, format="json"
    )

    assert (edit.status_code, edit.json()["status"]) == (200, "pending_review")
    assert client_for(reader).get(f"/api/v1/posts/{post.pk}/").status_code == 404
    assert queue_item(moderator, "post", post.pk)["hidden"] is True


def test_a_flagged_word_publishes_the_note_and_queues_it(author, reader, moderator):
    watch(moderator, "giveaway", "flag")

    created = _create(author, body="Giveaway at noon")

    post_id = created.json()["id"]
    assert created.json()["status"] == "published"
    assert client_for(reader).get(f"/api/v1/posts/{post_id}/").status_code == 200
    item = queue_item(moderator, "post", post_id)
    assert (item["source"], item["hidden"]) == ("watched_word", False)


# --- new members, trust, sanctions ------------------------------------------------------------


@pytest.mark.usefixtures("premoderation")
def test_a_new_members_note_waits_for_approval_then_counts_once(author, reader, moderator):
    follow_create(actor=reader, followee=author)

    created = _create(author, body="My first note")

    post_id = created.json()["id"]
    assert created.json()["status"] == "pending_review"
    assert post_id not in _ids(client_for(reader).get("/api/v1/feeds/following/"))
    assert client_for(author).get(f"/api/v1/posts/{post_id}/").status_code == 200
    item = queue_item(moderator, "post", post_id)
    assert (item["source"], item["hidden"]) == ("pre_moderation", True)

    decide(moderator, item, "approve", reason="")

    assert post_id in _ids(client_for(reader).get("/api/v1/feeds/following/"))
    assert MemberTrust.objects.get(user=author).approved_posts == 1
    # Hidden by reports and approved again later: still one approved note.
    report("post", post_id, UserFactory(), UserFactory())
    decide(moderator, queue_item(moderator, "post", post_id), "approve", reason="")
    assert MemberTrust.objects.get(user=author).approved_posts == 1


@pytest.mark.usefixtures("premoderation")
def test_a_new_members_changed_note_waits_for_approval_again(author, reader, moderator):
    post_id = _create(author, body="First version").json()["id"]
    decide(moderator, queue_item(moderator, "post", post_id), "approve", reason="")
    url = f"/api/v1/posts/{post_id}/"

    edit = client_for(author).patch(url, {"body": "Now with a link"}, format="json")

    assert edit.json()["status"] == "pending_review"
    assert client_for(reader).get(url).status_code == 404
    decide(moderator, queue_item(moderator, "post", post_id), "approve", reason="")
    assert client_for(reader).get(url).json()["body"] == "Now with a link"
    assert MemberTrust.objects.get(user=author).approved_posts == 1


@pytest.mark.usefixtures("premoderation")
def test_moderators_notes_are_never_premoderated(moderator):
    created = _create(moderator, body="House rules")

    assert created.json()["status"] == "published"


def test_a_published_note_and_its_likes_count_for_the_authors_trust(author, reader, post):
    client_for(reader).post(f"/api/v1/posts/{post.pk}/like/")
    client_for(author).post(f"/api/v1/posts/{post.pk}/like/")  # one's own like is no signal

    trust = MemberTrust.objects.get(user=author)
    assert (trust.approved_posts, trust.likes_received) == (1, 1)

    client_for(reader).delete(f"/api/v1/posts/{post.pk}/like/")
    assert MemberTrust.objects.get(user=author).likes_received == 0


def test_a_muted_member_cannot_post_or_edit(note, author, reporters, moderator):
    report("post", note.pk, *reporters)
    decide(moderator, queue_item(moderator, "post", note.pk), "mute", duration_hours=24)
    other = make_post(UserFactory(), title="Someone else's")
    author.refresh_from_db()  # as the next request would load them

    created = _create(author, body="Back again")

    assert (created.status_code, created.json()["code"]) == (403, "sanctioned")
    assert list(Post.objects.filter(author=author)) == [note]
    comment = client_for(author).post(
        f"/api/v1/posts/{other.pk}/comments/", {"body": "hi"}, format="json"
    )
    assert (comment.status_code, comment.json()["code"]) == (403, "sanctioned")


# --- appeals and the admin's old tools ---------------------------------------------------------


def test_an_approved_appeal_publishes_the_removed_note_again(
    note, author, reader, reporters, moderator
):
    report("post", note.pk, *reporters)
    removal = decide(moderator, queue_item(moderator, "post", note.pk), "remove", reason="Spam")

    appeal = client_for(author).post(
        "/api/v1/appeals/",
        {"decision": outcomes(author)[0]["data"]["decision_id"], "body": "It is my own recipe"},
        format="json",
    )
    assert appeal.status_code == 201, appeal.json()
    decide(moderator, queue_item(moderator, "appeal", appeal.json()["id"]), "approve", reason="ok")

    note.refresh_from_db()
    assert note.status == "published"
    assert _everywhere(reader, note) == ALL
    assert removal["target_id"] == note.pk


def test_a_note_the_admin_hid_is_out_of_sight_and_the_queue_can_restore_it(
    note, author, reader, reporters, moderator, staff
):
    from django.test import Client

    report("post", note.pk, reporters[0])  # below the threshold: still shown
    admin = Client()
    admin.force_login(staff)
    admin.post("/admin/feeds/post/", {"action": "hide", "_selected_action": [note.pk]})

    assert _everywhere(reader, note) == NOWHERE
    assert client_for(moderator).get(f"/api/v1/posts/{note.pk}/").status_code == 200

    decide(moderator, queue_item(moderator, "post", note.pk), "approve", reason="")

    assert _everywhere(reader, note) == ALL
