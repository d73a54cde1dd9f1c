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
from tests.processes import (
    end_child_database_sessions,
    free_port,
    service_env,
    start_daphne,
    stop,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def embedded_layer_url(django_db_setup, django_db_blocker, tmp_path_factory):
    """daphne with the in-memory channel layer (REDIS_URL empty), the only mode with a relay,
    on this run's test database whatever layer the run itself uses."""
    port = free_port()
    log = tmp_path_factory.mktemp("daphne-embedded") / "daphne.log"
    with django_db_blocker.unblock():
        env = service_env()
    env["REDIS_URL"] = ""
    process = start_daphne(port, env, log)
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    if not wait_until(healthy, timeout=60, interval=0.3):
        stop(process)
        pytest.fail(f"daphne did not start:\n{log.read_text()[-3000:]}")
    yield url
    stop(process)
    with django_db_blocker.unblock():
        end_child_database_sessions(env)


def test_relayed_push_reaches_a_socket_on_the_live_server(embedded_layer_url, settings, user):
    live_url = embedded_layer_url
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


def test_relay_without_signature_is_refused_by_the_live_server(embedded_layer_url):
    live_url = embedded_layer_url
    request = urllib.request.Request(
        live_url + "/internal/realtime/relay",
        data=b'{"group": "x", "message": {}}',
        method="POST",
        headers={"Content-Type": "application/json"},
    )

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 403


def test_a_server_on_redis_has_no_relay_at_all(live_url, settings):
    if not settings.REDIS_URL:
        pytest.skip("this run's live server uses the in-memory layer, which needs the relay")
    request = urllib.request.Request(
        live_url + "/internal/realtime/relay",
        data=b'{"group": "x", "message": {"type": "realtime.event"}}',
        method="POST",
        headers={"Content-Type": "application/json"},
    )

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 404
