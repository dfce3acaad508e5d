"""Score the entities extractor against the gold annotations of the sample corpus.

    .venv/bin/python bench/score_entities.py [--gold bench/gold/samples.json] [--verbose]
        [--write-docs]

Gold format and matching conventions: bench/gold/README.md.  Per entity type it prints
precision, recall and F1 (optional gold items count neither way), the junk count (predicted
entities named like a gold ``not_entities`` surface), same-node recall (groups and pairs of
surfaces that must be one node), and wrongly merged pairs (``different_nodes`` and gold people
of one article that end up as one predicted node).  ``--write-docs`` replaces the "Entities:
sample corpus scores" section of docs/EVALUATION.md.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import itertools
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.model import Entity  # noqa: E402
from ingest.extract import extract_articles  # noqa: E402
from ingest.sample_corpus import load_sample_articles  # noqa: E402

SECTION = "## Entities: sample corpus scores"
TYPES = ("Person", "Organization", "State", "Place", "Unit", "Source")


def norm(text: str) -> str:
    text = text.replace("’", "'").strip()
    text = re.sub(r"'s?$", "", text)
    text = re.sub(r"^(?i:the)\s+", "", text)  # mentions exclude a leading "the"
    return " ".join(text.casefold().split())


def _surface(mention) -> str:
    return mention["text"] if isinstance(mention, dict) else mention


def _context_offsets(text: str, mention: dict) -> list[int]:
    """Offsets of a contextual mention: each occurrence of its text inside its context."""
    out = []
    for found in re.finditer(re.escape(mention["context"]), text):
        inner = mention["context"].find(mention["text"])
        if inner >= 0:
            out.append(found.start() + inner)
    return out


def _surfaces(entity: Entity) -> set[str]:
    return {norm(entity.name)} | {norm(m.text) for m in entity.mentions}


def _matches(pred: Entity, gold: dict, gold_type: str, text: str) -> bool:
    if pred.type != gold_type:
        return False
    if gold_type == "Source":
        for mention in gold["mentions"]:
            surface = _surface(mention)
            for found in re.finditer(re.escape(surface), text):
                if any(m.start < found.end() and found.start() < m.end for m in pred.mentions):
                    return True
        return False
    wanted = {norm(gold["name"])}
    for mention in gold["mentions"]:
        if isinstance(mention, dict):
            starts = _context_offsets(text, mention)
            if any(m.start in starts for m in pred.mentions):
                return True
        else:
            wanted.add(norm(mention))
    return bool(_surfaces(pred) & wanted)


def _has_surface(pred: Entity, surface, text: str) -> bool:
    if isinstance(surface, dict):
        starts = _context_offsets(text, surface)
        return any(m.start in starts for m in pred.mentions)
    return norm(surface) in {norm(m.text) for m in pred.mentions}


def score(gold_path: Path, verbose: bool = False) -> dict:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    catalogue = {c["name"]: c for c in gold["catalogue"]}
    articles = {a.id: a for a in load_sample_articles()}
    graphs = {g.article.id: g for g in extract_articles(list(articles.values()))}
    tp = collections.Counter()
    fp = collections.Counter()
    fn = collections.Counter()
    found = collections.Counter()
    junk: list[tuple[str, str]] = []
    false_positives: list[tuple[str, str, str]] = []
    misses: list[tuple[str, str, str]] = []
    groups = groups_merged = pairs = pairs_merged = 0
    split_groups: list[tuple[str, list]] = []
    wrong_merges: list[tuple[str, str, str]] = []
    for gold_article in gold["articles"]:
        graph = graphs.get(gold_article["article_id"])
        if graph is None:
            raise SystemExit(f"gold article {gold_article['file']} ({gold_article['article_id']}) not in the sample corpus")
        text = graph.article.text
        predicted = [e for e in graph.entities if e.type in TYPES]
        gold_entities = []
        for item in gold_article["entities"]:
            gold_type = item.get("type") or catalogue.get(item["name"], {}).get("type")
            if gold_type in TYPES:
                gold_entities.append((item, gold_type))
        # recall
        for item, gold_type in gold_entities:
            hit = any(_matches(p, item, gold_type, text) for p in predicted)
            if item.get("optional"):
                continue
            if hit:
                found[gold_type] += 1
            else:
                fn[gold_type] += 1
                misses.append((gold_article["file"], gold_type, item["name"]))
        # precision
        not_entities = {norm(s) for s in gold_article.get("not_entities", [])}
        for pred in predicted:
            matched = [(item, t) for item, t in gold_entities if _matches(pred, item, t, text)]
            if any(not item.get("optional") for item, _ in matched):
                tp[pred.type] += 1
            elif matched:
                continue  # only optional gold items: neither right nor wrong
            elif pred.type == "Source":
                continue  # unnamed sources are scored by the claims bench
            else:
                fp[pred.type] += 1
                false_positives.append((gold_article["file"], pred.type, pred.name))
            if _surfaces(pred) & not_entities:
                junk.append((gold_article["file"], pred.name))
            # one predicted person standing for two gold people
            people = {item["name"] for item, t in matched if t == "Person"}
            if len(people) > 1:
                wrong_merges.append((gold_article["file"], *sorted(people)[:2]))
        # same-node groups
        for group in gold_article.get("same_node", []):
            surfaces = [s for s in group if not (isinstance(s, str) and s.lower() in ("he", "she", "they", "it"))]
            if len(surfaces) < 2:
                continue
            groups += 1
            if any(all(_has_surface(p, s, text) for s in surfaces) for p in predicted):
                groups_merged += 1
            else:
                split_groups.append((gold_article["file"], group))
            for a, b in itertools.combinations(surfaces, 2):
                pairs += 1
                if any(_has_surface(p, a, text) and _has_surface(p, b, text) for p in predicted):
                    pairs_merged += 1
        # different nodes: one predicted entity matching two catalogue entities
        for name_a, name_b in gold["different_nodes"]:
            entry_a, entry_b = catalogue.get(name_a), catalogue.get(name_b)
            if not entry_a or not entry_b:
                continue
            item_a = {"name": name_a, "mentions": entry_a.get("aliases", [])}
            item_b = {"name": name_b, "mentions": entry_b.get("aliases", [])}
            for pred in predicted:
                if _matches(pred, item_a, entry_a["type"], text) and _matches(pred, item_b, entry_b["type"], text):
                    wrong_merges.append((gold_article["file"], name_a, name_b))
    per_type = {}
    for type_ in TYPES:
        p = tp[type_] / (tp[type_] + fp[type_]) if tp[type_] + fp[type_] else None
        r = found[type_] / (found[type_] + fn[type_]) if found[type_] + fn[type_] else None
        f = 2 * p * r / (p + r) if p and r else None
        per_type[type_] = {"tp": tp[type_], "fp": fp[type_], "found": found[type_], "missed": fn[type_],
                           "precision": p, "recall": r, "f1": f}
    all_tp, all_fp = sum(tp.values()), sum(fp.values())
    all_found, all_fn = sum(found.values()), sum(fn.values())
    p = all_tp / (all_tp + all_fp) if all_tp + all_fp else 0.0
    r = all_found / (all_found + all_fn) if all_found + all_fn else 0.0
    return {
        "per_type": per_type, "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "junk": junk, "false_positives": false_positives, "misses": misses,
        "groups": groups, "groups_merged": groups_merged, "pairs": pairs, "pairs_merged": pairs_merged,
        "split_groups": split_groups, "wrong_merges": wrong_merges,
        "wrong_people": [w for w in wrong_merges if catalogue.get(w[1], {}).get("type") == "Person"
                         and catalogue.get(w[2], {}).get("type") == "Person"],
        "articles": len(gold["articles"]),
    }


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def report(result: dict, verbose: bool) -> str:
    lines = [
        SECTION, "",
        f"Run {dt.date.today().isoformat()} with `bench/score_entities.py` against bench/gold/samples.json "
        f"({result['articles']} articles; conventions in bench/gold/README.md). Unnamed sources are made "
        "by the claims extractor; they are counted when found, not as errors when extra. Mentions "
        "are compared without a leading \"the\" (ours exclude it). Caveat: the rules were developed "
        "while reading these samples (and BBC articles), so these are development-set figures, not "
        "held-out ones.", "",
        "| type | P | R | F1 | TP | FP | found | missed |", "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for type_, row in result["per_type"].items():
        lines.append(f"| {type_} | {_fmt(row['precision'])} | {_fmt(row['recall'])} | {_fmt(row['f1'])} | "
                     f"{row['tp']} | {row['fp']} | {row['found']} | {row['missed']} |")
    lines += [
        f"| **all** | **{result['precision']:.2f}** | **{result['recall']:.2f}** | **{result['f1']:.2f}** | | | | |",
        "",
        f"- junk entities (named like a gold `not_entities` surface): **{len(result['junk'])}**",
        f"- same-node groups merged: **{result['groups_merged']}/{result['groups']}**; "
        f"pairs merged (merged-pairs recall): **{result['pairs_merged']}/{result['pairs']}** "
        f"({result['pairs_merged'] / result['pairs']:.2f})" if result["pairs"] else "- no same-node groups",
        f"- wrongly merged pairs (`different_nodes`, or two gold people as one node): "
        f"**{len(result['wrong_merges'])}**, of them people: **{len(result['wrong_people'])}**",
    ]
    if verbose or result["misses"]:
        lines += ["", "Missed gold entities:", ""] + [f"- {f}: {t} {n}" for f, t, n in result["misses"]]
    if verbose or result["false_positives"]:
        lines += ["", "Predicted entities not in the gold:", ""] + [f"- {f}: {t} {n}" for f, t, n in result["false_positives"]]
    if result["split_groups"]:
        lines += ["", "Same-node groups not merged:", ""] + [
            f"- {f}: {[s if isinstance(s, str) else s['text'] for s in g]}" for f, g in result["split_groups"]]
    if result["wrong_merges"]:
        lines += ["", "Wrongly merged:", ""] + [f"- {f}: {a} + {b}" for f, a, b in result["wrong_merges"]]
    if result["junk"]:
        lines += ["", "Junk:", ""] + [f"- {f}: {n}" for f, n in result["junk"]]
    return "\n".join(lines) + "\n"


def run_scorer(score, report, section_name: str) -> int:
    """The command line shared by the gold scorers: score, print, optionally update docs."""
    parser = argparse.ArgumentParser(description=sys.modules[score.__module__].__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "bench" / "gold" / "samples.json")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    result = score(args.gold, args.verbose)
    section = report(result, args.verbose)
    print(section)
    if args.write_docs:
        sys.path.insert(0, str(ROOT / "bench"))
        from extract_bbc import write_section

        write_section(ROOT / "docs" / "EVALUATION.md", section_name, section)
    return 0


def main() -> int:
    return run_scorer(score, report, "entities-samples")


if __name__ == "__main__":
    sys.exit(main())
