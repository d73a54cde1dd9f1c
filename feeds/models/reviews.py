"""Product reviews (once per order item) and product Q&A."""

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


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
