"""Input and output shapes of the feeds endpoints (API.md "Feeds")."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from community.models import User
from feeds.models import (
    BodyFormat,
    Comment,
    Post,
    PostImage,
    ProductAnswer,
    ProductQuestion,
    Review,
    ReviewImage,
    ShareLink,
    ShareTargetType,
    Topic,
)


def _url(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class AuthorSerializer(serializers.ModelSerializer):
    avatar_url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "avatar_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_avatar_url(self, user: User) -> str | None:
        return _url(self.context.get("request"), user.avatar.url) if user.avatar else None


class PostImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnails = serializers.SerializerMethodField()

    class Meta:
        model = PostImage
        fields = ["id", "url", "width", "height", "thumbnails"]
        read_only_fields = fields

    def get_url(self, image: PostImage) -> str:
        return _url(self.context.get("request"), image.image.url)

    @extend_schema_field(serializers.DictField(child=serializers.URLField()))
    def get_thumbnails(self, image: PostImage) -> dict[str, str]:
        storage = image.image.storage
        request = self.context.get("request")
        return {side: _url(request, storage.url(name)) for side, name in image.thumbnails.items()}


class LinkedProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    image_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_image_url(self, product) -> str | None:
        images = list(product.images.all())
        return _url(self.context.get("request"), images[0].image.url) if images else None


class CommunityBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PostSerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True)
    images = PostImageSerializer(many=True, read_only=True)
    topics = serializers.SerializerMethodField()
    products = LinkedProductSerializer(many=True, read_only=True)
    community = CommunityBriefSerializer(read_only=True, allow_null=True)
    liked = serializers.SerializerMethodField()
    saved = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "author",
            "title",
            "body",
            "body_format",
            "body_html",
            "status",
            "images",
            "topics",
            "products",
            "community",
            "like_count",
            "save_count",
            "comment_count",
            "share_count",
            "liked",
            "saved",
            "is_featured",
            "is_pinned",
            "created_at",
            "published_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_topics(self, post: Post) -> list[str]:
        return [t.name for t in post.topics.all()]

    def get_liked(self, post: Post) -> bool:
        return bool(getattr(post, "liked", False))

    def get_saved(self, post: Post) -> bool:
        return bool(getattr(post, "saved", False))

    def get_url(self, post: Post) -> str:
        return f"/posts/{post.pk}/"


class PostInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100, trim_whitespace=True)
    body = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    body_format = serializers.ChoiceField(choices=BodyFormat.choices, default=BodyFormat.TEXT)
    images = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, default=list
    )
    topics = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, default=list
    )
    products = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list
    )
    community = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    publish = serializers.BooleanField(required=False, default=True)


class PostUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100, required=False)
    body = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    body_format = serializers.ChoiceField(choices=BodyFormat.choices, required=False)
    topics = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    products = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    publish = serializers.BooleanField(required=False, default=False)


class ToggleResultSerializer(serializers.Serializer):
    active = serializers.BooleanField()
    count = serializers.IntegerField()


class ReplySerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True)
    reply_to = AuthorSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "reply_to", "body", "parent", "created_at"]
        read_only_fields = fields


class CommentSerializer(ReplySerializer):
    replies = ReplySerializer(many=True, read_only=True)

    class Meta(ReplySerializer.Meta):
        fields = [*ReplySerializer.Meta.fields, "replies"]
        read_only_fields = fields


class CommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=1000, trim_whitespace=True)
    parent = serializers.IntegerField(  # type: ignore[assignment]
        required=False, allow_null=True, min_value=1
    )


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name", "post_count", "trending_approved"]
        read_only_fields = fields


class ReviewImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ReviewImage
        fields = ["id", "url", "width", "height"]
        read_only_fields = fields

    def get_url(self, image: ReviewImage) -> str:
        return _url(self.context.get("request"), image.image.url)


class ReviewSerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True)
    images = ReviewImageSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = ["id", "author", "product", "order_item", "rating", "body", "images", "created_at"]
        read_only_fields = fields


class ReviewInputSerializer(serializers.Serializer):
    order_item = serializers.IntegerField(min_value=1)
    rating = serializers.IntegerField(min_value=1, max_value=5)
    body = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    images = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, default=list
    )


class ReviewSummarySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True)
    stars = serializers.DictField(child=serializers.IntegerField())


class AnswerSerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True)

    class Meta:
        model = ProductAnswer
        fields = ["id", "author", "body", "is_buyer", "created_at"]
        read_only_fields = fields


class QuestionSerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = ProductQuestion
        fields = ["id", "author", "body", "answer_count", "answers", "created_at"]
        read_only_fields = fields


class TextInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=500, trim_whitespace=True)


class ShareLinkInputSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(choices=ShareTargetType.choices)
    target_id = serializers.IntegerField(min_value=1)


class ShareLinkSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ShareLink
        fields = [
            "code",
            "url",
            "target_type",
            "target_id",
            "target_url",
            "title",
            "earns_rewards",
            "created_at",
        ]
        read_only_fields = fields

    def get_url(self, link: ShareLink) -> str:
        return _url(self.context.get("request"), f"/s/{link.code}")


class ShareStatsSerializer(serializers.Serializer):
    code = serializers.CharField()
    clicks = serializers.IntegerField()
    unique_clicks = serializers.IntegerField()
    registrations = serializers.IntegerField()
    orders = serializers.IntegerField()
    orders_completed = serializers.IntegerField()
    orders_refunded = serializers.IntegerField()
    points_awarded = serializers.IntegerField()
    points_held = serializers.IntegerField()
    rewards_held_for_review = serializers.IntegerField()


class SearchUserSerializer(AuthorSerializer):
    class Meta(AuthorSerializer.Meta):
        fields = ["id", "username", "display_name", "avatar_url"]
        read_only_fields = fields
