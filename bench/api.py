"""Latency of the REST API under concurrent clients, over loopback.

    python bench/api.py --home /tmp/apibench/home [--requests 400] [--concurrency 1 8 32]
    python bench/api.py --home ... --code /tmp/old-checkout --python /tmp/old-checkout/.venv/bin/python

The store in ``--home`` should hold the BBC corpus plus the sample corpus; with ``--ingest`` the
script first ingests both into that home (``newsgraph ingest``), skipping what is stored. The API
runs as ``newsgraph serve`` (one uvicorn process, as users run it) on a free loopback port, from
this checkout or the one given with ``--code`` (to compare two versions side by side on one
store); the clients are threads in this process, each with its own HTTP connection, sharing a
fixed number of requests per endpoint and concurrency level. Requests vary over realistic
parameters in a fixed order: for ``/claims`` pages at many offsets, speakers, subjects, kinds,
dates and numbers (no two consecutive requests alike); the most mentioned entities (hubs, the
slow case) and others as subgraph centers; name prefixes for search. Reports p50/p95/p99 latency,
throughput, and the CPU time the API process, the store server and the clients themselves spent
per request (from /proc and this process's own clock: on a shared machine latency measures the
queue for the CPU, CPU per request does not; the clients share the same cores), per endpoint and
concurrency as a Markdown table.

The API keeps the claims' order and filter fields in memory until the store changes
(api/claim_index.py), so the first ``/claims`` request after a change pays for rebuilding it:
``--cold-starts N`` starts the server N more times and times its first ``/claims`` request (the
cold path), reported apart from the table.
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

from graph import embedded

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "data" / "bbc_news"
SAMPLES = ROOT / "ingest" / "samples"
ENDPOINTS = ("/claims", "/subgraph?depth=2", "/entities?q=")


def cpu_ms(pid: int) -> float:
    """User plus system CPU time of a process and its live children so far, in ms (Linux
    /proc; the children are the API's worker processes with ``--workers``)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    return total


def settle(pids: list[int], quiet_ms_per_s: float = 30, timeout: float = 120) -> None:
    """Wait until these processes use almost no CPU (the API renders the claim rows in the
    background after its index is built: the timed runs should not share the CPU with that)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = sum(cpu_ms(pid) for pid in pids)
        time.sleep(1)
        if sum(cpu_ms(pid) for pid in pids) - before < quiet_ms_per_s:
            return


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(home: Path, port: int, code: Path = ROOT, python: str = sys.executable, workers: int = 1) -> subprocess.Popen:
    env = {**os.environ, "NEWSGRAPH_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    server = subprocess.Popen(
        [python, "-m", "api.cli", "serve", "--port", str(port), "--log-level", "warning",
         *(["--workers", str(workers)] if workers > 1 else [])],
        cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
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
    """Fixed request URLs per endpoint, varied over real entities, speakers and pages of the store."""
    with httpx.Client(base_url=base, timeout=60) as client:
        counts = client.get("/health", params={"counts": True}).json()["counts"]
        articles = counts["nodes"].get("Article", 0)
        entities: list[dict] = []
        for prefix in ("a", "b", "c", "d", "e", "g", "l", "m", "n", "p", "r", "s", "t", "u", "w"):
            entities += client.get("/entities", params={"q": prefix, "limit": 20}).json()["items"]
        claims_total = client.get("/claims", params={"limit": 1}).json()["total"]
        speakers: dict[str, int] = {}
        for offset in range(0, min(claims_total, 2000), 200):
            for claim in client.get("/claims", params={"limit": 200, "offset": offset}).json()["items"]:
                if claim["speaker"]["id"]:
                    speakers[claim["speaker"]["id"]] = speakers.get(claim["speaker"]["id"], 0) + 1
    by_mentions = sorted({e["id"]: e for e in entities}.values(), key=lambda e: -(e["mention_count"] or 0))
    rng = random.Random(7)
    hubs = [e["id"] for e in by_mentions[:40]]
    others = rng.sample([e["id"] for e in by_mentions[40:]], min(20, max(0, len(by_mentions) - 40)))
    centers = hubs + others + ["state:north-korea", "person:john-kirby", "place:vladivostok"]
    names = [e["name"] for e in by_mentions[:200] if e["name"]]
    prefixes = [name[: rng.randint(3, max(3, min(8, len(name))))] for name in names] or ["kirb"]
    top_speakers = sorted(speakers, key=lambda s: (-speakers[s], s))[:30] or ["person:john-kirby"]
    subjects = hubs[:30] or ["state:north-korea"]
    pages = max(1, min(claims_total, 5000) // 50)

    def claim_params(i: int) -> dict:
        offset = 50 * rng.randrange(pages)
        return [
            {"offset": offset},
            {"offset": offset, "order": "desc"},
            {"about": "troops", "offset": 50 * rng.randrange(3)},
            {"about": subjects[i % len(subjects)]},
            {"speaker": top_speakers[i % len(top_speakers)]},
            {"kind": ["STATED", "ASSESSED", "WARNED", "DENIED", "REPORTED", "CONFIRMED"][i % 6], "offset": 50 * rng.randrange(4)},
            {"since": f"200{4 + i % 2}-0{1 + i % 9}-01", "offset": 50 * rng.randrange(4)},
            {"min_value": [100, 1000, 10000][i % 3], "order": "desc"},
        ][i % 8]

    lists = {
        "/claims": [f"/claims?{httpx.QueryParams(claim_params(i))}" for i in range(count)],
        "/subgraph?depth=2": [f"/subgraph?{httpx.QueryParams({'center': centers[i % len(centers)], 'depth': 2})}" for i in range(count)],
        "/entities?q=": [f"/entities?{httpx.QueryParams({'q': prefixes[i % len(prefixes)]})}" for i in range(count)],
    }
    print(f"store: {articles} articles, {claims_total} claims listed, {sum(counts['relationships'].values())} relationships; "
          f"{len(centers)} centers ({len(hubs)} hubs), {len(prefixes)} prefixes, {len(top_speakers)} speakers",
          file=sys.stderr)
    return lists


def cold_claims(home: Path, code: Path, python: str, starts: int) -> list[float]:
    """Latency (ms) of the first ``/claims`` request of freshly started servers (index built)."""
    latencies = []
    for _ in range(starts):
        port = free_port()
        server = start_server(home, port, code, python)
        try:
            started = time.perf_counter()
            response = httpx.get(f"http://127.0.0.1:{port}/claims", params={"offset": 100}, timeout=120)
            latencies.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
        finally:
            server.terminate()
            server.wait(timeout=60)
    return latencies


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
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose API to serve (default: this one)")
    parser.add_argument("--python", default=sys.executable, help="interpreter to serve it with")
    parser.add_argument("--cold-starts", type=int, default=0, help="also time the first /claims of this many fresh servers")
    parser.add_argument("--workers", type=int, default=1, help="API worker processes (newsgraph serve --workers)")
    parser.add_argument("--endpoints", nargs="+", choices=ENDPOINTS, default=list(ENDPOINTS), help="time only these endpoints")
    args = parser.parse_args()

    if args.ingest:
        env = {**os.environ, "NEWSGRAPH_HOME": str(args.home)}
        env.pop("NEO4J_URI", None)
        subprocess.run([sys.executable, "-m", "api.cli", "ingest", str(SAMPLES), str(BBC)], cwd=ROOT, env=env, check=False)

    before_load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(args.home, port, args.code, args.python, args.workers)
    try:
        lists = {endpoint: urls for endpoint, urls in request_lists(base, args.requests).items()
                 if endpoint in args.endpoints}
        with httpx.Client(base_url=base, timeout=120) as client:
            for urls in lists.values():
                for url in urls[: args.warmup]:
                    client.get(url)
        store_pid = embedded.read_state(args.home).pid
        settle([server.pid, store_pid])
        rows = []
        for clients in args.concurrency:
            for endpoint, urls in lists.items():
                api_cpu, store_cpu, client_cpu = cpu_ms(server.pid), cpu_ms(store_pid), time.process_time()
                latencies, wall, failures = run_level(base, urls, clients)
                api_cpu, store_cpu = (cpu_ms(server.pid) - api_cpu) / len(urls), (cpu_ms(store_pid) - store_cpu) / len(urls)
                client_cpu = (time.process_time() - client_cpu) * 1000 / len(urls)
                rows.append((endpoint, clients, len(latencies), percentile(latencies, 50), percentile(latencies, 95),
                             percentile(latencies, 99), statistics.mean(latencies), len(latencies) / wall, failures,
                             api_cpu, store_cpu, client_cpu))
                print(f"{endpoint} x{clients}: p50 {rows[-1][3]:.1f} ms, p95 {rows[-1][4]:.1f} ms, load {os.getloadavg()[0]:.2f}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=60)

    cold = cold_claims(args.home, args.code, args.python, args.cold_starts)

    print(f"load average before/after: {before_load} / {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if cold:
        print(f"first /claims of a fresh server (cold path), {len(cold)} starts: " + ", ".join(f"{ms:.0f} ms" for ms in cold))
    print("| endpoint | clients | requests | p50 (ms) | p95 (ms) | p99 (ms) | mean (ms) | requests/s | non-200 | API CPU ms/req | store CPU ms/req | client CPU ms/req |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for endpoint, clients, n, p50, p95, p99, mean, rate, failures, api_cpu, store_cpu, client_cpu in rows:
        print(f"| `{endpoint}` | {clients} | {n} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {mean:.1f} | {rate:.0f} | {failures} | {api_cpu:.1f} | {store_cpu:.1f} | {client_cpu:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
