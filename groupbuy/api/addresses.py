"""The member's address book: ``/api/v1/me/addresses/`` (API.md, Commerce)."""

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from config.pagination import one_page, one_page_schema
from groupbuy.models import Address
from groupbuy.selectors.addresses import address_get_for_owner, addresses_of
from groupbuy.services.addresses import address_create, address_delete, address_update


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Address
        fields = ["id", "name", "phone", "region", "detail", "is_default", "updated_at"]
        read_only_fields = fields


class AddressInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=32)
    # Checked by the service (400 invalid_phone), after spaces, dashes and +86 are dropped.
    phone = serializers.CharField(max_length=20)
    region = serializers.CharField(max_length=64)
    detail = serializers.CharField(max_length=200)
    is_default = serializers.BooleanField(required=False, default=False)


def _me(request: Request) -> User:
    return cast(User, request.user)


class AddressesView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="v1_me_addresses_list",
        responses=one_page_schema("AddressList", AddressSerializer(many=True)),
    )
    def get(self, request: Request) -> Response:
        return Response(
            one_page(AddressSerializer(addresses_of(user=_me(request)), many=True).data)
        )

    @extend_schema(request=AddressInputSerializer, responses={201: AddressSerializer})
    def post(self, request: Request) -> Response:
        data = AddressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        address = address_create(actor=_me(request), **data.validated_data)
        return Response(AddressSerializer(address).data, status=status.HTTP_201_CREATED)


class AddressDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=AddressSerializer)
    def get(self, request: Request, address_id: int) -> Response:
        address = address_get_for_owner(user=_me(request), address_id=address_id)
        return Response(AddressSerializer(address).data)

    @extend_schema(request=AddressInputSerializer(partial=True), responses=AddressSerializer)
    def patch(self, request: Request, address_id: int) -> Response:
        address = address_get_for_owner(user=_me(request), address_id=address_id)
        data = AddressInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = {key: value for key, value in data.validated_data.items() if key in request.data}
        address = address_update(actor=_me(request), address=address, **changes)
        return Response(AddressSerializer(address).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, address_id: int) -> Response:
        address = address_get_for_owner(user=_me(request), address_id=address_id)
        address_delete(actor=_me(request), address=address)
        return Response(status=status.HTTP_204_NO_CONTENT)
