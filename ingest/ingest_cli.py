"""``newsgraph ingest PATH...``: read, extract and store articles; and :func:`ingest_paths`, the
same thing as a function for the demo, the API and the notebook.

Articles whose id (hash of the normalised text) is already stored are counted as unchanged and
skip NLP altogether, so running the same command again after a crash only does what is left.
NLP runs with ``nlp.pipe`` over batches (both cores when there is enough work); each article's
graph is written in its own transaction as it comes out of the pipe.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graph.model import Article

if TYPE_CHECKING:
    from graph.store import GraphStore
    from graph.writer import WriteResult

PARALLEL_MIN_ARTICLES = 50
"""Below this many articles to extract, a second process costs more to start than it saves."""
DEFAULT_BATCH_SIZE = 32
"""Articles per nlp.pipe batch, and per write transaction: a transaction holds whole articles,
so a crash loses at most the batch in flight, never part of an article."""
ID_LOOKUP_CHUNK = 500
WRITES_IN_FLIGHT = 2

EXIT_OK = 0
EXIT_NOTHING_DONE = 1
EXIT_SOME_SKIPPED = 2


@dataclass
class SkippedInput:
    input: str
    reason: str

    def __str__(self) -> str:
        return f"{self.input}: {self.reason}"


@dataclass
class IngestSummary:
    read: int = 0
    """Articles read from the inputs."""
    new: int = 0
    unchanged: int = 0
    """Already stored (or the same text twice in this run): nothing written."""
    new_versions: int = 0
    """New articles that are a new version of a stored URL (also counted in ``new``)."""
    same_story: int = 0
    """New articles linked SAME_STORY to a stored near-duplicate (also counted in ``new``)."""
    skipped: list[SkippedInput] = field(default_factory=list)
    """Inputs not read, and articles read but not stored, each with the reason."""
    warnings: list[SkippedInput] = field(default_factory=list)
    entities: int = 0
    relations: int = 0
    claims: int = 0
    duplicate_claims: int = 0
    claim_links: int = 0
    article_ids: list[str] = field(default_factory=list)
    """Ids of every article read, in input order (new and unchanged)."""

    @property
    def exit_code(self) -> int:
        """0: everything ingested; 2: some inputs skipped; 1: nothing could be done."""
        if self.new + self.unchanged == 0:
            return EXIT_NOTHING_DONE
        return EXIT_SOME_SKIPPED if self.skipped else EXIT_OK

    def lines(self) -> list[str]:
        lines = [
            f"articles read: {self.read}",
            f"  new: {self.new} (new versions of a known URL: {self.new_versions}, "
            f"same story as a stored article: {self.same_story})",
            f"  unchanged (already stored): {self.unchanged}",
            f"  skipped: {len(self.skipped)}",
        ]
        lines += [f"    {skipped}" for skipped in self.skipped]
        if self.warnings:
            lines.append(f"  warnings: {len(self.warnings)}")
            lines += [f"    {warning}" for warning in self.warnings]
        lines.append(
            f"written: {self.entities} entities, {self.relations} relations, {self.claims} claims "
            f"({self.duplicate_claims} repeating a claim of the same story), {self.claim_links} claim links"
        )
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "new": self.new,
            "unchanged": self.unchanged,
            "new_versions": self.new_versions,
            "same_story": self.same_story,
            "skipped": [{"input": s.input, "reason": s.reason} for s in self.skipped],
            "warnings": [{"input": s.input, "reason": s.reason} for s in self.warnings],
            "entities": self.entities,
            "relations": self.relations,
            "claims": self.claims,
            "duplicate_claims": self.duplicate_claims,
            "claim_links": self.claim_links,
            "article_ids": self.article_ids,
        }


def _read_inputs(paths: Iterable[str], published, source, summary: IngestSummary, stdin) -> list[Article]:
    from ingest.readers import read_path, read_stdin

    articles: list[Article] = []
    for path in paths:
        if str(path) == "-":
            result = read_stdin(stdin, published=published, source=source)
        else:
            result = read_path(path, published=published, source=source)
        articles.extend(result.articles)
        summary.skipped += [SkippedInput(s.input, s.reason) for s in result.skipped]
        summary.warnings += [SkippedInput(s.input, s.reason) for s in result.warnings]
    return articles


def _stored_ids(store: "GraphStore", ids: list[str]) -> set[str]:
    stored: set[str] = set()
    for start in range(0, len(ids), ID_LOOKUP_CHUNK):
        rows = store.query("stored_article_ids", ids=ids[start : start + ID_LOOKUP_CHUNK])
        stored.update(row["id"] for row in rows)
    return stored


def default_processes(articles: int) -> int:
    """Both cores (at most two worker processes) when there is enough work, else one."""
    if articles <= PARALLEL_MIN_ARTICLES:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def ingest_articles(
    store: "GraphStore",
    articles: list[Article],
    *,
    summary: IngestSummary | None = None,
    n_process: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    nlp=None,
    on_article: Callable[[Article, "WriteResult | None"], None] | None = None,
) -> IngestSummary:
    """Extract and store articles already read. ``on_article`` is called after each one."""
    from graph.writer import write_article_graphs
    from ingest.extract import extract_articles

    summary = summary or IngestSummary()
    summary.read += len(articles)
    store.apply_schema()

    unique: dict[str, Article] = {}
    for article in articles:
        summary.article_ids.append(article.id)
        unique.setdefault(article.id, article)
    stored = _stored_ids(store, list(unique))
    summary.unchanged += len(articles) - len(unique) + len(stored)
    todo = [article for article_id, article in unique.items() if article_id not in stored]
    if on_article is not None:
        for article in articles:
            if article.id in stored or unique[article.id] is not article:
                on_article(article, None)
    if not todo:
        return summary

    def finish(batch: list, results: list["WriteResult"]) -> None:
        for graph, result in zip(batch, results):
            if result.status == "failed":
                summary.skipped.append(SkippedInput(graph.article.source_path or graph.article.id, result.error or "not stored"))
            else:
                _count(summary, result)
            if on_article is not None:
                on_article(graph.article, result)

    processes = n_process or default_processes(len(todo))
    graphs = extract_articles(todo, nlp=nlp, n_process=processes, batch_size=batch_size)
    # One writer thread, so that NLP goes on while a batch is written (the driver waits on the
    # socket without the GIL); batches are written in order, at most WRITES_IN_FLIGHT queued.
    pending: deque[tuple[list, Future]] = deque()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsgraph-writer") as writer:
        for batch in _batches(graphs, batch_size):
            pending.append((batch, writer.submit(write_article_graphs, store, batch)))
            while len(pending) > WRITES_IN_FLIGHT:
                done, future = pending.popleft()
                finish(done, future.result())
        while pending:
            done, future = pending.popleft()
            finish(done, future.result())
    return summary


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _count(summary: IngestSummary, result: "WriteResult") -> None:
    if result.status == "unchanged":
        summary.unchanged += 1
        return
    summary.new += 1
    summary.new_versions += result.status == "new_version"
    summary.same_story += bool(result.same_story)
    summary.entities += result.entities
    summary.relations += result.relations
    summary.claims += result.claims
    summary.duplicate_claims += result.duplicate_claims
    summary.claim_links += result.claim_links


def ingest_paths(
    store: "GraphStore",
    paths: Iterable[str | os.PathLike[str]],
    *,
    published=None,
    source: str | None = None,
    n_process: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool | None = None,
    nlp=None,
    stdin=None,
) -> IngestSummary:
    """Read files, folders (recursively) and ``-`` (stdin), extract and store every article.

    ``published`` and ``source`` override what the inputs say. ``progress``: a progress bar on
    stderr; ``None`` shows one when stderr is a terminal. Returns the summary; bad inputs are in
    ``summary.skipped`` and never stop the rest."""
    summary = IngestSummary()
    articles = _read_inputs([os.fspath(p) for p in paths], published, source, summary, stdin)
    show = sys.stderr.isatty() if progress is None else progress
    if not show or not articles:
        return ingest_articles(store, articles, summary=summary, n_process=n_process, batch_size=batch_size, nlp=nlp)

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        transient=True, console=_stderr_console(),
    ) as bar:
        task = bar.add_task("ingest", total=len(articles))
        return ingest_articles(
            store, articles, summary=summary, n_process=n_process, batch_size=batch_size, nlp=nlp,
            on_article=lambda article, result: bar.advance(task),
        )


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


# --- command line ---------------------------------------------------------------------------------


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="read articles (files, folders, - for stdin) and store their graph",
        description="Read articles from files, folders (recursively) and stdin (-), extract "
        "entities, relations and claims, and store them. Already stored articles are skipped, so "
        "running the same command again (e.g. after a crash) only does what is left. Exit code: "
        "0 everything ingested, 2 some inputs skipped, 1 nothing could be done.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file, folder or - (stdin)")
    parser.add_argument("--published", help="publication date (YYYY-MM-DD) for every article read")
    parser.add_argument("--source", help="outlet name for every article read")
    parser.add_argument("--batch-size", type=_positive_int, default=DEFAULT_BATCH_SIZE, help="articles per nlp.pipe batch")
    parser.add_argument("--processes", type=_positive_int, default=None, help="NLP processes (default: 2 when there are more than 50 articles)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from graph.store import GraphStore

    with GraphStore.open() as store:
        summary = ingest_paths(
            store,
            args.paths,
            published=args.published,
            source=args.source,
            n_process=args.processes,
            batch_size=args.batch_size,
            progress=False if args.quiet else None,
            stdin=sys.stdin.buffer if "-" in args.paths else None,
        )
    if not args.quiet:
        print("\n".join(summary.lines()))
    return summary.exit_code
