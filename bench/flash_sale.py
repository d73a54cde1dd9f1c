"""B1 (anchors-perf-reliability.md §8): the flash-sale purchase endpoint under 64 buyers.

Measured in one run, against baselines taken in the same run on the same servers:

1. baseline (b): a trivial DRF ``APIView`` (same auth, permission, throttles) -> requests/s;
2. successes: a sale of ``--stock`` units (limit 1 per member) bought by ``--concurrency``
   clients, each request from a member who has not bought yet -> orders/s until sold out;
3. sold-out answers: the same clients keep buying the sold-out sale for ``--seconds`` ->
   rejections/s (the cached sold-out hint answers them without PostgreSQL);
4. baseline (a), when ``pgbench`` is installed: the hot-row SQL alone (conditional UPDATE +
   order INSERT in one transaction, anchors-bench/cond_update_order.sql) at the same concurrency;
5. invariants: exactly ``--stock`` units sold, none below zero, nobody above the limit.

    .venv/bin/python -m bench.flash_sale --concurrency 64 --stock 1000 --seconds 8 --servers 2

Needs PostgreSQL and Redis. Defaults keep out of other runs' way: database ``h_flash_bench``
(BENCH_DATABASE_URL), cache / channel Redis databases 4 / 5 with the prefix ``h-flash-bench``,
servers on loopback ports from 19000. Django's sync views run one at a time per ASGI process, so
the REST tier is ``--servers`` daphne processes and the clients spread over them; with
``--server gunicorn`` it is the production layout instead (docs/architecture.md): one gunicorn
with ``--servers`` workers of ``--threads`` threads each, serving config.wsgi.

    .venv/bin/python -m bench.flash_sale --server gunicorn --servers 2 --threads 8
"""

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h_flash_bench")

from bench.harness import ROOT, bench_env, daphne, gunicorn, members_with_tokens, prepare_database

SQL_DIR = ROOT.parent / "shared" / "reference" / "anchors-bench"


def flash_env() -> dict[str, str]:
    env = bench_env()
    env.update(
        REDIS_CACHE_DB="4",
        REDIS_CHANNEL_DB="5",
        TUANJU_REDIS_PREFIX="h-flash-bench",
        DJANGO_SETTINGS_MODULE="bench.flash_settings",
        THROTTLE_USER="100000000/min",
        THROTTLE_ANON="100000000/min",
    )
    return env


def _port_from(start: int) -> int:
    for port in range(start, start + 1000):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port above 19000")


# --- a small keep-alive HTTP/1.1 client (no third-party client is installed) -----------------


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, token: str, body: bytes) -> tuple[int, bytes]:
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        length, chunked, close = 0, False, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                close = True
        if chunked:
            data = b""
            while size := int((await self.reader.readline()).strip(), 16):
                data += await self.reader.readexactly(size)
                await self.reader.readline()
            await self.reader.readline()
        else:
            data = await self.reader.readexactly(length)
        if close:
            self.writer.close()
            self.writer = None
        return status, data


async def _run_clients(ports, concurrency, next_request, until) -> tuple[Counter, list[float]]:
    """``concurrency`` clients, spread over ``ports``, each sending ``next_request()`` -> (path,
    token, body) until ``until(counter)`` says stop; returns status/code counts and the times of
    201 answers (relative to the start)."""
    counts: Counter = Counter()
    created_at: list[float] = []
    started = time.perf_counter()

    async def client(index: int) -> None:
        connection = Connection(ports[index % len(ports)])
        while not until(counts, time.perf_counter() - started):
            request = next_request()
            if request is None:
                return
            status, body = await connection.post(*request)
            if status == 201:
                created_at.append(time.perf_counter() - started)
                counts["201"] += 1
            elif status == 200:
                counts["200"] += 1
            else:
                counts[f"{status} {json.loads(body).get('code')}"] += 1

    await asyncio.gather(*(client(i) for i in range(concurrency)))
    counts["elapsed_ms"] = int((time.perf_counter() - started) * 1000)
    return counts, created_at


def _pgbench(concurrency: int, seconds: int) -> float | str | None:
    """Baseline (a): TPS of cond_update_order.sql on a scratch database (None without pgbench,
    the error line when it failed)."""
    if shutil.which("pgbench") is None or not (SQL_DIR / "cond_update_order.sql").exists():
        return None
    import psycopg

    base = os.environ["BENCH_DATABASE_URL"].rsplit("/", 1)[0]
    name = "h_flash_pgbench"
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{base}/{name}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute((SQL_DIR / "setup.sql").read_text())
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "cond_update_order.sql"
        script.write_text((SQL_DIR / "cond_update_order.sql").read_text())
        out = subprocess.run(
            [
                *("pgbench", "-n", "-c", str(concurrency), "-j", "2"),
                *("-T", str(seconds), "-f", str(script), url),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    for line in out.stdout.splitlines():
        if line.startswith("tps"):
            return float(line.split("=")[1].split()[0])
    # A shared PostgreSQL may be out of connections: report it, keep the HTTP results.
    return (out.stderr.strip().splitlines() or ["pgbench failed"])[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--stock", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument(
        "--servers", type=int, default=2, help="daphne processes / gunicorn workers"
    )
    parser.add_argument("--server", choices=["daphne", "gunicorn"], default="daphne")
    parser.add_argument("--threads", type=int, default=8, help="per gunicorn worker")
    parser.add_argument("--no-pgbench", action="store_true")
    args = parser.parse_args()

    env = flash_env()
    prepare_database()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from datetime import timedelta
    from decimal import Decimal

    from django.db.models import Count, Sum
    from django.utils import timezone

    from community.models import User
    from community.services import role_grant
    from groupbuy.models import FlashSale, FlashSaleOrder, Order, Product
    from groupbuy.services import flash_sale_create

    members = members_with_tokens(args.stock + 200, prefix="flash")
    tokens = [token for _, token in members]
    staff, _ = User.objects.get_or_create(username="flash-bench-staff")
    role_grant(actor=None, user=staff, role="staff")
    product = Product.objects.create(
        title="Bench mooncakes", price=Decimal("99.00"), stock=10, status="active"
    )
    sale = flash_sale_create(
        actor=staff,
        product_id=product.pk,
        price=Decimal("9.90"),
        stock=args.stock,
        starts_at=timezone.now() - timedelta(seconds=1),
        ends_at=timezone.now() + timedelta(hours=1),
        per_user_limit=1,
    )
    buy_path = f"/api/v1/flash-sales/{sale.pk}/orders/"
    body = b'{"quantity": 1}'
    results: dict = {
        "concurrency": args.concurrency,
        "stock": args.stock,
        "server": args.server,
        "servers": args.servers,
        "threads": args.threads if args.server == "gunicorn" else None,
    }

    with ExitStack() as stack:
        ports = []
        if args.server == "gunicorn":
            port = _port_from(19000)
            stack.enter_context(
                gunicorn(
                    "config.wsgi:application",
                    env,
                    workers=args.servers,
                    threads=args.threads,
                    port=port,
                )
            )
            ports.append(port)
        for _ in range(args.servers if args.server == "daphne" else 0):
            port = _port_from(19000 + 10 * len(ports))
            stack.enter_context(daphne("config.asgi:application", env, port=port))
            ports.append(port)

        def timed(seconds):
            return lambda counts, elapsed: elapsed >= seconds

        def any_token():
            return random.choice(tokens)

        # Warm-up (imports, pools) on every server, then the trivial baseline (b).
        asyncio.run(
            _run_clients(ports, 8, lambda: ("/bench/trivial/", any_token(), b"{}"), timed(1.5))
        )
        trivial, _ = asyncio.run(
            _run_clients(
                ports,
                args.concurrency,
                lambda: ("/bench/trivial/", any_token(), b"{}"),
                timed(args.seconds),
            )
        )
        results["trivial_rps"] = round(trivial["200"] / (trivial["elapsed_ms"] / 1000), 1)

        # Successes: every request from a member who has not bought yet, until sold out.
        fresh = iter(tokens)
        sold, created_at = asyncio.run(
            _run_clients(
                ports,
                args.concurrency,
                lambda: (buy_path, token, body) if (token := next(fresh, None)) else None,
                lambda counts, elapsed: counts["409 sold_out"] > 0 or elapsed > 120,
            )
        )
        results["purchase_answers"] = {k: v for k, v in sold.items() if k != "elapsed_ms"}
        window = max(created_at) if created_at else float("nan")
        results["orders_per_s"] = round(len(created_at) / window, 1)

        # Sold-out answers from the hint.
        rejected, _ = asyncio.run(
            _run_clients(
                ports,
                args.concurrency,
                lambda: (buy_path, any_token(), body),
                timed(args.seconds),
            )
        )
        results["sold_out_answers"] = {k: v for k, v in rejected.items() if k != "elapsed_ms"}
        results["sold_out_per_s"] = round(
            rejected["409 sold_out"] / (rejected["elapsed_ms"] / 1000), 1
        )

    if not args.no_pgbench:
        tps = _pgbench(args.concurrency, args.seconds)
        results["pgbench_cond_update_order_tps"] = tps

    sale.refresh_from_db()
    units = FlashSaleOrder.objects.filter(sale=sale).aggregate(n=Sum("quantity"))["n"] or 0
    most = (
        Order.objects.filter(flash_sale_order__sale=sale)
        .values("buyer_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("n", flat=True)
        .first()
    )
    results["invariants"] = {
        "units_sold": units,
        "stock_remaining": sale.stock_remaining,
        "oversold": units - args.stock if units > args.stock else 0,
        "max_orders_per_member": most,
        "ok": units == args.stock and sale.stock_remaining == 0 and (most or 0) <= 1,
    }
    results["ratios"] = {
        "sold_out_vs_trivial": round(results["sold_out_per_s"] / results["trivial_rps"], 2),
        "orders_vs_trivial": round(results["orders_per_s"] / results["trivial_rps"], 2),
    }
    if isinstance(results.get("pgbench_cond_update_order_tps"), float):
        results["ratios"]["orders_vs_pgbench"] = round(
            results["orders_per_s"] / results["pgbench_cond_update_order_tps"], 2
        )
    FlashSale.objects.filter(pk=sale.pk).update(ends_at=timezone.now())
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
