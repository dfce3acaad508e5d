"""Train the cue model of ``newsgraph_attribution`` on PolNeAR train.

    python bench/train_attribution_cues.py [--data DIR] [--cache FILE.spacy] [--out TSV]
        [--nesting-out TSV] [--c C ...]

The component's syntax pass offers candidates (every verb with something it could be
saying, nouns with a content clause or an owner, stance adjectives, "according to"); a
logistic regression over :func:`ingest.attribution.cue_features` keeps the ones that are
attributions.  A candidate is a positive example when a gold attribution of PolNeAR train has
a cue and a content that both share a word with it (the measure bench/attribution.py scores).

Only the ``train`` compartment is read.  The regularisation strength and the decision
threshold are picked by cross-validation over articles (five folds by article index, so that an
article's own words never vouch for its candidates); the model is then fitted on all of train and written
as ``feature<TAB>weight`` lines (plus ``@bias`` and ``@threshold``) to
ingest/data/attribution_cues.tsv.  Features seen fewer than ``--min-count`` times are left out,
so no rare word or phrase of the corpus ends up in the file.  Needs scikit-learn (it comes
with the test extras); the component itself only reads the TSV.

Then the whole component runs over train, each article with the models of the folds that left
it out, and prints the measure bench/attribution.py reports (attribution and source F1): the
cross-validated score on train that changes are judged by.  From those attributions it also
trains the nesting model (:func:`ingest.attribution.nesting_features`, written to
ingest/data/attribution_nesting.tsv): for an attribution inside another one's content, is it a
second attribution of its own (positive: a gold attribution of PolNeAR, which never nests) or
a report inside the report?

``--cache`` keeps the parsed articles in a spaCy DocBin, so retraining after a change to the
features takes seconds instead of a full parse.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.attribution import (  # noqa: E402
    DEFAULT_DATA, _words, evaluate, load_compartment, ours, parsed_docs,
)
from ingest.attribution import (  # noqa: E402
    CUE_MODEL_TSV, EXTENSION, NESTING_MODEL_TSV, AttributionComponent, CueModel, cue_candidates,
    find_attributions, nested_pairs, nesting_features, quote_index,
)
from ingest.pipeline import load_model  # noqa: E402

FOLDS = 5


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


def fold_of(groups) -> np.ndarray:
    """The cross-validation fold of each row: its article's index modulo FOLDS."""
    return np.asarray(groups) % FOLDS


def cue_model_of(model, names: list[str], threshold: float) -> CueModel:
    """A fitted scikit-learn regression as the component's :class:`CueModel`."""
    weights = {name: float(w) for name, w in zip(names, model.coef_[0]) if w != 0.0}
    return CueModel(weights, float(model.intercept_[0]), threshold)


# a nesting model that never separates: the component as it is before the nesting model
NEVER_SEPARATE = CueModel({}, 0.0, 2.0)


# The cue word's own features (its lemma, alone and with the rest) are the most numerous and
# the likeliest to learn train's words rather than news: they enter the regression scaled down,
# that is with a stronger penalty (train, cross-validated: candidate F1 0.7840 against 0.7834
# unscaled; any scale from 0.6 to 0.9 was above it).
LEMMA_FEATURE_SCALE = 0.8


def feature_scales(names: list[str]) -> np.ndarray:
    return np.array([LEMMA_FEATURE_SCALE if name.startswith("lemma") else 1.0 for name in names])


def fit(x, y, c: float, scales: np.ndarray | None = None):
    """A logistic regression over the binary features ``x``, each column's penalty set by its
    scale (the model returned weighs the unscaled features, as the component does)."""
    from sklearn.linear_model import LogisticRegression

    if scales is None:
        return LogisticRegression(C=c, max_iter=2000).fit(x, y)
    model = LogisticRegression(C=c, max_iter=2000).fit(x.multiply(scales).tocsr(), y)
    model.coef_ = model.coef_ * scales
    return model


def run_folds(docs, cue_models, nesting_models) -> None:
    """The component over train, each article with the models fitted without its fold."""
    AttributionComponent()  # registers the Doc extension the results go to
    for n, doc in enumerate(docs):
        k = n % FOLDS
        doc._.set(EXTENSION, find_attributions(doc, model=cue_models[k], nesting=nesting_models[k]))


def nesting_examples(articles, docs):
    """(article index, features, label) for every attribution inside another one's content:
    positive when it is a gold attribution of its own (cue and content overlap one whose cue
    is not the outer one's)."""
    out = []
    for n, ((_name, text, gold), doc) in enumerate(zip(articles, docs)):
        found = doc._.get(EXTENSION)
        sentence_of = {t.i: k for k, sent in enumerate(doc.sents) for t in sent}
        gold_words = [(_words(text, g.cue), _words(text, g.content)) for g in gold]

        def words(ranges):
            return _words(text, [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for s, e in ranges])

        for outer, inner, part in nested_pairs(doc, found, sentence_of):
            inner_cue, inner_content, outer_cue = words([inner["cue"]]), words(inner["content"]), words([outer["cue"]])
            label = any(
                inner_cue & gc and inner_content & gk and not outer_cue & gc for gc, gk in gold_words
            )
            out.append((n, nesting_features(doc, outer, inner, part), label))
    return out


def model_lines(title: str, model, names, threshold: float, note: str) -> list[str]:
    weights = sorted(
        ((name, float(w)) for name, w in zip(names, model.coef_[0]) if abs(w) >= 0.01),
        key=lambda item: (-abs(item[1]), item[0]),
    )
    return [
        f"# newsgraph_attribution {title}",
        f"# trained on PolNeAR train by bench/train_attribution_cues.py ({note})",
        f"@bias\t{float(model.intercept_[0]):.4f}",
        f"@threshold\t{threshold:.4f}",
    ] + [f"{name}\t{w:.4f}" for name, w in weights]


def report(label: str, articles, docs) -> float:
    totals = evaluate(articles, docs, ours)
    for row in ("attribution all", "attribution direct", "source overlap"):
        p, r, f = totals[row].prf()
        print(f"cross-validated component{label}, {row}: P {p:.4f} R {r:.4f} F1 {f:.4f}")
    return totals["attribution all"].prf()[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=None, help="DocBin of the parsed train articles")
    parser.add_argument("--out", type=Path, default=CUE_MODEL_TSV)
    parser.add_argument("--nesting-out", type=Path, default=NESTING_MODEL_TSV)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument(
        "--c", type=float, nargs="+", default=[0.1, 0.2, 0.3, 0.5, 1.0],
        help="regularisation strengths to cross-validate",
    )
    args = parser.parse_args(argv)

    articles = load_compartment(args.data, "train")
    docs = parsed_docs(load_model(), [text for _, text, _ in articles], args.cache)
    data = examples(articles, docs)
    counts = Counter(f for _, features, _ in data for f in set(features))
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= args.min_count))}
    names = sorted(vocabulary, key=vocabulary.get)
    x = matrix([features for _, features, _ in data], vocabulary)
    y = np.array([label for _, _, label in data], dtype=float)
    folds = fold_of([n for n, _, _ in data])
    scales = feature_scales(names)
    n_gold = sum(len(gold) for _, _, gold in articles)
    print(f"{len(data)} candidates ({int(y.sum())} positive), {len(vocabulary)} features, {n_gold} gold")

    best = None
    for c in args.c:
        probabilities = np.zeros(len(y))
        for k in range(FOLDS):
            model = fit(x[folds != k], y[folds != k], c, scales)
            probabilities[folds == k] = model.predict_proba(x[folds == k])[:, 1]
        threshold, f1 = best_threshold(probabilities, y, n_gold)
        print(f"C={c}: cross-validated candidate F1 {f1:.3f} at threshold {threshold:.3f}")
        if best is None or f1 > best[0]:
            best = (f1, c, threshold)
    _f1, c, threshold = best
    cue_models = [
        cue_model_of(fit(x[folds != k], y[folds != k], c, scales), names, threshold) for k in range(FOLDS)
    ]
    run_folds(docs, cue_models, [NEVER_SEPARATE] * FOLDS)
    report(" without the nesting model", articles, docs)

    # the nesting model learns from the attributions the cross-validated cue models find
    pairs = nesting_examples(articles, docs)
    pair_counts = Counter(f for _, features, _ in pairs for f in set(features))
    pair_vocabulary = {
        f: i for i, f in enumerate(sorted(f for f, n in pair_counts.items() if n >= args.min_count))
    }
    pair_names = sorted(pair_vocabulary, key=pair_vocabulary.get)
    px = matrix([features for _, features, _ in pairs], pair_vocabulary)
    py = np.array([label for _, _, label in pairs], dtype=float)
    pair_folds = fold_of([n for n, _, _ in pairs])
    print(f"{len(pairs)} nested pairs ({int(py.sum())} separate in gold), {len(pair_vocabulary)} features")
    nesting_models = [
        cue_model_of(fit(px[pair_folds != k], py[pair_folds != k], 1.0), pair_names, 0.5)
        for k in range(FOLDS)
    ]
    run_folds(docs, cue_models, nesting_models)
    report("", articles, docs)

    cue_lines = model_lines(
        "cue model: logistic regression over ingest.attribution.cue_features", fit(x, y, c, scales),
        names, threshold, f"C={c}, lemma features scaled {LEMMA_FEATURE_SCALE}, min count "
        f"{args.min_count}, {len(data)} candidates; threshold by "
        f"{FOLDS}-fold cross-validation over articles",
    )
    nesting_lines = model_lines(
        "nesting model: logistic regression over ingest.attribution.nesting_features",
        fit(px, py, 1.0), pair_names, 0.5,
        f"C=1.0, min count {args.min_count}, {len(pairs)} attributions inside another one's content",
    )
    args.out.write_text("\n".join(cue_lines) + "\n", encoding="utf-8")
    args.nesting_out.write_text("\n".join(nesting_lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (C={c}, threshold {threshold:.3f}) and {args.nesting_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
