"""The real URLs plus the baseline: a trivial DRF APIView on the same stack (token auth,
IsAuthenticated, throttles, exception handler), so the ratio isolates the flash-sale work."""

from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as real_urlpatterns


class TrivialView(APIView):
    def post(self, request: Request) -> Response:
        return Response({"ok": True})


urlpatterns = [path("bench/trivial/", TrivialView.as_view()), *real_urlpatterns]
