"""Benchmark: the per-article costs docs/SCALING.md builds its arithmetic on, in one run.

    .venv/bin/python bench/scaling.py [--data DIR] [--limit N] [--batch-size N]

On the first N articles of DIR (default: 300 of the BBC news articles in /work/shared/data):

1. *extraction*: our pipeline and extractors in one process (``n_process=1``: what one ingest
   worker on one core does), timed without the model load;
2. *writes*: the extracted graphs written in batches into a fresh embedded store (its own
   temporary home, stopped at the end), each batch timed; then the same batches written again,
   which the writer finds already stored (what replaying a shard after a crash costs);
3. *size*: bytes of the database directory on disk, nodes and relationships, per article;
4. *what every batch reads whole*: the stored troop claims (stance linking compares new claims
   with all of them; the sample corpus is written too, so that there are some) and the article
   signatures (a writer reloads them all when another process stored articles), timed;
5. *stance linking* (``ingest.stance.link_claims``, pure): the claims of one batch against
   ``--known`` troop claims (the sample corpus's, copied under new ids), timed per pair.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph import embedded  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from graph.writer import write_article_graphs  # noqa: E402
from ingest.extract import extract_articles  # noqa: E402
from ingest.pipeline import load_pipeline  # noqa: E402
from ingest.readers import read_path  # noqa: E402
from ingest.sample_corpus import load_sample_articles  # noqa: E402
from ingest.stance import link_claims  # noqa: E402

DEFAULT_DATA = Path("/work/shared/data/bbc_news")
DATABASE = "scaling"


def directory_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def timed_writes(store: GraphStore, graph_batches: list[list]) -> list[float]:
    seconds = []
    for batch in graph_batches:
        start = time.perf_counter()
        write_article_graphs(store, batch)
        seconds.append(time.perf_counter() - start)
    return seconds


def timed_query(store: GraphStore, name: str, **parameters) -> tuple[int, float]:
    """Rows of a named query and its best time of three (s)."""
    times, rows = [], []
    for _ in range(3):
        start = time.perf_counter()
        rows = store.query(name, **parameters)
        times.append(time.perf_counter() - start)
    return len(rows), min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--known", type=int, default=10_000, help="troop claims the stance timing compares with")
    args = parser.parse_args()

    articles = read_path(args.data).articles[: args.limit]
    nlp = load_pipeline()
    start = time.perf_counter()
    graphs = list(extract_articles(articles, nlp=nlp, n_process=1, batch_size=args.batch_size))
    extract_s = time.perf_counter() - start
    samples = list(extract_articles(load_sample_articles(), nlp=nlp))
    sample_troop_claims = [c for g in samples for c in g.claims if any(q.is_troop_count for q in c.quantities)]
    known = [claim.model_copy(update={"id": f"{claim.id}-{i}", "article_id": f"{claim.article_id}-{i}"})
             for i in range(args.known // len(sample_troop_claims) + 1) for claim in sample_troop_claims][: args.known]
    new_claims = [c for g in graphs[: args.batch_size] for c in g.claims]
    start = time.perf_counter()
    link_claims(new_claims, known)
    stance_s = time.perf_counter() - start

    with tempfile.TemporaryDirectory(prefix="newsgraph-scaling-") as home:
        settings = Settings.from_env({"NEWSGRAPH_HOME": home, "NEO4J_DATABASE": DATABASE})
        try:
            with GraphStore.open(settings) as store:
                store.apply_schema()
                database_dir = Path(home) / embedded.STORE_DIR / "databases" / DATABASE
                empty_bytes = directory_bytes(database_dir)
                graph_batches = batches(graphs, args.batch_size)
                first = timed_writes(store, graph_batches)
                again = timed_writes(store, graph_batches)
                counts = store.counts()
                stored_bytes = directory_bytes(database_dir) - empty_bytes
                write_article_graphs(store, samples)
                # the widest troop-claim window: every dated claim
                full_reads = {
                    "stored_troop_claims": timed_query(store, "stored_troop_claims", since=dt.date.min, until=dt.date.max),
                    "article_signatures": timed_query(store, "article_signatures"),
                }
        finally:
            embedded.stop(Path(home))

    n = len(graphs)
    nodes = sum(counts["nodes"].get(label, 0) for label in ("Article", "Sentence", "Entity", "Claim", "Quantity"))
    relationships = sum(counts["relationships"].values())
    text_bytes = sum(len(a.text.encode("utf-8")) for a in articles)
    print(f"articles: {n} from {args.data} (text {text_bytes / n:,.0f} bytes/article), batches of {args.batch_size}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print()
    print("| measure | value |")
    print("| --- | ---: |")
    print(f"| extraction, one process (articles/s) | {n / extract_s:.1f} |")
    print(f"| extraction (ms/article) | {1000 * extract_s / n:.0f} |")
    print(f"| write, new articles (ms/article; median batch {1000 * statistics.median(first):.0f} ms) | {1000 * sum(first) / n:.1f} |")
    warm = first[len(first) // 2:]
    warm_articles = sum(len(b) for b in graph_batches[len(first) // 2:])
    print(f"| write, new articles, second half of the run (ms/article) | {1000 * sum(warm) / warm_articles:.1f} |")
    print(f"| write, same articles again (ms/article) | {1000 * sum(again) / n:.1f} |")
    print(f"| write / extraction time | {sum(first) / extract_s:.2f} |")
    print(f"| store on disk (bytes/article) | {stored_bytes / n:,.0f} |")
    print(f"| nodes/article (Article, Sentence, Entity, Claim, Quantity) | {nodes / n:.1f} |")
    print(f"| relationships/article | {relationships / n:.1f} |")
    pairs = len(new_claims) * len(known)
    print(f"| stance linking: {len(new_claims)} claims of a batch x {len(known):,} troop claims (s; µs/pair) | "
          f"{stance_s:.2f}; {1e6 * stance_s / pairs:.2f} |")
    for name, (rows, seconds) in full_reads.items():
        print(f"| `{name}`: {rows:,} rows (ms; µs/row) | {1000 * seconds:.1f}; {1e6 * seconds / max(rows, 1):.0f} |")
    print()
    print("nodes:", dict(sorted(counts["nodes"].items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
