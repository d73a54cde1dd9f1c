"""Live video latency from segment timing (issue #15): how long after the encoder produced a
moment of video its HLS fragment is listed in the live playlist, and the glass-to-glass estimate
a player adds to it (it starts ``--player-fragments`` fragments behind the live edge; hls.js's
default is 3).

Runs our nginx configuration (config.media) on spare ports with a stub for the on_publish
callback, so only nginx-rtmp and the HLS path are measured; ffmpeg publishes a real-time test
pattern with 1 s keyframes (what we tell hosts to set in OBS).

    python -m bench.live_latency --seconds 30
"""

import argparse
import http.server
import re
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from config.media import render_nginx_conf


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Callbacks(http.server.BaseHTTPRequestHandler):
    """Accepts every publisher under the name ``bench`` (our service renames to a playback id)."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/internal/live/publish?"):
            self.send_response(302)
            self.send_header("Location", "bench")
        else:
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode()
    except (urllib.error.URLError, OSError):
        return ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--fragment", type=int, default=1)
    parser.add_argument("--playlist", type=int, default=6)
    parser.add_argument("--player-fragments", type=int, default=3)
    args = parser.parse_args()

    stub = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Callbacks)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    rtmp_port, http_port = _free_port(), _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        live_dir = Path(tmp)
        for name in ("hls", "rec", "replays", "tmp"):
            (live_dir / name).mkdir()
        conf = live_dir / "nginx.conf"
        conf.write_text(
            render_nginx_conf(
                live_dir=live_dir,
                rtmp_host="127.0.0.1",
                rtmp_port=rtmp_port,
                http_host="127.0.0.1",
                http_port=http_port,
                callback_base=f"http://127.0.0.1:{stub.server_address[1]}",
                secret="bench",
                fragment_seconds=args.fragment,
                playlist_seconds=args.playlist,
            )
        )
        nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", tmp])
        time.sleep(1)
        started = time.monotonic()
        encoder = subprocess.Popen(
            [
                "ffmpeg", "-nostdin", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", f"testsrc=size=640x360:rate=30:duration={args.seconds}",
                "-f", "lavfi", "-i", f"sine=frequency=440:duration={args.seconds}",
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g", "30",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv",
                f"rtmp://127.0.0.1:{rtmp_port}/live/anykey",
            ]
        )  # fmt: skip
        playlist_url = f"http://127.0.0.1:{http_port}/hls/bench.m3u8"
        seen: dict[str, float] = {}
        durations: dict[str, float] = {}
        order: list[str] = []
        while encoder.poll() is None:
            text = _fetch(playlist_url)
            now = time.monotonic() - started
            for duration, name in re.findall(r"#EXTINF:([\d.]+),\s*\n(\S+)", text):
                if name not in seen:
                    seen[name] = now
                    durations[name] = float(duration)
                    order.append(name)
            time.sleep(0.05)
        nginx.terminate()
        nginx.wait(timeout=10)
    stub.shutdown()

    # Fragment n covers stream time [start_n, end_n); with -re the encoder produced end_n at
    # wall time end_n after it started, so (listed - end_n) is the ingest-to-playlist lag.
    lags, end = [], 0.0
    for name in order:
        end += durations[name]
        lags.append(seen[name] - end)
    steady = lags[2:] or lags
    mean_fragment = statistics.mean(durations.values()) if durations else 0.0
    lag = statistics.median(steady) if steady else float("nan")
    print(f"fragments listed: {len(order)}; mean fragment {mean_fragment:.2f} s")
    print(f"encoder -> playlist lag: median {lag:.2f} s, max {max(steady):.2f} s")
    estimate = lag + args.player_fragments * mean_fragment
    print(
        f"glass-to-glass estimate: {estimate:.2f} s "
        f"(lag + {args.player_fragments} fragments a player keeps behind the live edge)"
    )


if __name__ == "__main__":
    main()
