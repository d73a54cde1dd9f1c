"""A viewer on a phone waits on the poster, the host's encoder connects, and the video plays in
the vertical live room without a reload (issue #15): real nginx-rtmp, ffmpeg and Chromium."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chat.models import LiveStream
from chat.services.live_video import livestream_key_rotate
from community.services import role_grant
from tests.chat.test_live_video import media, publish  # noqa: F401 - the media fixture
from tests.e2e.conftest import outside_event_loop
from tests.e2e.test_chat_journey import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _setup():
    host = UserFactory(username="lily", display_name="Lily 厨房")
    role_grant(actor=None, user=host, role="creator")
    UserFactory(username="vivian")
    stream = LiveStream.objects.create(
        host=host, title="茶山直播", starts_at=timezone.now() + timedelta(minutes=1)
    )
    return stream, livestream_key_rotate(actor=host, stream=stream)


@pytest.mark.timeout(300)
def test_the_video_starts_playing_when_the_host_goes_live(browser, media):  # noqa: F811
    stream, key = outside_event_loop(_setup)
    # The daphne of the media fixture: its playback URLs point at the test's nginx.
    context = browser.new_context(base_url=media["web"], viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, "vivian")
    page.goto(f"/live/{stream.pk}/")
    expect(page.get_by_test_id("live-poster")).to_contain_text("直播未开始")
    expect(page.locator("[data-realtime-state=open]")).to_have_count(1)

    publisher = publish(f"{media['rtmp']}/{key}", seconds=40)
    try:
        expect(page.get_by_test_id("live-poster")).to_be_hidden(timeout=60_000)
        video = page.get_by_test_id("live-video")
        page.wait_for_function(
            "() => document.querySelector('[data-testid=live-video]').currentTime > 2",
            timeout=60_000,
        )
        box = video.bounding_box()
        page.screenshot(path="/tmp/live_room_playing.png")
    finally:
        publisher.kill()
        publisher.wait(timeout=10)
        context.close()

    # Vertical: taller than wide, inside a phone's width.
    assert box is not None and box["height"] > box["width"] and box["width"] <= 390
