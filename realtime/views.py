import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from realtime.publish import deliver_to_group
from realtime.relay import SIGNATURE_HEADER, signature_valid


@csrf_exempt
@require_POST
def relay(request: HttpRequest) -> HttpResponse:
    """Receive a push from the embedded-mode worker and hand it to this process's channel layer."""
    if not signature_valid(request.body, request.headers.get(SIGNATURE_HEADER, "")):
        return JsonResponse(
            {"code": "bad_signature", "detail": "Relay signature is wrong."}, status=403
        )
    try:
        payload = json.loads(request.body)
        group, message = payload["group"], payload["message"]
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"code": "bad_frame", "detail": "Expected {group, message}."}, status=400
        )
    deliver_to_group(group, message)
    return HttpResponse(status=204)
