"""Posts (notes): their photos, topics and linked products.

Counters on posts move with ``F()`` in the same transaction as the row they count; uniqueness
(one like per member, one review per order item, one reward per source) is a database constraint.
"""

from django.conf import settings
from django.db import models

from feeds.models.topics import Topic

USER = settings.AUTH_USER_MODEL


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PENDING_REVIEW = "pending_review", "Waiting for review"
    PUBLISHED = "published", "Published"
    HIDDEN = "hidden", "Hidden"
    REMOVED = "removed", "Removed"


class BodyFormat(models.TextChoices):
    TEXT = "text", "Plain text"
    HTML = "html", "HTML"


class Post(models.Model):
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(max_length=100)
    body = models.TextField(max_length=10000, blank=True)
    body_format = models.CharField(
        max_length=8, choices=BodyFormat.choices, default=BodyFormat.TEXT
    )
    # What pages show: escaped and linkified text, or HTML cleaned by nh3. Never the raw body.
    body_html = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=PostStatus.choices, default=PostStatus.PUBLISHED
    )
    community = models.ForeignKey(
        "community.Community",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feed_posts",
    )
    topics: models.ManyToManyField = models.ManyToManyField(
        Topic, through="PostTopic", related_name="posts"
    )
    products: models.ManyToManyField = models.ManyToManyField(
        "groupbuy.Product", through="PostProduct", related_name="feed_posts"
    )
    like_count = models.PositiveIntegerField(default=0)
    save_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    share_count = models.PositiveIntegerField(default=0)
    # Engagement with time decay, refreshed by the periodic recommendation task (trending order).
    hot_score = models.FloatField(default=0.0)
    is_featured = models.BooleanField(default=False)
    featured_at = models.DateTimeField(null=True, blank=True)
    is_pinned = models.BooleanField(default=False)  # pinned in its community by a leader
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "-published_at"], name="feeds_post_status_pub"),
            models.Index(fields=["author", "status", "-published_at"], name="feeds_post_author"),
            models.Index(fields=["status", "-hot_score"], name="feeds_post_hot"),
        ]

    def __str__(self) -> str:
        return self.title


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="posts/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sort = models.PositiveSmallIntegerField(default=0)
    # {"360": "posts/thumbs/…webp", …}, filled by the thumbnail task after commit.
    thumbnails = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "sort"], name="feeds_post_image_slot_unique"),
            # Nine slots per post: the database refuses a tenth image whatever the caller does.
            models.CheckConstraint(condition=models.Q(sort__lt=9), name="feeds_post_image_max_9"),
        ]


class PostTopic(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "topic"], name="feeds_post_topic_unique")
        ]


class PostProduct(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE)
    product = models.ForeignKey("groupbuy.Product", on_delete=models.CASCADE, related_name="+")
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "product"], name="feeds_post_product_unique")
        ]
