"""Score the relations extractor against the gold annotations of the sample corpus.

    .venv/bin/python bench/score_relations.py [--gold bench/gold/samples.json] [--verbose]
        [--write-docs]

Runs the whole pipeline (``extract_articles``) over the sample corpus, so entity ids come from
the entities extractor: a relation whose source is the right thing under another id is a miss
and a false positive.  Per relation type it prints precision, recall and F1 (optional gold items
count neither way; ``alt_targets`` are accepted; ``ALLIED_WITH``/``COOPERATES_WITH`` match in
either direction), then, for the matched gold relations that state them, how many properties
(``count``, ``qualifier``, ``from``, ``time_start``/``time_end``, ``status``, ``title``) agree.
Not scored: ``PARTICIPATED_IN`` and event locations (events are optional in the gold) and
``LOCATED_IN`` from the gazetteer (the gold annotates what the text says).
``--write-docs`` replaces the "Relations: sample corpus scores" section of docs/EVALUATION.md.
"""
from __future__ import annotations

import collections
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.model import Relation  # noqa: E402
from ingest.extract import extract_articles  # noqa: E402
from ingest.sample_corpus import load_sample_articles  # noqa: E402

SECTION = "## Relations: sample corpus scores"
SYMMETRIC = {"ALLIED_WITH", "COOPERATES_WITH"}
PROPERTIES = ("count", "qualifier", "from", "time_start", "time_end", "status", "title")


def _scored(relation: Relation) -> bool:
    if relation.type == "PARTICIPATED_IN" or relation.source.startswith("event:"):
        return False
    return relation.evidence.extractor != "relations.geocoded"


def _keys(type_: str, source: str, targets: list[str]) -> set[tuple[str, str, str]]:
    keys = {(type_, source, target) for target in targets}
    if type_ in SYMMETRIC:
        keys |= {(type_, target, source) for target in targets}
    return keys


def _predicted_properties(relation: Relation) -> dict:
    props = dict(relation.properties)
    time = props.pop("time", None)
    if time:
        props["time_start"], props["time_end"] = time.get("start"), time.get("end")
    return props


def score(gold_path: Path, verbose: bool = False) -> dict:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    ids = {item["name"]: item["id"] for item in gold["catalogue"]}
    graphs = {graph.article.id: graph for graph in extract_articles(load_sample_articles())}
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    misses, false_positives, property_errors = [], [], []
    properties_given = properties_right = 0
    for article in gold["articles"]:
        graph = graphs[article["article_id"]]
        predicted = [r for r in graph.relations if _scored(r)]
        claimed: set[int] = set()  # predicted relations matched to some gold item
        for item in article["relations"]:
            source = ids.get(item["source"], item["source"])
            targets = [ids.get(t, t) for t in [item["target"], *item.get("alt_targets", [])]]
            keys = _keys(item["type"], source, targets)
            found = [i for i, r in enumerate(predicted) if (r.type, r.source, r.target) in keys]
            claimed.update(found)
            if item.get("optional"):
                continue
            if not found:
                counts[item["type"]]["missed"] += 1
                misses.append((article["file"], item["type"], item["source"], item["target"], item["evidence"]))
                continue
            counts[item["type"]]["tp"] += 1
            wanted = {k: v for k, v in item.get("properties", {}).items() if k in PROPERTIES}
            if "from" in wanted:
                wanted["from"] = ids.get(wanted["from"], wanted["from"])
            candidates = [_predicted_properties(predicted[i]) for i in found]
            best = max(candidates, key=lambda props: sum(props.get(k) == v for k, v in wanted.items()))
            properties_given += len(wanted)
            right = {k for k, v in wanted.items() if best.get(k) == v}
            properties_right += len(right)
            for key in set(wanted) - right:
                property_errors.append((article["file"], item["type"], item["source"], item["target"], key,
                                        wanted[key], best.get(key)))
        for i, relation in enumerate(predicted):
            if i not in claimed:
                counts[relation.type]["fp"] += 1
                false_positives.append((article["file"], relation.type, relation.source, relation.target,
                                        graph.article.text[relation.evidence.start:relation.evidence.end]))
    per_type = {}
    for type_ in sorted(counts):
        row = counts[type_]
        tp, fp, missed = row["tp"], row["fp"], row["missed"]
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + missed) if tp + missed else None
        f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
        per_type[type_] = {"tp": tp, "fp": fp, "missed": missed, "precision": precision, "recall": recall, "f1": f1}
    tp = sum(r["tp"] for r in per_type.values())
    fp = sum(r["fp"] for r in per_type.values())
    missed = sum(r["missed"] for r in per_type.values())
    precision, recall = tp / (tp + fp), tp / (tp + missed)
    return {
        "articles": len(gold["articles"]), "per_type": per_type, "precision": precision, "recall": recall,
        "f1": 2 * precision * recall / (precision + recall), "misses": misses,
        "false_positives": false_positives, "properties_given": properties_given,
        "properties_right": properties_right, "property_errors": property_errors,
    }


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def report(result: dict, verbose: bool) -> str:
    lines = [
        SECTION, "",
        f"Run {dt.date.today().isoformat()} with `bench/score_relations.py` against bench/gold/samples.json "
        f"({result['articles']} articles, whole pipeline, so entity ids are the entities extractor's). "
        "Not scored: `PARTICIPATED_IN` and event locations (events are optional in the gold) and "
        "`LOCATED_IN` from the gazetteer. The gold lists only some `PART_OF` edges of units to their "
        "state, so correct ones it leaves out count as false positives. Development-set figures: the "
        "rules were written while reading these samples (and BBC articles).", "",
        "| type | P | R | F1 | TP | FP | missed |", "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for type_, row in result["per_type"].items():
        lines.append(f"| {type_} | {_fmt(row['precision'])} | {_fmt(row['recall'])} | {_fmt(row['f1'])} | "
                     f"{row['tp']} | {row['fp']} | {row['missed']} |")
    lines += [
        f"| **all** | **{result['precision']:.2f}** | **{result['recall']:.2f}** | **{result['f1']:.2f}** | | | |",
        "",
        f"- properties of matched relations that agree with the gold (count, qualifier, from, time "
        f"interval, status, title): **{result['properties_right']}/{result['properties_given']}**",
    ]
    if verbose or result["misses"]:
        lines += ["", "Missed gold relations:", ""] + [f"- {f}: {t} {s} -> {o} ({e})" for f, t, s, o, e in result["misses"]]
    if verbose or result["property_errors"]:
        lines += ["", "Property disagreements:", ""] + [
            f"- {f}: {t} {s} -> {o}: {k} gold {g!r}, ours {p!r}" for f, t, s, o, k, g, p in result["property_errors"]]
    if verbose:
        lines += ["", "Predicted relations not in the gold:", ""] + [
            f"- {f}: {t} {s} -> {o} «{e}»" for f, t, s, o, e in result["false_positives"]]
    return "\n".join(lines) + "\n"


def main() -> int:
    sys.path.insert(0, str(ROOT / "bench"))
    from score_entities import run_scorer

    return run_scorer(score, report, "relations-samples")


if __name__ == "__main__":
    sys.exit(main())
