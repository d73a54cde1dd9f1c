"""Topics (hashtags): one row per name regardless of case, approved by staff before trending."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

USER = settings.AUTH_USER_MODEL


class Topic(models.Model):
    name = models.CharField(max_length=40)
    # Shown as trending only after staff approve it: a hashtag anyone can type is not an editorial
    # recommendation until someone looked at it.
    trending_approved = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    post_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("name"), name="feeds_topic_name_ci_unique")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
