"""The same-run baseline for WebSocket benchmarks: a bare ASGI app under the same daphne that
accepts a socket and sends a hello frame, with no auth, no database and no channel layer."""

import json
import time


async def app(scope, receive, send):
    if scope["type"] == "websocket":
        while True:
            event = await receive()
            if event["type"] == "websocket.connect":
                await send({"type": "websocket.accept"})
                hello = {"type": "realtime.hello", "data": {"server_time": time.time()}}
                await send({"type": "websocket.send", "text": json.dumps(hello)})
            elif event["type"] == "websocket.receive":
                await send({"type": "websocket.send", "text": event.get("text") or ""})
            elif event["type"] == "websocket.disconnect":
                return
    elif scope["type"] == "lifespan":
        while True:
            event = await receive()
            if event["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif event["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    elif scope["type"] == "http":
        await receive()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/plain")],
            }
        )
        await send({"type": "http.response.body", "body": b"ok"})
