"""Staff metrics over REST (API.md "Insights"): overview, retention, funnel, lifecycle, channels
and business metrics. Staff only (403 ``forbidden`` for everyone else signed in); ``from``/``to``
are business-time-zone dates; every table also answers CSV (``?format=csv`` or
``Accept: text/csv``), one row per line of the table."""

import re
from datetime import date, timedelta

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.insights.experiments import IsInsightsStaff
from community.api.insights.segments import CSVRenderer
from community.exceptions import BadFunnelError, BadIntervalError, BadRangeError
from community.selectors.insights import metrics

EVENT_NAME = re.compile(r"^[a-z][a-z0-9_.]{0,63}$")

RANGE_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="first day (Asia/Shanghai)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last day (Asia/Shanghai)"),
    OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
]
TABLE_RESPONSES = {
    (200, "application/json"): OpenApiTypes.OBJECT,
    (200, "text/csv"): OpenApiTypes.STR,
}


def _date(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadRangeError(f"{name} is not a date (YYYY-MM-DD).") from None


def date_range(request: Request) -> tuple[date, date]:
    """``from``/``to`` of the query (default: the last 30 days), checked."""
    default_start, default_end = metrics.default_range()
    end = _date(request, "to") or default_end
    start = _date(request, "from") or end - (default_end - default_start)
    if start > end:
        raise BadRangeError("from is after to.")
    if (end - start).days + 1 > metrics.MAX_RANGE_DAYS:
        raise BadRangeError(f"The range is longer than {metrics.MAX_RANGE_DAYS} days.")
    if start < date(2000, 1, 1) or end > default_end + timedelta(days=366):
        raise BadRangeError("The range is outside the years with data.")
    return start, end


class MetricsView(APIView):
    """A staff metric: JSON by default, its table as CSV on request."""

    permission_classes = [IsInsightsStaff]
    renderer_classes = [JSONRenderer, CSVRenderer]
    csv_name = "insights"
    csv_columns: list[str] = []

    def get_renderer_context(self):
        return {**super().get_renderer_context(), "csv_columns": self.csv_columns}

    def respond(self, request: Request, body: dict, rows: list[dict]) -> Response:
        if request.accepted_renderer.format == "csv":
            response = Response(rows)
            response["Content-Disposition"] = f'attachment; filename="{self.csv_name}.csv"'
            return response
        return Response(body)


class OverviewView(MetricsView):
    csv_name = "overview"
    csv_columns = ["date", "dau", "new_users", "sessions"]

    @extend_schema(parameters=RANGE_PARAMETERS, responses=TABLE_RESPONSES)
    def get(self, request: Request) -> Response:
        start, end = date_range(request)
        body = metrics.overview(start, end)
        return self.respond(request, body, body["series"])


class RetentionView(MetricsView):
    csv_name = "retention"
    csv_columns = [
        "week",
        "size",
        "d1",
        "d7",
        "d30",
        "d1_on_or_after",
        "d7_on_or_after",
        "d30_on_or_after",
    ]

    @extend_schema(parameters=RANGE_PARAMETERS, responses=TABLE_RESPONSES)
    def get(self, request: Request) -> Response:
        start, end = date_range(request)
        cohorts = metrics.retention(start, end)
        rows = [
            {**row, **{f"{k}_on_or_after": v for k, v in row["on_or_after"].items()}}
            for row in cohorts
        ]
        return self.respond(request, {"cohorts": cohorts}, rows)


class FunnelView(MetricsView):
    csv_name = "funnel"
    csv_columns = ["name", "users", "conversion"]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "steps", OpenApiTypes.STR, description="event names, comma-separated (2-8)"
            ),
            OpenApiParameter("window_hours", OpenApiTypes.INT, description="default 336 (14 d)"),
            *RANGE_PARAMETERS,
        ],
        responses=TABLE_RESPONSES,
    )
    def get(self, request: Request) -> Response:
        start, end = date_range(request)
        steps = [s.strip() for s in request.query_params.get("steps", "").split(",") if s.strip()]
        if not 2 <= len(steps) <= metrics.MAX_FUNNEL_STEPS or not all(
            EVENT_NAME.match(step) for step in steps
        ):
            raise BadFunnelError()
        raw_window = request.query_params.get("window_hours") or str(
            metrics.DEFAULT_FUNNEL_WINDOW_HOURS
        )
        if not raw_window.isdigit() or not 1 <= int(raw_window) <= metrics.MAX_FUNNEL_WINDOW_HOURS:
            raise BadFunnelError()
        body = metrics.funnel(steps, start, end, window_hours=int(raw_window))
        return self.respond(request, body, body["steps"])


class LifecycleView(MetricsView):
    csv_name = "lifecycle"
    csv_columns = ["period", "new", "returning", "resurrecting", "dormant"]

    @extend_schema(
        parameters=[
            OpenApiParameter("interval", OpenApiTypes.STR, enum=["day", "week"]),
            *RANGE_PARAMETERS,
        ],
        responses=TABLE_RESPONSES,
    )
    def get(self, request: Request) -> Response:
        start, end = date_range(request)
        interval = request.query_params.get("interval") or "day"
        if interval not in ("day", "week"):
            raise BadIntervalError()
        periods = metrics.lifecycle(start, end, interval)
        return self.respond(request, {"interval": interval, "periods": periods}, periods)


class ChannelsView(MetricsView):
    csv_name = "channels"
    csv_columns = ["channel", "users"]

    @extend_schema(parameters=RANGE_PARAMETERS, responses=TABLE_RESPONSES)
    def get(self, request: Request) -> Response:
        start, end = date_range(request)
        channels = metrics.new_users_by_channel(start, end)
        return self.respond(request, {"channels": channels}, channels)


class BusinessView(MetricsView):
    csv_name = "business"
    csv_columns = ["metric", "value", "numerator", "denominator"]

    @extend_schema(parameters=RANGE_PARAMETERS, responses=TABLE_RESPONSES)
    def get(self, request: Request) -> Response:
        start, end = date_range(request)
        body = metrics.business(start, end)
        rows = [
            _row("repurchase_rate", body["repurchase"], "repeat_payers", "payers"),
            _row("group_buy_success_rate", body["group_buy"], "succeeded", "opened"),
            _row("share_k_factor", body["share"], "referred", "sharers", value="k_factor"),
            _row("points_usage_rate", body["points"], "spenders", "active"),
            _row("coupon_redemption_rate", body["coupons"], "redeemed", "claimed"),
            _row("support_satisfaction", body["support"], None, "ratings", value="average"),
            _row("churn_rate", body["churn"], "churned", "base"),
        ]
        return self.respond(request, body, rows)


def _row(name: str, part: dict, numerator: str | None, denominator: str, value="rate") -> dict:
    return {
        "metric": name,
        "value": part[value],
        "numerator": part[numerator] if numerator else None,
        "denominator": part[denominator],
    }
