"""Share links: a member's links and their stats; and ``GET /s/<code>`` (served at the site
root), which records the click, remembers it for a registration and lands on the target."""

import secrets
from typing import cast

from django.http import Http404, HttpRequest, HttpResponseRedirect
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from feeds.api.posts import NewestFirstCursor, absolute_url
from feeds.exceptions import FeedsPermissionDeniedError
from feeds.models.shares import ShareLink, ShareTargetType
from feeds.selectors.shares import share_link_get, share_link_stats, share_links_of
from feeds.services import shares
from feeds.services.shares import DEVICE_COOKIE, SESSION_CLICKS, share_click_record, visitor_of
from groupbuy import selectors as shop


class ShareLinkInputSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(choices=ShareTargetType.choices)
    target_id = serializers.IntegerField(min_value=1)


class ShareLinkSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ShareLink
        fields = [
            "id",  # what a report of the link names (target_type "share_link")
            "code",
            "url",
            "target_type",
            "target_id",
            "target_url",
            "title",
            "earns_rewards",
            "is_active",  # false while moderation holds the link down (/s/<code> answers 404)
            "created_at",
        ]
        read_only_fields = fields

    def get_url(self, link: ShareLink) -> str:
        return absolute_url(self.context.get("request"), f"/s/{link.code}")


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


class ShareLinkListCreateView(GenericAPIView):
    queryset = ShareLink.objects.none()
    serializer_class = ShareLinkSerializer
    pagination_class = NewestFirstCursor

    @extend_schema(responses=ShareLinkSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(share_links_of(user=cast(User, request.user)))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=ShareLinkInputSerializer,
        responses={201: ShareLinkSerializer},
        description="201 with the sharer's link to the target; asking again returns the same "
        "link (still 201: the contract has one answer, and a client need not tell them apart).",
    )
    def post(self, request: Request) -> Response:
        data = ShareLinkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link, _ = shares.share_link_create(
            actor=cast(User, request.user),
            target_type=data.validated_data["target_type"],
            target_id=data.validated_data["target_id"],
        )
        return Response(
            ShareLinkSerializer(link, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ShareLinkStatsView(APIView):
    @extend_schema(responses=ShareStatsSerializer)
    def get(self, request: Request, code: str) -> Response:
        link = share_link_get(code=code)
        viewer = cast(User, request.user)
        if link.sharer_id != viewer.pk and not shop.is_staff(viewer):
            raise FeedsPermissionDeniedError("Only the sharer can see a link's stats.")
        return Response({"code": link.code, **share_link_stats(link=link)})


# --- GET /s/<code> (a plain page view: members paste this link anywhere) ------------------------

DEVICE_COOKIE_AGE = 400 * 24 * 3600


def share_redirect(request: HttpRequest, code: str) -> HttpResponseRedirect:
    device_id = request.COOKIES.get(DEVICE_COOKIE) or secrets.token_urlsafe(16)
    user = request.user if request.user.is_authenticated else None
    click = share_click_record(code=code, visitor=visitor_of(request, user, device_id))
    if click is None:
        raise Http404("No such share link.")
    if user is None:
        # A registration or sign-in from this browser later claims the click (window checked then).
        request.session[SESSION_CLICKS] = [*request.session.get(SESSION_CLICKS, [])[-9:], click.pk]
    response = HttpResponseRedirect(click.link.target_url)
    response.set_cookie(
        DEVICE_COOKIE, device_id, max_age=DEVICE_COOKIE_AGE, httponly=True, samesite="Lax"
    )
    return response
