"""Segments and the churn-risk list over REST (API.md "Insights"), staff only; the churn-risk
list also answers CSV (``?format=csv`` or ``Accept: text/csv``)."""

import csv
import io

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.insights.experiments import IsInsightsStaff
from community.selectors.insights import segments as selectors

CHURN_COLUMNS = ["user_id", "username", "last_seen", "days_active", "orders", "spend"]


class CSVRenderer(BaseRenderer):
    """Rows (a list of dicts) as CSV with a header; an error body as its key/value pairs."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        if isinstance(data, dict) and "results" not in data:  # an error body
            rows, columns = [data], list(data.keys())
        else:
            rows = data.get("results", []) if isinstance(data, dict) else list(data or [])
            columns = (renderer_context or {}).get("csv_columns") or (
                list(rows[0].keys()) if rows else []
            )
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(column)) for column in columns])
        # A byte-order mark so spreadsheet apps read the Chinese usernames as UTF-8.
        return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    # A cell starting like a formula is shown as text, never evaluated (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


SEGMENT_COLUMNS = ["segment", "label", "members", "avg_recency_days", "avg_orders", "spend"]
ACTIVITY_LABELS = {
    "active": "活跃用户",
    "potentially_active": "潜在活跃用户",
    "low_frequency": "低频用户",
    "churn_risk": "流失风险用户",
}


class SegmentsView(APIView):
    permission_classes = [IsInsightsStaff]
    renderer_classes = [JSONRenderer, CSVRenderer]

    def get_renderer_context(self):
        return {**super().get_renderer_context(), "csv_columns": SEGMENT_COLUMNS}

    @extend_schema(
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "text/csv"): OpenApiTypes.STR,
        }
    )
    def get(self, request: Request) -> Response:
        summary = selectors.segments_summary()
        if request.accepted_renderer.format != "csv":
            return Response(summary)
        # One table: the activity segments, then the RFM groups.
        rows = [
            {"segment": name, "label": label, "members": summary[name]}
            for name, label in ACTIVITY_LABELS.items()
        ] + [{**group, "segment": f"rfm:{group['group']}"} for group in summary["rfm"]]
        response = Response({"results": rows})
        response["Content-Disposition"] = 'attachment; filename="segments.csv"'
        return response


class ChurnRiskView(APIView):
    permission_classes = [IsInsightsStaff]
    renderer_classes = [JSONRenderer, CSVRenderer]

    def get_renderer_context(self):
        return {**super().get_renderer_context(), "csv_columns": CHURN_COLUMNS}

    @extend_schema(
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "text/csv"): OpenApiTypes.STR,
        }
    )
    def get(self, request: Request) -> Response:
        rows = selectors.churn_risk_list()
        if request.accepted_renderer.format == "csv":
            response = Response(rows)
            response["Content-Disposition"] = 'attachment; filename="churn-risk.csv"'
            return response
        return Response({"next": None, "previous": None, "results": rows})
