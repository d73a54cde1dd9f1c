"""Pre-moderated posting (FEEDS_POSTS_REQUIRE_REVIEW): a submitted note waits for staff, shown only
to its author, and is published — with its rewards, once — when staff approve it in the admin."""

import pytest
from django.test import Client

from community.models import PointsEntry
from community.services.social import follow_create
from feeds.models import Post
from tests.feeds.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_note_waits_for_review_then_staff_approve_it_once(
    settings, author, reader, staff, django_capture_on_commit_callbacks
):
    settings.FEEDS_POSTS_REQUIRE_REVIEW = True
    follow_create(actor=reader, followee=author)

    created = client_for(author).post(
        "/api/v1/posts/", {"title": "Dan dan noodles", "body": "Sesame, chili, pork."}
    )
    post_id = created.json()["id"]
    url = f"/api/v1/posts/{post_id}/"

    assert (created.status_code, created.json()["status"]) == (201, "pending_review")
    assert client_for(author).get(url).status_code == 200
    assert client_for(reader).get(url).status_code == 404
    feed = client_for(reader).get("/api/v1/feeds/following/").json()["results"]
    assert post_id not in [p["id"] for p in feed]

    admin = Client()  # the staff role alone opens the admin and its actions
    admin.force_login(staff)
    approve = {"action": "publish", "_selected_action": [post_id]}
    with django_capture_on_commit_callbacks(execute=True):
        admin.post("/admin/feeds/post/", approve)
        admin.post("/admin/feeds/post/", approve)  # a second click changes nothing

    assert Post.objects.get(pk=post_id).status == "published"
    assert client_for(reader).get(url).status_code == 200
    feed = client_for(reader).get("/api/v1/feeds/following/").json()["results"]
    assert post_id in [p["id"] for p in feed]
    rewards = PointsEntry.objects.filter(user=author, source_type="post", source_id=str(post_id))
    assert rewards.count() == 1
