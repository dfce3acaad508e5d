"""Benchmark: `newsgraph ingest` end to end against raw spaCy, in one run.

    .venv/bin/python bench/ingest.py [--data DIR] [--limit N] [--processes N]
        [--batch-size N] [--write-docs]

On the same articles (default: the 2,225 BBC news articles in /work/shared/data/bbc_news),
one after the other on the same machine state:

1. *raw spaCy*: ``nlp.pipe`` of the bare model (en_core_web_sm) over the texts;
2. *extraction*: our pipeline and extractors (``ingest.extract.extract_articles``), no store;
3. *end to end*: ``newsgraph ingest DIR --quiet`` as its own process into a fresh embedded
   home (reading, NLP, entity resolution, writes), the server already running.

Reports articles/s of each, the ratios to raw spaCy (end to end / raw is the figure that
matters), peak memory of the ingest process tree (the command and its NLP workers, summed) and
of the store server, and the graph's size. ``--write-docs`` replaces the "Ingest" section of
docs/PERFORMANCE.md with the results.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from graph import embedded  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from ingest.extract import extract_articles  # noqa: E402
from ingest.pipeline import MODEL, load_pipeline  # noqa: E402
from ingest.readers import read_path  # noqa: E402

DEFAULT_DATA = Path("/work/shared/data/bbc_news")
SECTION = "## Ingest"
PAGE = 4096


def rss_mb(pid: int) -> float:
    """Resident memory of one process (MB), 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * PAGE / 2**20
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a running process (VmHWM, MB)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listing:
            direct = [int(p) for p in listing.read().split()]
    except FileNotFoundError:
        return []
    return direct + [grandchild for child in direct for grandchild in children(child)]


class TreeMemory(threading.Thread):
    """Samples the summed RSS of a process and its descendants; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_total = self.peak_main = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            main = rss_mb(self.pid)
            total = main + sum(rss_mb(child) for child in children(self.pid))
            self.peak_main, self.peak_total = max(self.peak_main, main), max(self.peak_total, total)
            self.stopped.wait(self.interval)


def raw_spacy(texts: list[str], n_process: int, batch_size: int) -> float:
    nlp = spacy.load(MODEL)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=n_process, batch_size=batch_size):
        pass
    return time.perf_counter() - start


def extraction(articles, n_process: int, batch_size: int) -> float:
    nlp = load_pipeline()
    start = time.perf_counter()
    for _ in extract_articles(articles, nlp=nlp, n_process=n_process, batch_size=batch_size):
        pass
    return time.perf_counter() - start


def end_to_end(inputs: Path, n_process: int, batch_size: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="newsgraph-bench-ingest-") as home:
        settings = Settings.from_env({"NEWSGRAPH_HOME": home})
        store = GraphStore.open(settings)
        try:
            env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
            env["NEWSGRAPH_HOME"] = home
            command = [sys.executable, "-m", "api.cli", "ingest", str(inputs), "--quiet",
                       "--processes", str(n_process), "--batch-size", str(batch_size)]
            start = time.perf_counter()
            process = subprocess.Popen(command, env=env, cwd=ROOT)
            memory = TreeMemory(process.pid)
            memory.start()
            code = process.wait()
            seconds = time.perf_counter() - start
            memory.stopped.set()
            memory.join()
            counts = store.counts()
            server_peak = peak_rss_mb(store.server.pid)
        finally:
            store.close()
            embedded.stop(Path(home))
    return {
        "exit_code": code, "seconds": seconds, "peak_tree_mb": memory.peak_total,
        "peak_main_mb": memory.peak_main, "server_peak_mb": server_peak, "counts": counts,
    }


def run(data: Path, limit: int | None, n_process: int, batch_size: int, rounds: int) -> dict:
    read = read_path(data)
    articles = read.articles[:limit] if limit else read.articles
    texts = [a.text for a in articles]
    with tempfile.TemporaryDirectory(prefix="newsgraph-bench-input-") as folder:
        inputs = Path(folder)
        if limit:
            # The command reads files: the first `limit` articles, as files again.
            for n, article in enumerate(articles):
                (inputs / f"{n:05d}.txt").write_text(f"{article.title}\n\n{article.text}\n", encoding="utf-8")
        else:
            inputs = data
        # Rounds alternate the order (raw, ours, end to end; then the reverse) so that a change
        # of load on the shared machine weighs on every pass alike; times are summed.
        raw = ours = 0.0
        e2e: dict = {}
        loads = []
        for round_ in range(rounds):
            passes = ["raw", "ours", "e2e"] if round_ % 2 == 0 else ["e2e", "ours", "raw"]
            for name in passes:
                loads.append(os.getloadavg()[0])
                if name == "raw":
                    raw += raw_spacy(texts, n_process, batch_size)
                elif name == "ours":
                    ours += extraction(articles, n_process, batch_size)
                else:
                    one = end_to_end(inputs, n_process, batch_size)
                    e2e = {**one, "seconds": e2e.get("seconds", 0.0) + one["seconds"],
                           "peak_tree_mb": max(e2e.get("peak_tree_mb", 0.0), one["peak_tree_mb"]),
                           "peak_main_mb": max(e2e.get("peak_main_mb", 0.0), one["peak_main_mb"]),
                           "server_peak_mb": max(e2e.get("server_peak_mb", 0.0), one["server_peak_mb"]),
                           "exit_code": max(e2e.get("exit_code", 0), one["exit_code"])}
    n = len(articles) * rounds
    return {
        "date": dt.date.today().isoformat(), "articles": len(articles), "rounds": rounds, "skipped": len(read.skipped),
        "processes": n_process, "batch_size": batch_size, "loads": loads, "raw_s": raw, "ours_s": ours, **e2e,
        "raw_rate": n / raw, "ours_rate": n / ours, "e2e_rate": n / e2e["seconds"],
    }


def report(r: dict) -> str:
    nodes, rels = r["counts"]["nodes"], r["counts"]["relationships"]
    return "\n".join([
        SECTION,
        "",
        f"`bench/ingest.py`, {r['date']}: {r['articles']:,} BBC news articles, {r['processes']} NLP processes, "
        f"batches of {r['batch_size']}, 2 cores shared with other work (1-minute load average before each pass: "
        f"{', '.join(f'{load:.1f}' for load in r['loads'])}). One run, {r['rounds']} rounds of three passes, the "
        "order reversed every other round, seconds summed over the rounds: raw `nlp.pipe` of the bare model; our "
        "pipeline and extractors without a store; `newsgraph ingest DIR --quiet` as its own process into a fresh "
        "embedded home (server already running): reading the files, loading the pipeline, NLP, entity resolution "
        "and writes, all counted.",
        "",
        "| pass | seconds | articles/s | vs raw spaCy |",
        "| --- | ---: | ---: | ---: |",
        f"| raw spaCy `nlp.pipe` | {r['raw_s']:.1f} | {r['raw_rate']:.1f} | 1.00 |",
        f"| our extraction, no store | {r['ours_s']:.1f} | {r['ours_rate']:.1f} | {r['ours_rate'] / r['raw_rate']:.2f} |",
        f"| `newsgraph ingest` end to end | {r['seconds']:.1f} | {r['e2e_rate']:.1f} | **{r['e2e_rate'] / r['raw_rate']:.2f}** |",
        "",
        f"End to end against our extraction alone (what storing costs): {r['e2e_rate'] / r['ours_rate']:.2f}.",
        "",
        f"Peak memory: ingest command and its NLP workers together {r['peak_tree_mb']:.0f} MB (the command "
        f"alone {r['peak_main_mb']:.0f} MB); store server {r['server_peak_mb']:.0f} MB. Exit code {r['exit_code']}.",
        "",
        f"Graph: {nodes.get('Article', 0):,} articles, {nodes.get('Sentence', 0):,} sentences, "
        f"{nodes.get('Entity', 0):,} entities, {nodes.get('Claim', 0):,} claims, "
        f"{sum(rels.values()):,} relationships ({rels.get('SAME_STORY', 0)} SAME_STORY).",
        "",
        "How the writes keep up: each transaction holds a batch of whole articles (one `UNWIND` "
        "statement per kind of row for the batch, entities resolved in memory against what the batch "
        "read once), and a writer thread stores a batch while the NLP workers go on with the next. "
        "Already stored articles are skipped before NLP.",
        "",
    ])


def write_section(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    start = text.find(SECTION + "\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + (text[end + 1:] if end != -1 else "")
    path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the three passes, order alternating")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"bench/ingest.py: no data at {args.data}", file=sys.stderr)
        return 1
    result = run(args.data, args.limit, args.processes, args.batch_size, args.rounds)
    section = report(result)
    print(section)
    if args.write_docs:
        write_section(ROOT / "docs" / "PERFORMANCE.md", section)
    return 0 if result["exit_code"] in (0, 2) else 1


if __name__ == "__main__":
    sys.exit(main())
