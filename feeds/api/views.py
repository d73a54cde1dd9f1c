"""Feeds endpoints: input serializer -> service or selector -> output serializer."""

from typing import Any, cast

from django.conf import settings
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination, LimitOffsetPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from community.selectors import communities as community_selectors
from community.selectors import social as social_selectors
from config.pagination import one_page, one_page_schema
from feeds import selectors
from feeds.api import serializers as s
from feeds.exceptions import (
    CommentNotFoundError,
    FeedsPermissionDeniedError,
    ReviewNotFoundError,
    SearchQueryInvalidError,
)
from feeds.models import Comment, Post, ProductQuestion, Review, ShareLink
from feeds.services import interactions, posts, recommendations, reviews, shares
from groupbuy import selectors as shop

LIST_FIELDS = ("images", "topics", "products")


def _viewer(request: Request) -> User | None:
    return cast(User, request.user) if request.user.is_authenticated else None


def _form_data(request: Request) -> Any:
    """Multipart forms send lists as repeated ``images`` or ``images[]`` keys: accept both."""
    if not isinstance(request.data, QueryDict):
        return request.data
    data: dict[str, Any] = {}
    for key in request.data:
        name = key[:-2] if key.endswith("[]") else key
        if name in LIST_FIELDS:
            data.setdefault(name, []).extend(request.data.getlist(key))
        else:
            data[name] = request.data.get(key)
    return data


class PublishedCursor(CursorPagination):
    ordering = "-published_at"
    page_size = settings.FEEDS_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 50


class HotCursor(PublishedCursor):
    ordering = ("-hot_score", "-id")  # type: ignore[assignment]


class FeaturedCursor(PublishedCursor):
    ordering = "-featured_at"


class OldestFirstCursor(CursorPagination):
    ordering = "id"
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class NewestFirstCursor(OldestFirstCursor):
    ordering = "-id"


class SearchPagination(LimitOffsetPagination):
    default_limit = 20
    max_limit = 50


# --- posts --------------------------------------------------------------------------------------


class PostListCreateView(GenericAPIView):
    queryset = Post.objects.none()
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = s.PostSerializer
    pagination_class = PublishedCursor

    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return super().get_permissions()

    @extend_schema(
        parameters=[OpenApiParameter("author", str, required=True)],
        responses=s.PostSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        user = social_selectors.user_get_active(username=request.query_params.get("author", ""))
        queryset = selectors.with_card_data(
            selectors.posts_of_author(author_id=user.pk, viewer=_viewer(request)), _viewer(request)
        )
        page = self.paginate_queryset(queryset.order_by("-created_at"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.PostInputSerializer, responses={201: s.PostSerializer})
    def post(self, request: Request) -> Response:
        data = s.PostInputSerializer(data=_form_data(request))
        data.is_valid(raise_exception=True)
        v = data.validated_data
        post = posts.post_create(
            actor=cast(User, request.user),
            data=posts.PostInput(
                title=v["title"],
                body=v["body"],
                body_format=v["body_format"],
                topics=v["topics"],
                product_ids=v["products"],
                community_id=v.get("community"),
                publish=v["publish"],
            ),
            uploads=v["images"],
        )
        fresh = selectors.post_get_visible(post_id=post.pk, viewer=request.user)
        return Response(
            s.PostSerializer(fresh, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class PostDetailView(APIView):
    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return super().get_permissions()

    @extend_schema(responses=s.PostSerializer)
    def get(self, request: Request, post_id: int) -> Response:
        post = selectors.post_get_visible(post_id=post_id, viewer=_viewer(request))
        return Response(s.PostSerializer(post, context={"request": request}).data)

    @extend_schema(request=s.PostUpdateSerializer, responses=s.PostSerializer)
    def patch(self, request: Request, post_id: int) -> Response:
        post = selectors.post_get_for_write(post_id=post_id, viewer=request.user)
        data = s.PostUpdateSerializer(data=_form_data(request))
        data.is_valid(raise_exception=True)
        v = data.validated_data
        posts.post_update(
            actor=cast(User, request.user),
            post=post,
            title=v.get("title"),
            body=v.get("body"),
            body_format=v.get("body_format"),
            topics=v.get("topics"),
            product_ids=v.get("products"),
            publish=v["publish"],
        )
        fresh = selectors.post_get_visible(post_id=post.pk, viewer=request.user)
        return Response(s.PostSerializer(fresh, context={"request": request}).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, post_id: int) -> Response:
        post = selectors.post_get_for_write(post_id=post_id, viewer=request.user)
        posts.post_delete(actor=cast(User, request.user), post=post)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostImageUploadSerializer(serializers.Serializer):
    image = serializers.FileField()


class PostImagesView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": PostImageUploadSerializer},
        responses={201: s.PostSerializer},
    )
    def post(self, request: Request, post_id: int) -> Response:
        """The author adds a photo (at most 9 in all; 400 too_many_images)."""
        post = selectors.post_get_for_write(post_id=post_id, viewer=request.user)
        data = PostImageUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        posts.post_image_add(
            actor=cast(User, request.user), post=post, upload=data.validated_data["image"]
        )
        fresh = selectors.post_get_visible(post_id=post.pk, viewer=request.user)
        return Response(
            s.PostSerializer(fresh, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class PostImageDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, post_id: int, image_id: int) -> Response:
        """The author takes a photo off the post."""
        post = selectors.post_get_for_write(post_id=post_id, viewer=request.user)
        posts.post_image_remove(actor=cast(User, request.user), post=post, image_id=image_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _ToggleView(APIView):
    add = staticmethod(interactions.post_like)
    remove = staticmethod(interactions.post_unlike)
    counter = "like_count"

    def _answer(self, post: Post, active: bool) -> Response:
        count = Post.objects.values_list(self.counter, flat=True).get(pk=post.pk)
        return Response({"active": active, "count": count})

    @extend_schema(request=None, responses=s.ToggleResultSerializer)
    def post(self, request: Request, post_id: int) -> Response:
        post = selectors.post_get_visible(post_id=post_id, viewer=request.user)
        self.add(actor=cast(User, request.user), post=post)
        return self._answer(post, True)

    @extend_schema(request=None, responses=s.ToggleResultSerializer)
    def delete(self, request: Request, post_id: int) -> Response:
        post = selectors.post_get_visible(post_id=post_id, viewer=request.user)
        self.remove(actor=cast(User, request.user), post=post)
        return self._answer(post, False)


class PostLikeView(_ToggleView):
    pass


class PostSaveView(_ToggleView):
    add = staticmethod(interactions.post_save)
    remove = staticmethod(interactions.post_unsave)
    counter = "save_count"


class PostPinView(APIView):
    @extend_schema(request=None, responses=s.PostSerializer)
    def post(self, request: Request, post_id: int) -> Response:
        return self._set(request, post_id, True)

    @extend_schema(request=None, responses=s.PostSerializer)
    def delete(self, request: Request, post_id: int) -> Response:
        return self._set(request, post_id, False)

    def _set(self, request: Request, post_id: int, pinned: bool) -> Response:
        post = selectors.post_get_visible(post_id=post_id, viewer=request.user)
        posts.post_pin(actor=cast(User, request.user), post=post, pinned=pinned)
        fresh = selectors.post_get_visible(post_id=post_id, viewer=request.user)
        return Response(s.PostSerializer(fresh, context={"request": request}).data)


# --- comments -----------------------------------------------------------------------------------


class PostCommentsView(GenericAPIView):
    queryset = Comment.objects.none()
    serializer_class = s.CommentSerializer
    pagination_class = OldestFirstCursor

    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return super().get_permissions()

    @extend_schema(responses=s.CommentSerializer(many=True))
    def get(self, request: Request, post_id: int) -> Response:
        post = selectors.post_get_visible(post_id=post_id, viewer=_viewer(request))
        page = self.paginate_queryset(selectors.comments_for_post(post=post))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.CommentInputSerializer, responses={201: s.CommentSerializer})
    def post(self, request: Request, post_id: int) -> Response:
        post = selectors.post_get_visible(post_id=post_id, viewer=request.user)
        data = s.CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = interactions.comment_create(
            actor=cast(User, request.user),
            post=post,
            body=data.validated_data["body"],
            parent_id=data.validated_data.get("parent"),
        )
        return Response(
            s.CommentSerializer(comment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class CommentDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, comment_id: int) -> Response:
        comment = selectors.comment_get(comment_id=comment_id)
        if comment is None:
            raise CommentNotFoundError()
        interactions.comment_delete(actor=cast(User, request.user), comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- feeds --------------------------------------------------------------------------------------


class _FeedView(GenericAPIView):
    queryset = Post.objects.none()
    serializer_class = s.PostSerializer
    pagination_class = PublishedCursor
    permission_classes = [permissions.AllowAny]

    def feed(self, request: Request):  # pragma: no cover - every feed overrides it
        raise NotImplementedError

    @extend_schema(responses=s.PostSerializer(many=True))
    def get(self, request: Request, **kwargs) -> Response:
        queryset = selectors.with_card_data(self.feed(request), _viewer(request))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class FollowingFeedView(_FeedView):
    permission_classes = [permissions.IsAuthenticated]

    def feed(self, request: Request):
        return selectors.feed_following(viewer=cast(User, request.user))


class TrendingFeedView(_FeedView):
    pagination_class = HotCursor

    def feed(self, request: Request):
        return selectors.feed_trending(viewer=_viewer(request))


class FeaturedFeedView(_FeedView):
    pagination_class = FeaturedCursor

    def feed(self, request: Request):
        return selectors.feed_featured(viewer=_viewer(request))


class TopicFeedView(_FeedView):
    def feed(self, request: Request):
        return selectors.feed_topic(name=self.kwargs["name"], viewer=_viewer(request))


class CommunityFeedView(_FeedView):
    def feed(self, request: Request):
        community = community_selectors.community_get(
            community_id=self.kwargs["community_id"], viewer=_viewer(request)
        )
        return selectors.feed_community(community_id=community.pk, viewer=_viewer(request))


class ForYouFeedView(APIView):
    @extend_schema(
        responses=inline_serializer(
            "ForYouPage",
            {
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": s.PostSerializer(many=True),
            },
        )
    )
    def get(self, request: Request) -> Response:
        viewer = cast(User, request.user)
        size = settings.FEEDS_PAGE_SIZE
        page = selectors.for_you_page(viewer=viewer, size=size)
        # Served means seen: the next request continues with what is left, never repeats.
        recommendations.posts_mark_seen(user=viewer, post_ids=[p.pk for p in page])
        next_url = None
        if len(page) == size:
            current = request.query_params.get("page", "1")
            step = int(current) if current.isdigit() else 1
            next_url = request.build_absolute_uri(f"{request.path}?page={step + 1}")
        data = s.PostSerializer(page, many=True, context={"request": request}).data
        return Response({"next": next_url, "previous": None, "results": data})


class TrendingTopicsView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=one_page_schema("TrendingTopicPage", s.TopicSerializer(many=True)))
    def get(self, request: Request) -> Response:
        return Response(one_page(s.TopicSerializer(selectors.topics_trending(), many=True).data))


# --- reviews and Q&A ----------------------------------------------------------------------------


class ReviewCreateView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=s.ReviewInputSerializer, responses={201: s.ReviewSerializer})
    def post(self, request: Request) -> Response:
        data = s.ReviewInputSerializer(data=_form_data(request))
        data.is_valid(raise_exception=True)
        v = data.validated_data
        review = reviews.review_create(
            actor=cast(User, request.user),
            order_item_id=v["order_item"],
            rating=v["rating"],
            body=v["body"],
            uploads=v["images"],
        )
        return Response(
            s.ReviewSerializer(review, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ReviewDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, review_id: int) -> Response:
        review = selectors.review_get(review_id=review_id)
        if review is None:
            raise ReviewNotFoundError()
        reviews.review_delete(actor=cast(User, request.user), review=review)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductReviewsView(GenericAPIView):
    queryset = Review.objects.none()
    permission_classes = [permissions.AllowAny]
    serializer_class = s.ReviewSerializer
    pagination_class = NewestFirstCursor

    @extend_schema(
        parameters=[OpenApiParameter("with_photos", OpenApiTypes.BOOL)],
        responses=s.ReviewSerializer(many=True),
    )
    def get(self, request: Request, product_id: int) -> Response:
        product = shop.product_get(product_id=product_id, viewer=_viewer(request))
        with_photos = request.query_params.get("with_photos") in ("1", "true")
        queryset = selectors.reviews_for_product(product_id=product.pk, with_photos=with_photos)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ProductReviewSummaryView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.ReviewSummarySerializer)
    def get(self, request: Request, product_id: int) -> Response:
        product = shop.product_get(product_id=product_id, viewer=_viewer(request))
        return Response(selectors.review_summary(product_id=product.pk))


class ProductQuestionsView(GenericAPIView):
    queryset = ProductQuestion.objects.none()
    serializer_class = s.QuestionSerializer
    pagination_class = NewestFirstCursor

    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return super().get_permissions()

    @extend_schema(responses=s.QuestionSerializer(many=True))
    def get(self, request: Request, product_id: int) -> Response:
        product = shop.product_get(product_id=product_id, viewer=_viewer(request))
        page = self.paginate_queryset(selectors.questions_for_product(product_id=product.pk))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.TextInputSerializer, responses={201: s.QuestionSerializer})
    def post(self, request: Request, product_id: int) -> Response:
        data = s.TextInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = reviews.question_create(
            actor=cast(User, request.user), product_id=product_id, body=data.validated_data["body"]
        )
        return Response(
            s.QuestionSerializer(question, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class AnswerCreateView(APIView):
    @extend_schema(request=s.TextInputSerializer, responses={201: s.AnswerSerializer})
    def post(self, request: Request, question_id: int) -> Response:
        data = s.TextInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = reviews.answer_create(
            actor=cast(User, request.user),
            question_id=question_id,
            body=data.validated_data["body"],
        )
        return Response(
            s.AnswerSerializer(answer, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


# --- search -------------------------------------------------------------------------------------


def _search_posts(q: str, viewer):
    return selectors.with_card_data(selectors.search_posts(q=q, viewer=viewer), viewer)


SEARCHES: dict[str, tuple[Any, type[serializers.BaseSerializer]]] = {
    "post": (_search_posts, s.PostSerializer),
    "product": (
        lambda q, viewer: selectors.search_products(q=q, viewer=viewer),
        s.LinkedProductSerializer,
    ),
    "user": (lambda q, viewer: selectors.search_users(q=q), s.SearchUserSerializer),
    "topic": (lambda q, viewer: selectors.search_topics(q=q), s.TopicSerializer),
}


class SearchView(GenericAPIView):
    queryset = Post.objects.none()
    permission_classes = [permissions.AllowAny]
    pagination_class = SearchPagination
    serializer_class = s.PostSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True),
            OpenApiParameter("type", str, enum=list(SEARCHES), default="post"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        q = (request.query_params.get("q") or "").strip()
        kind = request.query_params.get("type") or "post"
        if kind not in SEARCHES:
            raise serializers.ValidationError({"type": [f"Choose one of {', '.join(SEARCHES)}."]})
        if not q or len(q) > 100:
            raise SearchQueryInvalidError()
        finder, serializer = SEARCHES[kind]
        page = self.paginate_queryset(finder(q, _viewer(request)))
        data = serializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


# --- share links --------------------------------------------------------------------------------


class ShareLinkListCreateView(GenericAPIView):
    queryset = ShareLink.objects.none()
    serializer_class = s.ShareLinkSerializer
    pagination_class = NewestFirstCursor

    @extend_schema(responses=s.ShareLinkSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.share_links_of(user=cast(User, request.user)))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=s.ShareLinkInputSerializer,
        responses={201: s.ShareLinkSerializer},
        description="201 with the sharer's link to the target; asking again returns the same "
        "link (still 201: the contract has one answer, and a client need not tell them apart).",
    )
    def post(self, request: Request) -> Response:
        data = s.ShareLinkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link, _ = shares.share_link_create(
            actor=cast(User, request.user),
            target_type=data.validated_data["target_type"],
            target_id=data.validated_data["target_id"],
        )
        return Response(
            s.ShareLinkSerializer(link, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ShareLinkStatsView(APIView):
    @extend_schema(responses=s.ShareStatsSerializer)
    def get(self, request: Request, code: str) -> Response:
        link = selectors.share_link_get(code=code)
        viewer = cast(User, request.user)
        if link.sharer_id != viewer.pk and not shop.is_staff(viewer):
            raise FeedsPermissionDeniedError("Only the sharer can see a link's stats.")
        return Response({"code": link.code, **selectors.share_link_stats(link=link)})
