"""The live video ingest: nginx with the RTMP module, configured from settings (issue #15).

``python -m config.media`` writes ``var/live/nginx.conf`` and runs nginx in the foreground:
RTMP on LIVE_RTMP_PORT (hosts publish to ``rtmp://…/live/<stream key>``), HLS and replays over
HTTP on LIVE_MEDIA_PORT. ``make run`` starts it beside daphne when nginx and the module are
installed (Debian: ``apt install nginx libnginx-mod-rtmp ffmpeg``).

Low latency: 1 s fragments and a 6 s playlist (LIVE_HLS_FRAGMENT_SECONDS /
LIVE_HLS_PLAYLIST_SECONDS); players start about three fragments behind the encoder, so glass to
glass is the encoder's keyframe interval plus ~3 fragments (measured in docs/live-video.md).
"""

import os
import sys
from pathlib import Path

RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so"


def render_nginx_conf(
    *,
    live_dir: Path,
    rtmp_host: str,
    rtmp_port: int,
    http_host: str,
    http_port: int,
    callback_base: str,
    secret: str,
    fragment_seconds: int = 1,
    playlist_seconds: int = 6,
) -> str:
    """The nginx.conf for one ingest; every path lives under ``live_dir``."""
    hls, rec, replays, tmp = (live_dir / name for name in ("hls", "rec", "replays", "tmp"))
    callback = f"{callback_base.rstrip('/')}/internal/live"
    # Run as root only where we are root (a dev box, CI): workers must write what we read back.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return f"""load_module {RTMP_MODULE};
{user}worker_processes 1;
daemon off;
pid {live_dir}/nginx.pid;
error_log {live_dir}/nginx-error.log warn;
events {{ worker_connections 1024; }}

rtmp {{
  server {{
    listen {rtmp_host}:{rtmp_port};
    chunk_size 4096;
    # Hosts publish here with their key. nginx asks us (on_publish) and, for a good key, renames
    # the stream to its playback id; the push below already sees the new name, while a module
    # that runs before the rename (hls) would still see the key, so HLS and the recording are
    # made in a second application that only this machine can publish to.
    application live {{
      live on;
      on_publish {callback}/publish?secret={secret};
      on_publish_done {callback}/publish_done?secret={secret};
      notify_method post;
      push rtmp://127.0.0.1:{rtmp_port}/show;
      deny play all;
    }}
    application show {{
      live on;
      allow publish 127.0.0.1;
      deny publish all;
      allow play 127.0.0.1;
      deny play all;
      on_record_done {callback}/record_done?secret={secret};
      notify_method post;
      record all;
      record_path {rec};
      record_suffix .flv;
      record_unique on;
      hls on;
      hls_path {hls};
      hls_fragment {fragment_seconds}s;
      hls_playlist_length {playlist_seconds}s;
      hls_cleanup on;
    }}
  }}
}}

http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  types {{
    application/vnd.apple.mpegurl m3u8;
    video/mp2t ts;
  }}
  server {{
    listen {http_host}:{http_port};
    add_header Access-Control-Allow-Origin * always;
    location /hls/ {{
      alias {hls}/;
      add_header Cache-Control no-cache;
      add_header Access-Control-Allow-Origin * always;
    }}
    location /replays/ {{
      alias {replays}/;
      add_header Access-Control-Allow-Origin * always;
    }}
    location / {{ return 404; }}
  }}
}}
"""


def write_conf(callback_base: str) -> Path:
    """Write var/live/nginx.conf from settings and create the folders it uses."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings

    from chat.selectors.live_video import ingest_secret

    live_dir = Path(settings.LIVE_DIR).resolve()
    for name in ("hls", "rec", "replays", "tmp"):
        (live_dir / name).mkdir(parents=True, exist_ok=True)
    conf = live_dir / "nginx.conf"
    conf.write_text(
        render_nginx_conf(
            live_dir=live_dir,
            rtmp_host=settings.LIVE_RTMP_HOST,
            rtmp_port=settings.LIVE_RTMP_PORT,
            http_host=os.environ.get("LIVE_MEDIA_HOST", "0.0.0.0"),
            http_port=settings.LIVE_MEDIA_PORT,
            callback_base=callback_base,
            secret=ingest_secret(),
            fragment_seconds=settings.LIVE_HLS_FRAGMENT_SECONDS,
            playlist_seconds=settings.LIVE_HLS_PLAYLIST_SECONDS,
        )
    )
    return conf


def main() -> None:
    callback_base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    conf = write_conf(callback_base)
    os.execvp("nginx", ["nginx", "-c", str(conf), "-p", str(conf.parent)])


if __name__ == "__main__":
    main()
