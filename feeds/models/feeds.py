"""What the for-you feed showed each member, and the item-to-item similarity behind it."""

from django.conf import settings
from django.db import models

from feeds.models.posts import Post

USER = settings.AUTH_USER_MODEL


class SeenPost(models.Model):
    """A post the for-you feed already showed this member (never recommended twice)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="feeds_seen_unique")]


class PostSimilarity(models.Model):
    """Item-to-item co-occurrence (likes, saves, purchases of linked products), rebuilt by a task."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    similar = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    together = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "similar"], name="feeds_similarity_unique")
        ]
        indexes = [models.Index(fields=["post", "-score"], name="feeds_similarity_top")]
