"""Coupon centre, wallet, codes, points mall and the best coupon for a cart."""

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from config.pagination import one_page, one_page_schema
from groupbuy.models import Coupon, UserCoupon
from groupbuy.selectors.coupons import coupon_best_for_cart, coupons_available, user_coupons
from groupbuy.services.coupons import coupon_claim, coupon_exchange_points, coupon_redeem_code


class CouponSerializer(serializers.ModelSerializer):
    class Meta:
        model = Coupon
        fields = [
            "id",
            "title",
            "kind",
            "value",
            "threshold",
            "cap",
            "products",
            "categories",
            "first_order_only",
            "new_user_days",
            "min_tier",
            "valid_from",
            "valid_until",
            "valid_days_after_claim",
            "per_user_limit",
            "points_price",
        ]
        read_only_fields = fields


class AvailableCouponSerializer(serializers.Serializer):
    coupon = CouponSerializer()
    remaining = serializers.IntegerField(allow_null=True)
    held = serializers.IntegerField()
    can_claim = serializers.BooleanField()


class UserCouponSerializer(serializers.ModelSerializer):
    coupon = CouponSerializer()

    class Meta:
        model = UserCoupon
        fields = ["id", "coupon", "source", "claimed_at", "expires_at", "used_at"]
        read_only_fields = fields


class WalletQuerySerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["usable", "used", "expired"], default="usable")


class RedeemInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)


class CartItemSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, max_value=99)


class BestCouponInputSerializer(serializers.Serializer):
    items = serializers.ListField(child=CartItemSerializer(), allow_empty=False, max_length=50)


class BestCouponSerializer(serializers.Serializer):
    user_coupon = UserCouponSerializer(allow_null=True)
    discount = serializers.DecimalField(max_digits=12, decimal_places=2)


def _me(request: Request) -> User:
    return cast(User, request.user)


class AvailableCouponsView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses=one_page_schema("AvailableCouponPage", AvailableCouponSerializer(many=True))
    )
    def get(self, request: Request) -> Response:
        # Every coupon on offer fits one page (they are few and staff-made), so no cursors.
        rows = coupons_available(user=request.user)
        return Response(one_page(AvailableCouponSerializer(rows, many=True).data))


class CouponClaimView(APIView):
    @extend_schema(request=None, responses={201: UserCouponSerializer})
    def post(self, request: Request, coupon_id: int) -> Response:
        entry = coupon_claim(actor=_me(request), coupon_id=coupon_id)
        return Response(UserCouponSerializer(entry).data, status=status.HTTP_201_CREATED)


class CouponExchangeView(APIView):
    @extend_schema(request=None, responses={201: UserCouponSerializer})
    def post(self, request: Request, coupon_id: int) -> Response:
        entry = coupon_exchange_points(actor=_me(request), coupon_id=coupon_id)
        return Response(UserCouponSerializer(entry).data, status=status.HTTP_201_CREATED)


class CouponRedeemView(APIView):
    @extend_schema(request=RedeemInputSerializer, responses={201: UserCouponSerializer})
    def post(self, request: Request) -> Response:
        data = RedeemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = coupon_redeem_code(actor=_me(request), code=data.validated_data["code"])
        return Response(UserCouponSerializer(entry).data, status=status.HTTP_201_CREATED)


class MyCouponsView(APIView):
    @extend_schema(
        parameters=[WalletQuerySerializer],
        responses=one_page_schema("WalletPage", UserCouponSerializer(many=True)),
    )
    def get(self, request: Request) -> Response:
        query = WalletQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        wallet = user_coupons(
            user=_me(request), state=query.validated_data["state"]
        ).prefetch_related("coupon__products", "coupon__categories")
        # One page, soonest expiry first: checkout weighs the whole wallet at once.
        return Response(one_page(UserCouponSerializer(wallet, many=True).data))


class BestCouponView(APIView):
    @extend_schema(request=BestCouponInputSerializer, responses=BestCouponSerializer)
    def post(self, request: Request) -> Response:
        data = BestCouponInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = [(item["product"], item["quantity"]) for item in data.validated_data["items"]]
        entry, discount = coupon_best_for_cart(user=_me(request), items=items)
        return Response(BestCouponSerializer({"user_coupon": entry, "discount": discount}).data)
