"""Live video: the host's stream key and nginx-rtmp's callbacks (issue #15).

The callbacks are internal: nginx calls them on loopback with the shared secret in the query
string (``chat.selectors.live_video.ingest_secret``); anything else is a 404, as if they did not
exist. nginx reads only the status: 2xx lets the publisher in, 3xx with ``Location`` renames the
stream (to its playback id), anything else refuses it.
"""

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chat.exceptions import NotTheHostError
from chat.selectors import live as live_selectors
from chat.selectors import live_video as video
from chat.services import live_video as svc
from community.models import User

LOOPBACK = {"127.0.0.1", "::1"}


def _ingest_info(request: Request, stream) -> dict:
    return {
        "video_enabled": video.ingest_available(),
        "rtmp_url": video.rtmp_url(request.get_host()),
        "key_set_at": stream.ingest_key_set_at,
        "publishing": stream.publishing_since is not None,
        "playback_url": video.playback_url(stream, request.get_host()),
    }


IngestSerializer = inline_serializer(
    "LiveIngest",
    {
        "video_enabled": serializers.BooleanField(),
        "rtmp_url": serializers.CharField(),
        "key_set_at": serializers.DateTimeField(allow_null=True),
        "publishing": serializers.BooleanField(),
        "playback_url": serializers.CharField(),
    },
)


class LiveIngestView(APIView):
    """The host's view of the ingest; POST makes a new stream key and shows it this once."""

    permission_classes = [IsAuthenticated]

    def _own_stream(self, request: Request, stream_id: int):
        stream = live_selectors.livestream_get(stream_id=stream_id)
        if stream.host_id != request.user.pk:
            raise NotTheHostError()
        return stream

    @extend_schema(responses=IngestSerializer)
    def get(self, request: Request, stream_id: int) -> Response:
        return Response(_ingest_info(request, self._own_stream(request, stream_id)))

    @extend_schema(
        request=None,
        responses={
            201: inline_serializer(
                "LiveIngestKey",
                {"stream_key": serializers.CharField(), "rtmp_url": serializers.CharField()},
            )
        },
    )
    def post(self, request: Request, stream_id: int) -> Response:
        stream = self._own_stream(request, stream_id)
        key = svc.livestream_key_rotate(actor=cast(User, request.user), stream=stream)
        return Response(
            {"stream_key": key, **_ingest_info(request, stream)}, status=status.HTTP_201_CREATED
        )


def _from_nginx(request: HttpRequest) -> bool:
    return request.META.get("REMOTE_ADDR") in LOOPBACK and video.ingest_secret_valid(
        request.GET.get("secret", "")
    )


@csrf_exempt
@require_POST
def ingest_callback(request: HttpRequest, event: str) -> HttpResponse:
    """nginx-rtmp's on_publish / on_publish_done / on_record_done."""
    if not _from_nginx(request) or event not in ("publish", "publish_done", "record_done"):
        return HttpResponse(status=404)
    name = request.POST.get("name", "")[:200]
    if event == "publish":
        stream = svc.ingest_publish(key=name)
        if stream is None:
            return HttpResponse(status=403)
        response = HttpResponse(status=302)
        # A bare name, not a URL: nginx-rtmp renames the stream to it (HLS files, recording).
        response["Location"] = stream.playback_id or ""
        return response
    if event == "publish_done":
        svc.ingest_publish_done(playback_id=name)
        return HttpResponse(status=204)
    svc.ingest_record_done(playback_id=name, path=request.POST.get("path", ""))
    return HttpResponse(status=204)
