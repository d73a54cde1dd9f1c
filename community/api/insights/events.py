"""The event stream's way in for browsers and apps: ``POST /api/v1/events/`` (API.md "Insights")."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from community.exceptions import BadBatchError
from community.services.insights.events import (
    CLIENT_EVENTS,
    MAX_BATCH,
    VISITOR_HEADER,
    client_events_ingest,
)


class ClientEventSerializer(serializers.Serializer):
    # Documentation only: the service validates the batch whole, so that one bad event refuses
    # the batch with bad_batch and nothing stored.
    name = serializers.ChoiceField(choices=sorted(CLIENT_EVENTS))
    properties = serializers.DictField(required=False)
    at = serializers.DateTimeField(required=False)
    event_id = serializers.UUIDField(required=False)


class EventBatchSerializer(serializers.Serializer):
    events = serializers.ListField(
        child=ClientEventSerializer(), min_length=1, max_length=MAX_BATCH
    )


class EventsAcceptedSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()


class EventBatchView(APIView):
    permission_classes = [permissions.AllowAny]
    # Only its own budget: a page's tracker must not eat the anonymous/member API budget the
    # page itself needs (the default anon and user throttles are left out on purpose).
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "events"

    @extend_schema(
        request=EventBatchSerializer,
        responses={202: EventsAcceptedSerializer},
        parameters=[
            OpenApiParameter(
                "X-Visitor-Id",
                str,
                OpenApiParameter.HEADER,
                description="The anonymous visitor's id (8-64 of A-Z a-z 0-9 _ -); required "
                "when signed out.",
            )
        ],
    )
    def post(self, request: Request) -> Response:
        try:
            payload = request.data
        except ParseError as exc:
            raise BadBatchError("The body is not JSON.") from exc
        accepted = client_events_ingest(
            payload=payload,
            user=request.user,
            visitor_id=request.META.get(VISITOR_HEADER, "").strip(),
        )
        return Response({"accepted": accepted}, status=status.HTTP_202_ACCEPTED)
