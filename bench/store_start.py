"""Embedded store: time from `GraphStore.open()` to a usable store (first start with database
creation, restart on existing data, reuse by a second opener), stop time, and the server's
resident memory idle and after writing 10,000 nodes. Usage: python bench/store_start.py [runs]"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from graph import embedded
from graph.settings import Settings
from graph.store import GraphStore

BULK_NODES = 10_000
# Raw text only because the statement is the benchmark's own load, not a project query.
BULK = "UNWIND range(1, $n) AS i CREATE (:BenchNode {id: i, name: 'node ' + toString(i)})"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed_open(settings: Settings) -> tuple[GraphStore, float]:
    started = time.perf_counter()
    store = GraphStore.open(settings)
    store.query("store_ping")
    return store, time.perf_counter() - started


def one_run(home: Path) -> dict:
    settings = Settings.from_env({"NEWSGRAPH_HOME": str(home)})
    store, first = timed_open(settings)
    idle = rss_mb(store.server.pid)
    store.write(lambda tx: tx.run(BULK, n=BULK_NODES).consume())
    loaded = rss_mb(store.server.pid)
    second, reuse = timed_open(settings)
    second.close()
    store.close()
    started = time.perf_counter()
    embedded.stop(home)
    stop = time.perf_counter() - started
    store, restart = timed_open(settings)
    store.close()
    embedded.stop(home)
    return {"first_start_s": first, "restart_s": restart, "reuse_s": reuse, "stop_s": stop, "rss_idle_mb": idle, "rss_after_10k_nodes_mb": loaded}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="newsgraph-bench-") as home:
            results.append(one_run(Path(home)))
    summary = {key: round(statistics.median(r[key] for r in results), 2) for key in results[0]}
    print(json.dumps({"runs": runs, "median": summary, "all": results}, indent=2))


if __name__ == "__main__":
    main()
