"""Domain errors and the one exception handler that renders every API error as API.md says:
``{"code": "<snake_case>", "detail": "<sentence>", "fields": {...}}``."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response


class DomainError(Exception):
    """A refusal of a business rule; each app's exceptions.py subclasses it."""

    code = "domain_error"
    status_code: int = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        self.detail = detail or self.default_detail
        self.extra = extra
        super().__init__(self.detail)


# DRF's own validation codes: when an error carries one of these, the response code is the
# generic "validation_error"; a serializer that raises a contract code (username_taken) wins.
_GENERIC_VALIDATION_CODES = {
    "invalid",
    "required",
    "null",
    "blank",
    "max_length",
    "min_length",
    "max_value",
    "min_value",
    "invalid_choice",
    "not_a_list",
    "empty",
    "does_not_exist",
    "incorrect_type",
    "unique",
    "date",
    "datetime",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
    "invalid_image",
    "no_name",
    "not_a_dict",
    "parse_error",
}

_DEFAULT_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.ParseError: "parse_error",
    exceptions.Throttled: "throttled",
}


def _flatten_codes(codes: Any) -> list[str]:
    if isinstance(codes, dict):
        return [c for value in codes.values() for c in _flatten_codes(value)]
    if isinstance(codes, list):
        return [c for value in codes for c in _flatten_codes(value)]
    return [str(codes)]


def _validation_body(exc: exceptions.ValidationError) -> dict[str, Any]:
    specific = [c for c in _flatten_codes(exc.get_codes()) if c not in _GENERIC_VALIDATION_CODES]
    detail = exc.detail
    if isinstance(detail, dict):
        fields = {
            key: [str(m) for m in value] if isinstance(value, list) else value
            for key, value in detail.items()
        }
        non_field = fields.pop("non_field_errors", None)
        first = non_field or next(iter(fields.values()), ["Invalid input."])
        sentence = first[0] if isinstance(first, list) and first else "Invalid input."
        body: dict[str, Any] = {"fields": fields}
    else:
        messages = [str(m) for m in detail] if isinstance(detail, list) else [str(detail)]
        sentence = messages[0] if messages else "Invalid input."
        body = {"fields": {}}
    return {
        "code": specific[0] if specific else "validation_error",
        "detail": str(sentence),
        **body,
    }


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        refusal = Response(
            {"code": exc.code, "detail": exc.detail, **exc.extra}, status=exc.status_code
        )
        if "retry_after" in exc.extra:  # a refusal that ends by itself says when, like a 429
            refusal["Retry-After"] = str(exc.extra["retry_after"])
        return refusal
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    # Imported here: rest_framework.views loads DEFAULT_AUTHENTICATION_CLASSES at import time, and
    # ours (community.api.authentication) import the domain errors that subclass DomainError.
    from rest_framework.views import exception_handler

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
        return response
    code = next(
        (c for klass, c in _DEFAULT_CODES.items() if isinstance(exc, klass)),
        getattr(exc, "default_code", "error"),
    )
    detail = getattr(exc, "detail", str(exc))
    response.data = {"code": code, "detail": str(detail)}
    return response


# Exempt: it changes nothing, and a CSRF check would answer an unknown POST with Django's HTML
# "CSRF failed" 403 instead of the JSON 404 the API promises.
@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown paths under /api/ answer in the API's error shape, not with an HTML page."""
    return JsonResponse({"code": "not_found", "detail": "No such endpoint."}, status=404)
