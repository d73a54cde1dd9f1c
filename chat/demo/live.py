"""Demo livestreams: the creator's scheduled stream and a live one with a pinned product."""

from datetime import timedelta

from django.utils import timezone

from chat.models import LiveStatus, LiveStream
from chat.services.live import (
    live_comment_post,
    livestream_create,
    livestream_start,
    livestream_update,
)
from community.models import User
from groupbuy.selectors.catalog import product_list

LIVE_COMMENTS = [
    ("alice", "晚上好 Lily! 🌶"),
    ("bob", "How spicy is the new chili oil?"),
    ("carol", "Just ordered two jars"),
]


def seed_live(users: dict[str, User]) -> str:
    host = User.objects.filter(username="creator").first()
    if host is None:
        return "skipped (no creator)"
    now = timezone.now()
    upcoming = LiveStream.objects.filter(host=host, title="Sunday dumpling class").first()
    if upcoming is None:
        livestream_create(
            actor=host,
            title="Sunday dumpling class",
            starts_at=now + timedelta(days=2),
            stream_url="https://media.example.com/live/dumplings.m3u8",
        )
    live = LiveStream.objects.filter(host=host, title="Chili oil, live from Chengdu").first()
    if live is None:
        live = livestream_create(
            actor=host,
            title="Chili oil, live from Chengdu",
            starts_at=now,
            # A public test stream, so the demo's <video> plays something.
            stream_url="https://test-streams.mux.dev/x36xhzz/x36xhzz.m3u8",
        )
    if live.status == LiveStatus.SCHEDULED:
        live = livestream_start(actor=host, stream=live)
    product = product_list(viewer=host).order_by("id").first()
    if product is not None and live.pinned_product_id is None:
        livestream_update(actor=host, stream=live, pinned_product_id=product.pk)
    if live.status == LiveStatus.LIVE:
        for n, (name, body) in enumerate(LIVE_COMMENTS):
            live_comment_post(
                actor=users[name], stream=live, body=body, client_msg_id=f"demo-live-{n}"
            )
    return f"/live/{live.pk}/ (live), 1 scheduled"
