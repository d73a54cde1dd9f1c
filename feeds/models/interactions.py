"""Likes, saves and comments on posts."""

from django.conf import settings
from django.db import models

from feeds.models.posts import Post

USER = settings.AUTH_USER_MODEL


class Like(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="feed_likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="feeds_like_unique")]
        indexes = [models.Index(fields=["user", "-created_at"], name="feeds_like_user")]


class Save(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="saves")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="feed_saves")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="feeds_save_unique")]
        indexes = [models.Index(fields=["user", "-created_at"], name="feeds_save_user")]


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", "Visible"
    # Held back by moderation (reported past the threshold, or waiting for approval): shown to
    # its author and moderators only, and put back as it was when a moderator restores it.
    HIDDEN = "hidden", "Hidden by moderation"
    REMOVED = "removed", "Removed"  # deleted by its author, the note's author or staff


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="feed_comments")
    # One level of replies: a reply's parent is always a top-level comment (the service folds
    # a reply-to-a-reply onto its root and remembers whom it answered).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    reply_to = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=1000)
    status = models.CharField(
        max_length=8, choices=CommentStatus.choices, default=CommentStatus.VISIBLE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["post", "parent", "id"], name="feeds_comment_thread")]
