"""Posts (notes), their interactions, reviews and product Q&A, recommendations and share links.

Counters on posts move with ``F()`` in the same transaction as the row they count; uniqueness
(one like per member, one review per order item, one reward per source) is a database constraint.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

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
    REMOVED = "removed", "Removed"


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


# --- reviews and Q&A ----------------------------------------------------------------------------


class ReviewStatus(models.TextChoices):
    VISIBLE = "visible", "Visible"
    HIDDEN = "hidden", "Hidden"


class Review(models.Model):
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="product_reviews")
    product = models.ForeignKey("groupbuy.Product", on_delete=models.CASCADE, related_name="+")
    order_item = models.OneToOneField(
        "groupbuy.OrderItem", on_delete=models.CASCADE, related_name="+"
    )  # once per item: the one-to-one is the constraint
    rating = models.PositiveSmallIntegerField()
    body = models.TextField(max_length=2000, blank=True)
    status = models.CharField(
        max_length=8, choices=ReviewStatus.choices, default=ReviewStatus.VISIBLE
    )
    has_photos = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1) & models.Q(rating__lte=5),
                name="feeds_review_rating_1_5",
            )
        ]
        indexes = [models.Index(fields=["product", "status", "-id"], name="feeds_review_product")]


class ReviewImage(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="reviews/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(sort__lt=9), name="feeds_review_image_max_9")
        ]


class ProductQuestion(models.Model):
    product = models.ForeignKey("groupbuy.Product", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    body = models.CharField(max_length=500)
    answer_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)


class ProductAnswer(models.Model):
    question = models.ForeignKey(ProductQuestion, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    body = models.CharField(max_length=1000)
    # Answers from people who bought the product are what shoppers trust: marked at write time.
    is_buyer = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_buyer", "id"]


# --- share links --------------------------------------------------------------------------------


class ShareTargetType(models.TextChoices):
    POST = "post", "Post"
    PRODUCT = "product", "Product"
    TEAM = "team", "Group-buy team"
    FLASH_SALE = "flash_sale", "Flash sale"
    STOREFRONT = "storefront", "Storefront"
    LIVESTREAM = "livestream", "Livestream"


class ShareLink(models.Model):
    code = models.CharField(max_length=16, unique=True)
    sharer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="share_links")
    target_type = models.CharField(max_length=16, choices=ShareTargetType.choices)
    target_id = models.PositiveBigIntegerField()
    target_url = models.CharField(max_length=300)
    title = models.CharField(max_length=200, blank=True)
    # False when the sharer owns the target: sharing your own content earns no points.
    earns_rewards = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sharer", "target_type", "target_id"], name="feeds_share_link_per_target"
            )
        ]

    def __str__(self) -> str:
        return self.code


class ShareClick(models.Model):
    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="clicks")
    visitor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "u:<id>" for members, a hash of IP and browser for anonymous visitors: unique clicks count
    # visitors, not page loads.
    visitor_key = models.CharField(max_length=80)
    ip_hash = models.CharField(max_length=64, blank=True)
    device_hash = models.CharField(max_length=64, blank=True)
    day = models.DateField()
    is_self = models.BooleanField(default=False)
    clicked_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["link", "day"], name="feeds_click_link_day"),
            models.Index(fields=["visitor", "-clicked_at"], name="feeds_click_visitor"),
            models.Index(fields=["ip_hash", "-clicked_at"], name="feeds_click_ip"),
        ]


class RewardKind(models.TextChoices):
    CLICK = "click", "Unique click"
    REGISTRATION = "registration", "Registration"
    ORDER = "order", "First order"


class RewardStatus(models.TextChoices):
    HELD = "held", "Held"
    GRANTED = "granted", "Granted"
    REVERSED = "reversed", "Reversed"
    VOID = "void", "Not paid"


class HoldReason(models.TextChoices):
    NONE = "", "—"
    PENDING_COMPLETION = "pending_completion", "Waiting for the order to complete"
    FRAUD = "fraud", "Held for review (suspected farming)"
    DAILY_CAP = "daily_cap", "Daily cap reached"
    ALREADY_INVITED = "already_invited", "Invited by someone else first"


class ShareReward(models.Model):
    """One reward a share link earned its sharer; the key makes each source pay at most once."""

    key = models.CharField(max_length=120, unique=True)
    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="rewards")
    sharer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="share_rewards")
    kind = models.CharField(max_length=16, choices=RewardKind.choices)
    status = models.CharField(max_length=12, choices=RewardStatus.choices)
    hold_reason = models.CharField(max_length=24, choices=HoldReason.choices, blank=True)
    points = models.PositiveIntegerField(default=0)
    visitor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    click = models.ForeignKey(
        ShareClick, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order_id = models.PositiveBigIntegerField(null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    order_completed = models.BooleanField(default=False)
    points_key = models.CharField(max_length=140, blank=True)  # the ledger entry that paid it
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["link", "kind", "status"], name="feeds_reward_link"),
            models.Index(fields=["order_id"], name="feeds_reward_order"),
        ]


class ShareDailyPoints(models.Model):
    """Click points paid to one sharer on one business day; the cap is a conditional UPDATE."""

    sharer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    points = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sharer", "day"], name="feeds_share_daily_unique")
        ]


class ShareFraudFlag(models.Model):
    """Many accounts claiming one sharer's rewards from one IP or device: rewards held for review."""

    sharer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(ShareLink, null=True, on_delete=models.SET_NULL, related_name="+")
    signal = models.CharField(max_length=8)  # "ip" or "device"
    signal_hash = models.CharField(max_length=64)
    accounts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=12, blank=True)  # "released" or "voided"
    resolved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sharer", "signal", "signal_hash"],
                condition=models.Q(resolved_at__isnull=True),
                name="feeds_fraud_flag_open_unique",
            )
        ]
