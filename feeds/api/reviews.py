"""Product reviews (with photos) and product Q&A."""

from typing import cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from config.parsers import JSONParser
from feeds.api.posts import (
    AuthorSerializer,
    NewestFirstCursor,
    absolute_url,
    form_data,
    request_viewer,
)
from feeds.exceptions import ReviewNotFoundError
from feeds.models.reviews import ProductAnswer, ProductQuestion, Review, ReviewImage
from feeds.selectors.reviews import (
    questions_for_product,
    review_get,
    review_summary,
    reviews_for_product,
)
from feeds.services import reviews
from groupbuy import selectors as shop


class ReviewImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ReviewImage
        fields = ["id", "url", "width", "height"]
        read_only_fields = fields

    def get_url(self, image: ReviewImage) -> str:
        return absolute_url(self.context.get("request"), image.image.url)


class ReviewSerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True)
    images = ReviewImageSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        # ``status``: "visible", or "hidden" while moderation holds it back (only its author
        # gets those).
        fields = [
            "id",
            "author",
            "product",
            "order_item",
            "rating",
            "body",
            "images",
            "status",
            "created_at",
        ]
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


class ReviewCreateView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=ReviewInputSerializer, responses={201: ReviewSerializer})
    def post(self, request: Request) -> Response:
        data = ReviewInputSerializer(data=form_data(request))
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
            ReviewSerializer(review, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ReviewDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, review_id: int) -> Response:
        review = review_get(review_id=review_id)
        if review is None:
            raise ReviewNotFoundError()
        reviews.review_delete(actor=cast(User, request.user), review=review)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductReviewsView(GenericAPIView):
    queryset = Review.objects.none()
    permission_classes = [permissions.AllowAny]
    serializer_class = ReviewSerializer
    pagination_class = NewestFirstCursor

    @extend_schema(
        parameters=[OpenApiParameter("with_photos", OpenApiTypes.BOOL)],
        responses=ReviewSerializer(many=True),
    )
    def get(self, request: Request, product_id: int) -> Response:
        viewer = request_viewer(request)
        product = shop.product_get(product_id=product_id, viewer=viewer)
        with_photos = request.query_params.get("with_photos") in ("1", "true")
        queryset = reviews_for_product(
            product_id=product.pk, with_photos=with_photos, viewer=viewer
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ProductReviewSummaryView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=ReviewSummarySerializer)
    def get(self, request: Request, product_id: int) -> Response:
        product = shop.product_get(product_id=product_id, viewer=request_viewer(request))
        return Response(review_summary(product_id=product.pk))


class ProductQuestionsView(GenericAPIView):
    queryset = ProductQuestion.objects.none()
    serializer_class = QuestionSerializer
    pagination_class = NewestFirstCursor

    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return super().get_permissions()

    @extend_schema(responses=QuestionSerializer(many=True))
    def get(self, request: Request, product_id: int) -> Response:
        product = shop.product_get(product_id=product_id, viewer=request_viewer(request))
        page = self.paginate_queryset(questions_for_product(product_id=product.pk))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=TextInputSerializer, responses={201: QuestionSerializer})
    def post(self, request: Request, product_id: int) -> Response:
        data = TextInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = reviews.question_create(
            actor=cast(User, request.user), product_id=product_id, body=data.validated_data["body"]
        )
        return Response(
            QuestionSerializer(question, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class AnswerCreateView(APIView):
    @extend_schema(request=TextInputSerializer, responses={201: AnswerSerializer})
    def post(self, request: Request, question_id: int) -> Response:
        data = TextInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = reviews.answer_create(
            actor=cast(User, request.user),
            question_id=question_id,
            body=data.validated_data["body"],
        )
        return Response(
            AnswerSerializer(answer, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
