"""Start the whole service in the foreground: daphne (HTTP + /ws/) and a Celery worker with beat.

``make run`` calls this after migrating and seeding. Ctrl-C (or SIGTERM) stops every process.
HOST and PORT move the listener (default 127.0.0.1:8000).
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "8000"))
BIN = os.path.dirname(sys.executable)
RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so"


def _url_host() -> str:
    return "127.0.0.1" if HOST in ("0.0.0.0", "::", "") else HOST


def _wait_for_http(url: str, deadline_s: float, processes: list[subprocess.Popen]) -> bool:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status < 500
        except OSError:
            time.sleep(0.3)
    return False


def _video_available() -> bool:
    """nginx with the RTMP module is installed and LIVE_VIDEO does not switch it off."""
    setting = os.environ.get("LIVE_VIDEO", "auto")
    if setting == "off":
        return False
    installed = shutil.which("nginx") is not None and os.path.exists(RTMP_MODULE)
    return setting == "on" or installed


def _video_line(video: bool) -> str:
    if video:
        rtmp = f"{os.environ.get('LIVE_RTMP_HOST', '127.0.0.1')}:"
        rtmp += os.environ.get("LIVE_RTMP_PORT", "1935")
        media = os.environ.get("LIVE_MEDIA_PORT", "8088")
        return f"  Live video: hosts publish to rtmp://{rtmp}/live, HLS on port {media}\n"
    return (
        "  Live video is off: install nginx, libnginx-mod-rtmp and ffmpeg "
        "(apt install nginx libnginx-mod-rtmp ffmpeg) and restart to enable it.\n"
    )


def daphne_command() -> list[str]:
    """The daphne command line of ``make run``."""
    # No --proxy-headers: daphne would take X-Forwarded-For from anyone. Behind a proxy,
    # TRUSTED_PROXIES tells config.middleware.ClientAddressMiddleware whom to believe.
    return [os.path.join(BIN, "daphne"), "-b", HOST, "-p", str(PORT), "config.asgi:application"]


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # daphne here speaks plain HTTP: the production HTTPS settings would redirect every request
    # to an https:// nobody serves. A TLS proxy in front sets them back on.
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS"):
        os.environ.setdefault(name, "0")
    embedded = not os.environ.get("REDIS_URL")
    base_url = f"http://{_url_host()}:{PORT}"
    daphne = subprocess.Popen(daphne_command())
    worker_env = dict(os.environ)
    if embedded:
        worker_env["REALTIME_RELAY_URL"] = base_url
    worker = subprocess.Popen(
        [
            os.path.join(BIN, "celery"),
            "-A",
            "config",
            "worker",
            "--beat",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--schedule",
            os.path.join("var", "celerybeat-schedule"),
        ],
        env=worker_env,
    )
    processes = [daphne, worker]
    video = _video_available()
    if video:
        # nginx-rtmp for live video; its callbacks reach daphne on base_url.
        processes.append(
            subprocess.Popen([sys.executable, "-m", "config.media", base_url], env=worker_env)
        )

    def stop(*_):
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    def interrupted(*_):
        raise KeyboardInterrupt

    # Explicit handlers: a shell may have started us with SIGINT ignored (background jobs).
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    try:
        if not _wait_for_http(f"{base_url}/healthz", 60, processes):
            print("Tuanju did not come up; see the log above.", file=sys.stderr)
            stop()
            return 1
        mode = (
            "embedded (SQLite, in-memory channel layer, filesystem broker)"
            if embedded
            else "PostgreSQL + Redis"
        )
        print(
            f"\n  Tuanju is running at {base_url}/   ({mode})\n"
            f"  API docs {base_url}/api/docs/   health {base_url}/healthz   admin {base_url}/admin/\n"
            f"  Demo logins (password {os.environ.get('DEMO_PASSWORD', 'tuanju-demo-2026')}): "
            "admin, mod, support, creator, leader, alice, bob, carol\n"
            f"{_video_line(video)}"
            "  Ctrl-C stops everything.\n",
            flush=True,
        )
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        print("A process exited; stopping the rest.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
