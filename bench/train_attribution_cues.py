"""Train the cue model of ``newsgraph_attribution`` on PolNeAR train.

    python bench/train_attribution_cues.py [--data DIR] [--cache FILE.spacy] [--out TSV]

The component's syntax pass offers candidates (every verb with something it could be
saying, nouns with a content clause or an owner, stance adjectives, "according to"); a
logistic regression over :func:`ingest.attribution.cue_features` keeps the ones that are
attributions.  A candidate is a positive example when a gold attribution of PolNeAR train has
a cue and a content that both share a word with it (the measure bench/attribution.py scores).

Only the ``train`` compartment is read.  The regularisation strength and the decision
threshold are picked by cross-validation over articles (five folds, so that an article's own
words never vouch for its candidates); the model is then fitted on all of train and written
as ``feature<TAB>weight`` lines (plus ``@bias`` and ``@threshold``) to
ingest/data/attribution_cues.tsv.  Features seen fewer than ``--min-count`` times are left out,
so no rare word or phrase of the corpus ends up in the file.  Needs scikit-learn (it comes
with the test extras); the component itself only reads the TSV.

``--cache`` keeps the parsed articles in a spaCy DocBin, so retraining after a change to the
features takes seconds instead of a full parse.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import spacy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.attribution import DEFAULT_DATA, MODEL, _words, load_compartment, parsed_docs  # noqa: E402
from ingest.attribution import CUE_MODEL_TSV, cue_candidates, quote_index  # noqa: E402


def examples(articles, docs):
    """(article index, features, label) for every candidate of every article."""
    out = []
    for n, ((_name, text, gold), doc) in enumerate(zip(articles, docs)):
        gold_words = [(_words(text, g.cue), _words(text, g.content)) for g in gold]
        _quotes, in_quote = quote_index(doc)
        for record, features in cue_candidates(doc, in_quote):
            cue = doc[record["cue"][0] : record["cue"][1]]
            content = [doc[s:e] for s, e in record["content"]]
            cue_words = _words(text, [(cue.start_char, cue.end_char)])
            content_words = _words(text, [(c.start_char, c.end_char) for c in content])
            label = any(cue_words & gc and content_words & gk for gc, gk in gold_words)
            out.append((n, features, label))
    return out


def matrix(rows, vocabulary):
    from scipy.sparse import csr_matrix

    indptr, indices = [0], []
    for features in rows:
        indices.extend(sorted({vocabulary[f] for f in features if f in vocabulary}))
        indptr.append(len(indices))
    return csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(vocabulary)))


def best_threshold(probabilities, labels, n_gold: int) -> tuple[float, float]:
    """The threshold with the best F1 of the kept candidates against all gold attributions."""
    order = np.argsort(-probabilities)
    tp = np.cumsum(labels[order])
    kept = np.arange(1, len(order) + 1)
    f1 = 2 * tp / (kept + n_gold)
    best = int(np.argmax(f1))
    return float(probabilities[order][best]), float(f1[best])


def main(argv: list[str] | None = None) -> int:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=None, help="DocBin of the parsed train articles")
    parser.add_argument("--out", type=Path, default=CUE_MODEL_TSV)
    parser.add_argument("--min-count", type=int, default=5)
    args = parser.parse_args(argv)

    articles = load_compartment(args.data, "train")
    docs = parsed_docs(spacy.load(MODEL), [text for _, text, _ in articles], args.cache)
    data = examples(articles, docs)
    counts = Counter(f for _, features, _ in data for f in set(features))
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= args.min_count))}
    x = matrix([features for _, features, _ in data], vocabulary)
    y = np.array([label for _, _, label in data], dtype=float)
    groups = np.array([n for n, _, _ in data])
    n_gold = sum(len(gold) for _, _, gold in articles)
    print(f"{len(data)} candidates ({int(y.sum())} positive), {len(vocabulary)} features, {n_gold} gold")

    best = None
    for c in (0.1, 0.3, 1.0, 3.0):
        probabilities = np.zeros(len(y))
        for fit, held in GroupKFold(n_splits=5).split(x, y, groups):
            model = LogisticRegression(C=c, max_iter=2000).fit(x[fit], y[fit])
            probabilities[held] = model.predict_proba(x[held])[:, 1]
        threshold, f1 = best_threshold(probabilities, y, n_gold)
        print(f"C={c}: cross-validated candidate F1 {f1:.3f} at threshold {threshold:.3f}")
        if best is None or f1 > best[0]:
            best = (f1, c, threshold)
    _f1, c, threshold = best
    model = LogisticRegression(C=c, max_iter=2000).fit(x, y)
    names = sorted(vocabulary, key=vocabulary.get)
    weights = sorted(
        ((name, float(w)) for name, w in zip(names, model.coef_[0]) if abs(w) >= 0.01),
        key=lambda item: (-abs(item[1]), item[0]),
    )
    lines = [
        "# newsgraph_attribution cue model: logistic regression over ingest.attribution.cue_features",
        f"# trained on PolNeAR train by bench/train_attribution_cues.py (C={c}, min count "
        f"{args.min_count}, {len(data)} candidates); threshold by 5-fold cross-validation over articles",
        f"@bias\t{float(model.intercept_[0]):.4f}",
        f"@threshold\t{threshold:.4f}",
    ] + [f"{name}\t{w:.4f}" for name, w in weights]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(weights)} weights, C={c}, threshold {threshold:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
