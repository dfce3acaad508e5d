"""Count, over unlabelled news, how often each word takes a clause and an animate subject.

    python bench/lemma_propensity.py [--bbc DIR] [--polnear DIR] [--cache FILE.spacy] [--out TSV]

The cue model of ``newsgraph_attribution`` learns the words PolNeAR's annotators counted as
cues, but a word seen a handful of times in PolNeAR train tells it little.  What does is how
the word behaves in news at large: a verb that often takes a complement clause ("mused that
...", "lamented that ...") with a person or an organisation as its subject is a verb of saying
or thinking, whatever the annotated corpus had of it.  This script parses the BBC news
articles and the texts (not the annotations) of PolNeAR train with the same model, and writes
for each verb, noun and adjective lemma seen at least ``--min-count`` times its count, the share
of its occurrences with a complement clause and the share with an animate subject (or owner,
for a noun) to ingest/data/lemma_propensity.tsv.  The file holds numbers for words, no text of
either corpus; :func:`ingest.attribution.cue_features` buckets them.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.attribution import DEFAULT_DATA, load_compartment, parsed_docs  # noqa: E402
from ingest.attribution import LEMMA_PROPENSITY_TSV, clause_and_agent  # noqa: E402
from ingest.pipeline import load_model  # noqa: E402
from ingest.readers import read_path  # noqa: E402

DEFAULT_BBC = ROOT.parent / "shared" / "data" / "bbc_news"


def count(docs) -> tuple[Counter, Counter, Counter]:
    seen, with_clause, with_agent = Counter(), Counter(), Counter()
    for doc in docs:
        for token in doc:
            key = clause_and_agent(token)
            if key is None:
                continue
            word, clause, agent = key
            seen[word] += 1
            with_clause[word] += clause
            with_agent[word] += agent
    return seen, with_clause, with_agent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bbc", type=Path, default=DEFAULT_BBC)
    parser.add_argument("--polnear", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=None, help="DocBin of the parsed PolNeAR train articles")
    parser.add_argument("--out", type=Path, default=LEMMA_PROPENSITY_TSV)
    parser.add_argument("--min-count", type=int, default=10)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)

    nlp = load_model()
    polnear = parsed_docs(nlp, [text for _, text, _ in load_compartment(args.polnear, "train")], args.cache)
    bbc_texts = [  # the category folders, not the README
        article.text for category in sorted(p for p in args.bbc.iterdir() if p.is_dir())
        for article in read_path(category).articles
    ]
    if not bbc_texts:
        raise SystemExit(f"{args.bbc}: no articles")
    bbc = nlp.pipe(bbc_texts, batch_size=32, n_process=args.processes)
    seen, with_clause, with_agent = count(list(polnear) + list(bbc))
    rows = sorted(w for w, n in seen.items() if n >= args.min_count)
    lines = [
        "# newsgraph_attribution lemma propensities: written by bench/lemma_propensity.py from "
        f"{len(bbc_texts)} BBC news articles and {len(polnear)} PolNeAR train texts",
        "# pos:lemma<TAB>occurrences<TAB>share with a complement clause<TAB>share with an animate subject",
    ] + [f"{w}\t{seen[w]}\t{with_clause[w] / seen[w]:.3f}\t{with_agent[w] / seen[w]:.3f}" for w in rows]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(rows)} lemmas seen at least {args.min_count} times")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
