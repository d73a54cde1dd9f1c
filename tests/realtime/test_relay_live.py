"""The embedded-mode path end to end: a process without daphne's channel layer (here the test
process, in the run command a Celery worker) posts a push to a running daphne over HTTP, and a
real WebSocket client connected to that daphne receives it."""

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from websockets.sync.client import connect

from realtime.publish import send_to_user_on_commit
from tests.factories import token_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_relayed_push_reaches_a_socket_on_the_live_server(live_url, settings, user):
    settings.REALTIME_RELAY_URL = live_url
    key = token_for(user)
    ws_url = live_url.replace("http://", "ws://") + "/ws/"

    with connect(
        ws_url, additional_headers={"Authorization": f"Token {key}"}, open_timeout=10
    ) as socket:
        hello = json.loads(socket.recv(timeout=10))
        # Publish from another thread, like the worker process would, once the socket is in its group.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(
                send_to_user_on_commit,
                user.pk,
                "community.notification.created",
                {"title": "relayed"},
                seq=1,
            ).result()
        event = json.loads(socket.recv(timeout=10))

    assert hello["type"] == "realtime.hello"
    assert (event["type"], event["seq"], event["data"]) == (
        "community.notification.created",
        1,
        {"title": "relayed"},
    )


def test_relay_without_signature_is_refused_by_the_live_server(live_url):
    request = urllib.request.Request(
        live_url + "/internal/realtime/relay",
        data=b'{"group": "x", "message": {}}',
        method="POST",
        headers={"Content-Type": "application/json"},
    )

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 403
