import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from realtime import registry
from realtime.envelopes import envelope

ALLOWED_ORIGIN = (b"origin", b"http://127.0.0.1:8000")

# A durable test topic: "test.stream:<name>" whose backlog lives in this dict.
BACKLOG: dict[str, list[dict]] = {}


def _can_subscribe(user, argument: str) -> bool:
    return argument != "private"


def _replay(user, argument: str, after_seq: int):
    return [event for event in BACKLOG.get(argument, []) if event["seq"] > after_seq]


@pytest.fixture
def test_topic():
    registry.register_topic("test.stream", can_subscribe=_can_subscribe, replay=_replay)
    BACKLOG.clear()
    yield BACKLOG
    registry.unregister_topic("test.stream")
    BACKLOG.clear()


def backlog_event(stream: str, seq: int, text: str) -> dict:
    return envelope("test.item.created", {"text": text}, topic=f"test.stream:{stream}", seq=seq)


@pytest.fixture
def session_cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def communicator(headers=None, subprotocols=None) -> WebsocketCommunicator:
    return WebsocketCommunicator(
        application, "/ws/", headers=headers or [], subprotocols=subprotocols
    )


async def open_socket(token: str) -> WebsocketCommunicator:
    socket = communicator(headers=[(b"authorization", f"Token {token}".encode())])
    connected, _ = await socket.connect(timeout=5)
    assert connected
    hello = await socket.receive_json_from(timeout=5)
    assert hello["type"] == "realtime.hello"
    return socket


@pytest.fixture
def mounted_relay(settings):
    """The relay endpoint as the embedded mode mounts it, whatever layer this run uses."""
    settings.REALTIME_RELAY_ENABLED = True
    settings.ROOT_URLCONF = "tests.realtime.relay_urls"
