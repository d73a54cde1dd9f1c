"""What feeds tells insights: likes, comments, share links and their clicks, post views and
searches, once their transaction commits."""

import pytest
from django.db import transaction

from community.models import Event
from feeds.services.interactions import comment_create, post_like
from feeds.services.shares import share_link_create

pytestmark = pytest.mark.django_db
VISITOR = "visitor_feeds_01"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what the block queued on commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def props(name: str) -> list[tuple]:
    return [
        (event.actor, event.properties) for event in Event.objects.filter(name=name).order_by("id")
    ]


def test_a_like_and_a_comment_are_recorded_once(committed, post, reader):
    with committed():
        post_like(actor=reader, post=post)
        post_like(actor=reader, post=post)  # liked already: nothing new
        comment = comment_create(actor=reader, post=post, body="Looks great")

    assert props("like") == [(f"u:{reader.pk}", {"post_id": post.pk, "author_id": post.author_id})]
    assert props("comment") == [
        (f"u:{reader.pk}", {"post_id": post.pk, "comment_id": comment.pk, "reply": False})
    ]


def test_a_comment_rolled_back_records_nothing(committed, post, reader):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        comment_create(actor=reader, post=post, body="Looks great")
        raise RuntimeError("the request failed after the comment was stored")

    assert not Event.objects.filter(name="comment").exists()


def test_sharing_and_a_click_on_the_link_are_recorded(committed, client, post, sharer):
    with committed():
        link, _ = share_link_create(actor=sharer, target_type="post", target_id=post.pk)
    client.cookies["tj_vid"] = VISITOR

    with committed():
        client.get(f"/s/{link.code}")

    assert props("share") == [
        (f"u:{sharer.pk}", {"code": link.code, "target_type": "post", "target_id": post.pk})
    ]
    assert props("share_click") == [
        (
            f"v:{VISITOR}",
            {"code": link.code, "sharer_id": sharer.pk, "is_self": False, "target_type": "post"},
        )
    ]


def test_the_sharers_own_click_is_marked_as_self(committed, client, post, sharer):
    link, _ = share_link_create(actor=sharer, target_type="post", target_id=post.pk)
    client.force_login(sharer)

    with committed():
        client.get(f"/s/{link.code}")

    [(_, properties)] = props("share_click")
    assert properties["is_self"] is True


def test_a_post_page_and_a_search_are_recorded_for_the_reader(committed, client, post, reader):
    client.force_login(reader)

    with committed():
        client.get(f"/posts/{post.pk}/")
        client.get("/search/", {"q": "hotpot"})

    assert props("post_view") == [
        (f"u:{reader.pk}", {"post_id": post.pk, "author_id": post.author_id})
    ]
    assert props("search") == [(f"u:{reader.pk}", {"q": "hotpot", "type": "post", "via": "page"})]
