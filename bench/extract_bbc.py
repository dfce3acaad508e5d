"""Benchmark: the extractor over the 2,225 BBC news articles (robustness, speed, sanity).

    .venv/bin/python bench/extract_bbc.py [--data DIR] [--processes N] [--limit N]
        [--ratio-sample N] [--write-docs]

Reads every article with ``ingest.readers.read_path`` (first line = title), runs
``extract_articles`` and reports: crashes (an article whose extraction raised; must be none),
wall time, articles/s, and the 20 most frequent entities per type (by number of articles that
mention them).  Side by side in the same run, on the first ``--ratio-sample`` articles, it times
raw ``nlp.pipe`` of the bare spaCy model against ``extract_articles`` (our components plus the
pure extractors), alternating chunks of 25 articles so that the ratio is measured on the same
machine state; and it times each of our components and extractors on the first 100 articles
(share of the bare model's time).  ``--write-docs`` replaces this benchmark's marked section of
docs/EVALUATION.md with the results.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from ingest.extract import extract_article  # noqa: E402
from ingest.pipeline import MODEL, PARAGRAPHS, load_pipeline  # noqa: E402
from ingest.readers import ReadResult, read_path  # noqa: E402

DEFAULT_DATA = Path("/work/shared/data/bbc_news")
SECTION = "## Entities: BBC news benchmark"


def _timed_side_by_side(articles, n_process: int, chunk: int = 25) -> tuple[float, float]:
    """Seconds for raw ``nlp.pipe`` of the bare model and for our extraction on the same
    articles, alternating chunk by chunk so that load on a shared machine hits both alike."""
    raw_nlp, ours_nlp = spacy.load(MODEL), load_pipeline()
    raw = ours = 0.0
    for i in range(0, len(articles), chunk):
        part = articles[i:i + chunk]
        start = time.perf_counter()
        for _ in raw_nlp.pipe([a.text for a in part], n_process=n_process, batch_size=32):
            pass
        raw += time.perf_counter() - start
        start = time.perf_counter()
        pairs = ((a.text, a) for a in part)
        for doc, article in ours_nlp.pipe(pairs, as_tuples=True, n_process=n_process, batch_size=32):
            try:
                extract_article(doc, article)
            except Exception:  # noqa: BLE001 - counted (with its traceback) by the main pass
                pass
        ours += time.perf_counter() - start
    return raw, ours


def _component_shares(articles) -> dict[str, float]:
    """Time of each of our components and pure extractors as a share of the bare model's."""
    from ingest.claims import claims_and_sources_from_doc
    from ingest.entities import entities_from_doc
    from ingest.extract import sentences_from_doc
    from ingest.relations import relations_from_doc

    nlp = load_pipeline()
    # newsgraph_paragraphs runs before the parser, on tokens only: timed on unparsed docs (a
    # parsed doc's sentence starts are fixed) and left out of the bare model's time
    ours = [name for name in nlp.pipe_names if name.startswith("newsgraph_") and name != PARAGRAPHS]
    seconds: dict[str, float] = collections.defaultdict(float)
    paragraphs = nlp.get_pipe(PARAGRAPHS)
    for doc in (nlp.make_doc(a.text) for a in articles):
        start = time.perf_counter()
        paragraphs(doc)
        seconds[f"component {PARAGRAPHS}"] += time.perf_counter() - start
    with nlp.select_pipes(disable=ours + [PARAGRAPHS]):
        start = time.perf_counter()
        docs = list(nlp.pipe([a.text for a in articles]))
        base = time.perf_counter() - start
    for name in ours:
        component = nlp.get_pipe(name)
        start = time.perf_counter()
        for doc in docs:
            component(doc)
        seconds[f"component {name}"] = time.perf_counter() - start
    for doc, article in zip(docs, articles):
        start = time.perf_counter()
        entities = entities_from_doc(doc, article)
        seconds["entities_from_doc"] += time.perf_counter() - start
        start = time.perf_counter()
        relations, events = relations_from_doc(doc, article, entities)
        seconds["relations_from_doc"] += time.perf_counter() - start
        start = time.perf_counter()
        try:
            claims_and_sources_from_doc(doc, article, entities + events)
        except Exception:  # noqa: BLE001 - counted by the main pass
            pass
        seconds["claims_and_sources_from_doc"] += time.perf_counter() - start
        start = time.perf_counter()
        sentences_from_doc(doc)
        seconds["sentences"] += time.perf_counter() - start
    return {name: value / base for name, value in seconds.items()}


def run(data: Path, n_process: int, limit: int | None, ratio_sample: int) -> dict:
    read = ReadResult()
    for category in sorted(p for p in data.iterdir() if p.is_dir()):  # not the README
        read.extend(read_path(category))
    articles = read.articles[:limit] if limit else read.articles
    sample = articles[:ratio_sample]
    raw, ours = _timed_side_by_side(sample, n_process)
    shares = _component_shares(articles[:100])

    nlp = load_pipeline()
    crashes: list[tuple[str, str]] = []
    by_type: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    names: dict[str, str] = {}
    entities = mentions = 0
    start = time.perf_counter()
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, n_process=n_process, batch_size=32):
        try:
            graph = extract_article(doc, article)
        except Exception:  # noqa: BLE001 - a crash is what this benchmark counts and reports
            crashes.append((article.source_path or article.id, traceback.format_exc(limit=3)))
            continue
        for entity in graph.entities:
            by_type[entity.type][entity.id] += 1
            names.setdefault(entity.id, entity.name)
            entities += 1
            mentions += len(entity.mentions)
    elapsed = time.perf_counter() - start
    return {
        "articles": len(articles), "skipped": [str(s) for s in read.skipped], "crashes": crashes,
        "seconds": elapsed, "rate": len(articles) / elapsed if elapsed else 0.0,
        "entities": entities, "mentions": mentions, "by_type": by_type, "names": names,
        "ratio_sample": len(sample), "shares": shares, "raw_seconds": raw, "ours_seconds": ours, "n_process": n_process,
    }


def report(result: dict) -> str:
    lines = [
        SECTION,
        "",
        f"Run {dt.date.today().isoformat()} with `bench/extract_bbc.py --processes {result['n_process']}` "
        f"over /work/shared/data/bbc_news (read with `ingest.readers.read_path`).",
        "",
        f"- articles: {result['articles']} (inputs skipped by the reader: {len(result['skipped'])})",
        f"- crashes: **{len(result['crashes'])}**",
        f"- wall time: {result['seconds']:.1f} s, **{result['rate']:.1f} articles/s** "
        f"({result['n_process']} process(es), full pipeline and all extractors)",
        f"- entities: {result['entities']} (per-article nodes), mentions: {result['mentions']}",
        f"- speed ratio, same run, first {result['ratio_sample']} articles: raw `nlp.pipe` of {MODEL} "
        f"{result['ratio_sample'] / result['raw_seconds']:.1f} articles/s, our extraction "
        f"{result['ratio_sample'] / result['ours_seconds']:.1f} articles/s: "
        f"**ratio {result['raw_seconds'] / result['ours_seconds']:.2f}** (target >= 0.8)",
        "",
        "Cost of each of our parts on the first 100 articles, as a share of the bare model's time: "
        + ", ".join(f"{name} {share:.1%}" for name, share in result["shares"].items())
        + f" (sum {sum(result['shares'].values()):.1%}, so an expected ratio of "
        f"{1 / (1 + sum(result['shares'].values())):.2f} on a quiet machine; the machine is shared by "
        "other jobs, so absolute rates vary between runs: the side-by-side ratio is what counts).",
        "",
        "The 20 most frequent entities per type (number of articles mentioning them):",
        "",
    ]
    for type_ in ("Person", "Organization", "State", "Place", "Unit"):
        top = result["by_type"].get(type_, collections.Counter()).most_common(20)
        lines.append(f"- **{type_}**: " + ", ".join(f"{result['names'][i]} ({n})" for i, n in top))
    if result["crashes"]:
        lines += ["", "Crashes:", ""] + [f"- {where}: `{trace.splitlines()[-1]}`" for where, trace in result["crashes"][:20]]
    return "\n".join(lines) + "\n"


def write_section(path: Path, key: str, section: str) -> None:
    """Replace the part of ``path`` between ``<!-- key:start -->`` and ``<!-- key:end -->``
    (appended when missing): each benchmark owns its own part of docs/EVALUATION.md."""
    start, end = f"<!-- {key}:start -->", f"<!-- {key}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Evaluation\n"
    block = f"{start}\n{section.rstrip()}\n\n{end}"
    if start in text and end in text:
        text = text[:text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--ratio-sample", type=int, default=300)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    result = run(args.data, args.processes, args.limit, args.ratio_sample)
    section = report(result)
    print(section)
    if args.write_docs:
        write_section(ROOT / "docs" / "EVALUATION.md", "entities-bbc", section)
    return 1 if result["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
