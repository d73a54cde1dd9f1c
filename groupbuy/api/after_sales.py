"""After-sales: the buyer opens (with photos) and withdraws requests; staff work the queue."""

from typing import cast

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from config.pagination import one_page, one_page_schema
from config.parsers import JSONParser
from groupbuy.api.orders import AfterSalesSerializer
from groupbuy.exceptions import ShopNotFoundError
from groupbuy.models import AfterSalesKind, AfterSalesReason, AfterSalesRequest, AfterSalesStatus
from groupbuy.selectors.catalog import is_staff
from groupbuy.selectors.orders import orders_of_buyer
from groupbuy.services.after_sales import after_sales_decide, after_sales_open, after_sales_withdraw


class OldestFirstCursorPagination(CursorPagination):
    ordering = "id"  # a queue: who waited longest comes first
    page_size_query_param = "page_size"
    max_page_size = 100


def _me(request: Request) -> User:
    return cast(User, request.user)


class AfterSalesInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AfterSalesKind.choices)
    reason = serializers.ChoiceField(choices=AfterSalesReason.choices)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="multipart: photos[] or photos"
    )


class OrderAfterSalesView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=one_page_schema("AfterSalesPage", AfterSalesSerializer(many=True)))
    def get(self, request: Request, order_id: int) -> Response:
        if not orders_of_buyer(buyer=_me(request)).filter(pk=order_id).exists():
            raise ShopNotFoundError()
        requests = AfterSalesRequest.objects.filter(order_id=order_id).prefetch_related("photos")
        # One order's requests fit one page (one active at a time), so no cursors.
        return Response(one_page(AfterSalesSerializer(requests.order_by("-id"), many=True).data))

    @extend_schema(
        request={"multipart/form-data": AfterSalesInputSerializer},
        responses={201: AfterSalesSerializer},
    )
    def post(self, request: Request, order_id: int) -> Response:
        payload = {
            name: request.data[name]
            for name in ("kind", "reason", "description")
            if name in request.data
        }
        payload["photos"] = request.FILES.getlist("photos") + request.FILES.getlist("photos[]")
        data = AfterSalesInputSerializer(data=payload)
        data.is_valid(raise_exception=True)
        created = after_sales_open(actor=_me(request), order_id=order_id, **data.validated_data)
        return Response(AfterSalesSerializer(created).data, status=status.HTTP_201_CREATED)


class AfterSalesWithdrawView(APIView):
    @extend_schema(request=None, responses=AfterSalesSerializer)
    def post(self, request: Request, request_id: int) -> Response:
        return Response(
            AfterSalesSerializer(
                after_sales_withdraw(actor=_me(request), request_id=request_id)
            ).data
        )


class AfterSalesQueueView(ListAPIView):
    """Staff: after-sales requests, oldest first, by status (default: open)."""

    serializer_class = AfterSalesSerializer
    queryset = AfterSalesRequest.objects.none()
    pagination_class = OldestFirstCursorPagination

    @extend_schema(
        parameters=[OpenApiParameter("status", enum=AfterSalesStatus.values, required=False)]
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not is_staff(self.request.user):
            raise ShopNotFoundError()
        wanted = self.request.query_params.get("status", AfterSalesStatus.OPEN)
        return AfterSalesRequest.objects.filter(status=wanted).prefetch_related("photos")


class AfterSalesDecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["approve", "reject", "complete"])
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class AfterSalesDecideView(APIView):
    @extend_schema(request=AfterSalesDecisionSerializer, responses=AfterSalesSerializer)
    def post(self, request: Request, request_id: int) -> Response:
        data = AfterSalesDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = after_sales_decide(
            actor=_me(request),
            request_id=request_id,
            action=data.validated_data["action"],
            note=data.validated_data.get("note", ""),
        )
        return Response(AfterSalesSerializer(decided).data)
