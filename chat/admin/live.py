from django.contrib import admin

from chat.admin.rooms import ChangedFieldsOnlyAdmin
from chat.models import LiveComment, LiveStream


@admin.register(LiveStream)
class LiveStreamAdmin(ChangedFieldsOnlyAdmin):
    list_display = ["id", "title", "host", "status", "starts_at", "likes_count", "peak_viewers"]
    list_filter = ["status"]
    search_fields = ["title", "host__username"]
    raw_id_fields = ["host", "pinned_product"]
    # Counters and state belong to the live services (go live / end, the flusher).
    readonly_fields = [
        "status",
        "went_live_at",
        "ended_at",
        "last_comment_seq",
        "flushed_seq",
        "likes_count",
        "peak_viewers",
        "created_at",
    ]


@admin.register(LiveComment)
class LiveCommentAdmin(admin.ModelAdmin):
    # Live comments are public (anyone watching reads them), unlike members' messages.
    list_display = [
        "id",
        "stream",
        "seq",
        "user",
        "body",
        "offset_seconds",
        "deleted_at",
        "hidden_at",
    ]
    list_filter = [
        ("deleted_at", admin.EmptyFieldListFilter),
        ("hidden_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["body", "user__username"]
    raw_id_fields = ["stream", "user"]
    # hidden_at belongs to moderation's decisions (which also tell the viewers).
    readonly_fields = [
        "stream",
        "seq",
        "user",
        "client_msg_id",
        "offset_seconds",
        "created_at",
        "hidden_at",
    ]
