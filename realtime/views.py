import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from realtime.publish import deliver_to_group
from realtime.relay import RELAYED_MESSAGE_TYPES, SIGNATURE_HEADER, signature_valid


@csrf_exempt
@require_POST
def relay(request: HttpRequest) -> HttpResponse:
    """Receive a push from the embedded-mode worker and hand it to this process's channel layer."""
    if not settings.REALTIME_RELAY_ENABLED:
        # config.urls mounts this only with the in-memory layer; a second lock on the same door.
        return JsonResponse({"code": "not_found", "detail": "No such endpoint."}, status=404)
    if not signature_valid(request.body, request.headers.get(SIGNATURE_HEADER, "")):
        return JsonResponse(
            {"code": "bad_signature", "detail": "Relay signature is wrong."}, status=403
        )
    try:
        payload = json.loads(request.body)
        group, message = payload["group"], payload["message"]
        kind = message["type"]
    except (ValueError, KeyError, TypeError, RecursionError):
        return JsonResponse(
            {"code": "bad_frame", "detail": "Expected {group, message}."}, status=400
        )
    # Only the consumer's server-side handlers: a websocket.* type would run as if the member's
    # own client had sent it (a chat message stored under their name).
    if not isinstance(group, str) or kind not in RELAYED_MESSAGE_TYPES:
        return JsonResponse(
            {"code": "bad_frame", "detail": "That message type is not relayed."}, status=400
        )
    deliver_to_group(group, message)
    return HttpResponse(status=204)
