"""A host sets up OBS from the live console: the RTMP server, a stream key shown once, a new key
replacing it (issue #15)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chat.models import LiveStream
from chat.services.live import livestream_create
from chat.services.live_video import ingest_key_hash
from community.services import role_grant
from tests.e2e.conftest import outside_event_loop
from tests.e2e.test_chat_journey import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _setup():
    host = UserFactory(username="lily", display_name="Lily 厨房")
    role_grant(actor=None, user=host, role="creator")
    return livestream_create(
        actor=host, title="Tea live", starts_at=timezone.now() + timedelta(hours=1), stream_url=""
    )


def _key_hash(stream_id: int) -> str | None:
    return LiveStream.objects.get(pk=stream_id).ingest_key_hash


def test_the_host_makes_a_stream_key_and_sees_it_once(page):
    stream = outside_event_loop(_setup)
    log_in(page, "lily")
    page.goto(f"/live/{stream.pk}/console/")

    panel = page.get_by_test_id("ingest-panel")
    expect(panel.get_by_test_id("ingest-server")).to_contain_text("rtmp://")
    expect(panel.get_by_test_id("ingest-state")).to_have_text("未推流")
    panel.get_by_test_id("ingest-rotate").click()
    expect(panel.get_by_test_id("ingest-key")).to_contain_text("live_")
    key = panel.get_by_test_id("ingest-key").inner_text()
    page.screenshot(path="/tmp/live_console_ingest.png", full_page=True)

    assert outside_event_loop(_key_hash, stream.pk) == ingest_key_hash(key)
    # Reloading never shows it again; a new key replaces it after a confirmation.
    page.reload()
    expect(panel.get_by_test_id("ingest-key")).to_contain_text("只在生成时显示")
    page.once("dialog", lambda dialog: dialog.accept())
    panel.get_by_test_id("ingest-rotate").click()
    expect(panel.get_by_test_id("ingest-key")).to_contain_text("live_")
    new_key = panel.get_by_test_id("ingest-key").inner_text()
    assert new_key != key
    assert outside_event_loop(_key_hash, stream.pk) == ingest_key_hash(new_key)
