"""Finding 2 of issue #17: share-link click uniqueness keyed on an address the client cannot
write. X-Forwarded-For from an untrusted peer is not an address."""

from django.test import Client

from community.models import PointsEntry
from feeds.models import ShareClick
from feeds.services.shares import share_link_create


def test_rotating_x_forwarded_for_from_one_address_is_one_visitor(sharer, post):
    link, _ = share_link_create(actor=sharer, target_type="post", target_id=post.pk)

    for i in range(10):
        Client(REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="phone").get(
            f"/s/{link.code}", HTTP_X_FORWARDED_FOR=f"10.{i}.0.1"
        )

    points = PointsEntry.objects.filter(user=sharer, reason="share_click")
    assert sum(points.values_list("delta", flat=True)) == 1
    assert ShareClick.objects.values("ip_hash").distinct().count() == 1
