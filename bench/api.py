"""Latency of the REST API under concurrent clients, over loopback.

    python bench/api.py --home /tmp/apibench/home [--requests 400] [--concurrency 1 8 32]

The store in ``--home`` should hold the BBC corpus plus the sample corpus; with ``--ingest`` the
script first ingests both into that home (``newsgraph ingest``), skipping what is stored. The API
runs as ``newsgraph serve`` (one uvicorn process, as users run it) on a free loopback port; the
clients are threads in this process, each with its own HTTP connection, sharing a fixed number of
requests per endpoint and concurrency level. Requests vary over realistic parameters (the most
mentioned entities as subgraph centers, name prefixes for search) in a fixed order. Reports
p50/p95/p99 latency and throughput per endpoint and concurrency as a Markdown table.
"""
from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "data" / "bbc_news"
SAMPLES = ROOT / "ingest" / "samples"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(home: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "NEWSGRAPH_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"newsgraph serve exited: {server.stderr.read().decode()[-2000:]}")
        if time.monotonic() > deadline:
            server.terminate()
            raise SystemExit("newsgraph serve did not answer within 120 s")
        time.sleep(0.5)


def request_lists(base: str, count: int) -> dict[str, list[str]]:
    """Fixed request URLs per endpoint, varied over real entities of the store."""
    with httpx.Client(base_url=base, timeout=60) as client:
        counts = client.get("/health", params={"counts": True}).json()["counts"]
        articles = counts["nodes"].get("Article", 0)
        entities: list[dict] = []
        for prefix in ("a", "b", "c", "d", "e", "g", "l", "m", "n", "p", "r", "s", "t", "u", "w"):
            entities += client.get("/entities", params={"q": prefix, "limit": 20}).json()["items"]
    by_mentions = sorted({e["id"]: e for e in entities}.values(), key=lambda e: -(e["mention_count"] or 0))
    centers = [e["id"] for e in by_mentions[:40]] + ["state:north-korea", "person:john-kirby", "place:vladivostok"]
    names = [e["name"] for e in by_mentions[:200] if e["name"]]
    rng = random.Random(7)
    prefixes = [name[: rng.randint(3, max(3, min(8, len(name))))] for name in names] or ["kirb"]
    claim_params = [
        {"about": "troops"}, {}, {"about": "state:north-korea"}, {"kind": "STATED"},
        {"speaker": "person:john-kirby"}, {"offset": 50}, {"order": "desc"},
    ]
    lists = {
        "/claims": [f"/claims?{httpx.QueryParams(claim_params[i % len(claim_params)])}" for i in range(count)],
        "/subgraph?depth=2": [f"/subgraph?{httpx.QueryParams({'center': centers[i % len(centers)], 'depth': 2})}" for i in range(count)],
        "/entities?q=": [f"/entities?{httpx.QueryParams({'q': prefixes[i % len(prefixes)]})}" for i in range(count)],
    }
    print(f"store: {articles} articles, {sum(counts['nodes'].values())} node labels counted, "
          f"{sum(counts['relationships'].values())} relationships; {len(centers)} centers, {len(prefixes)} prefixes",
          file=sys.stderr)
    return lists


def run_level(base: str, urls: list[str], clients: int) -> tuple[list[float], float, int]:
    """Latencies (ms) of every request, wall time (s), and the number of non-200 answers."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    next_index = 0

    def worker() -> None:
        nonlocal next_index, failures
        with httpx.Client(base_url=base, timeout=120) as client:
            while True:
                with lock:
                    if next_index >= len(urls):
                        return
                    url = urls[next_index]
                    next_index += 1
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    failures += response.status_code != 200

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started, failures


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, required=True, help="NEWSGRAPH_HOME of the store to serve")
    parser.add_argument("--ingest", action="store_true", help="first ingest the sample corpus and the BBC corpus into it")
    parser.add_argument("--requests", type=int, default=400, help="requests per endpoint and concurrency level")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests per endpoint first")
    args = parser.parse_args()

    if args.ingest:
        env = {**os.environ, "NEWSGRAPH_HOME": str(args.home)}
        env.pop("NEO4J_URI", None)
        subprocess.run([sys.executable, "-m", "api.cli", "ingest", str(SAMPLES), str(BBC)], cwd=ROOT, env=env, check=False)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(args.home, port)
    try:
        lists = request_lists(base, args.requests)
        with httpx.Client(base_url=base, timeout=120) as client:
            for urls in lists.values():
                for url in urls[: args.warmup]:
                    client.get(url)
        rows = []
        for clients in args.concurrency:
            for endpoint, urls in lists.items():
                latencies, wall, failures = run_level(base, urls, clients)
                rows.append((endpoint, clients, len(latencies), percentile(latencies, 50), percentile(latencies, 95),
                             percentile(latencies, 99), statistics.mean(latencies), len(latencies) / wall, failures))
                print(f"{endpoint} x{clients}: p50 {rows[-1][3]:.1f} ms, p95 {rows[-1][4]:.1f} ms", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=60)

    print("| endpoint | clients | requests | p50 (ms) | p95 (ms) | p99 (ms) | mean (ms) | requests/s | non-200 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for endpoint, clients, n, p50, p95, p99, mean, rate, failures in rows:
        print(f"| `{endpoint}` | {clients} | {n} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {mean:.1f} | {rate:.0f} | {failures} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
