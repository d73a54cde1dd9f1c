"""The same-run baseline for the chat fan-out benchmark: a bare Channels consumer under the same
daphne and the same Redis channel layer. Every socket joins one group; every text frame it
receives is group_sent to all of them. No auth, no database, no seq, no serializer."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

GROUP = "bench-echo-room"


class EchoRoomConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.send(text_data='{"type": "realtime.hello"}')

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.channel_layer.group_send(GROUP, {"type": "room.message", "text": text_data})

    async def room_message(self, message: dict) -> None:
        await self.send(text_data=message["text"])


async def _health(scope, receive, send) -> None:
    await receive()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


app = ProtocolTypeRouter(
    {"http": _health, "websocket": URLRouter([path("ws/", EchoRoomConsumer.as_asgi())])}
)
