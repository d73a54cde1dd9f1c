"""The demo with pre-moderation on (as in production): its brand-new members' notes and reviews
are approved by the demo moderator through the queue, so the demo feed is not empty."""

import pytest
from django.core.management import call_command

from feeds.models import Post, Review

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("premoderation")
def test_the_demo_notes_and_reviews_are_published_through_the_queue(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    call_command("seed_demo", "--quiet")

    assert Post.objects.exists()
    assert set(Post.objects.values_list("status", flat=True)) == {"published"}
    assert set(Review.objects.values_list("status", flat=True)) <= {"visible"}
