"""The gold annotations (bench/gold/samples.json) agree with the sample texts they annotate.

The gold is written by hand; these checks catch a sample edited without its gold (or a typo in
the gold) before a scorer silently reports nonsense."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from graph.model import CLAIM_KINDS, ENTITY_TYPES, RELATION_TYPES, Qualifier
from ingest.sample_corpus import SAMPLE_DIR

GOLD_PATH = Path(__file__).resolve().parents[1] / "bench" / "gold" / "samples.json"
QUALIFIERS = set(Qualifier.__args__)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def annotated(gold, sample_articles):
    """(gold article, Article) pairs."""
    by_file = {Path(a.source_path).name: a for a in sample_articles}
    return [(entry, by_file[entry["file"]]) for entry in gold["articles"]]


def occurrences(text: str, surface: str) -> list[int]:
    """Start offsets of whole-word occurrences of ``surface``."""
    pattern = r"(?<!\w)" + re.escape(surface) + r"(?!\w)"
    return [m.start() for m in re.finditer(pattern, text)]


def mention_offsets(text: str, mention) -> list[int]:
    if isinstance(mention, str):
        return occurrences(text, mention)
    context = mention["context"]
    where = text.find(context)
    assert where >= 0, f"context not in text: {context!r}"
    return [where + o for o in occurrences(context, mention["text"])]


def mention_key(mention) -> tuple[str, str | None]:
    return (mention, None) if isinstance(mention, str) else (mention["text"], mention["context"])


def verbatim(text: str, snippet, what: str) -> None:
    for part in [snippet] if isinstance(snippet, str) else snippet:
        assert part in text, f"{what} not verbatim in the text: {part!r}"


def test_every_sample_is_annotated(gold, sample_articles):
    assert [entry["file"] for entry in gold["articles"]] == [Path(a.source_path).name for a in sample_articles]
    assert {p.name for p in SAMPLE_DIR.iterdir()} == {entry["file"] for entry in gold["articles"]}


def test_article_identity(annotated):
    ids = {article.id for _, article in annotated}
    for entry, article in annotated:
        assert entry["article_id"] == article.id, entry["file"]
        assert entry["published"] == article.published.isoformat()
        assert entry["outlet"] == article.outlet
        assert entry["same_story_as"] is None or entry["same_story_as"] in ids - {article.id}
    assert sum(entry["same_story_as"] is not None for entry, _ in annotated) == 1


def test_catalogue(gold):
    names = [e["name"] for e in gold["catalogue"]]
    assert len(names) == len(set(names))
    for entity in gold["catalogue"]:
        assert entity["type"] in ENTITY_TYPES and entity["type"] != "Source"
        assert entity["id"].startswith(entity["type"].lower() + ":"), entity
        if "affiliation" in entity:
            assert entity["affiliation"] in names
    for first, second in gold["different_nodes"]:
        assert first in names and second in names


def test_entities_and_same_node_groups(gold, annotated):
    catalogue = {e["name"]: e for e in gold["catalogue"]}
    for entry, article in annotated:
        claimed: dict[tuple[str, str | None], str] = {}
        for entity in entry["entities"]:
            assert entity["name"] in catalogue or entity.get("type") == "Source", entity["name"]
            assert entity["mentions"], entity["name"]
            for mention in entity["mentions"]:
                assert mention_offsets(article.text, mention), f"{entry['file']}: {mention!r} not found"
                claimed[mention_key(mention)] = entity["name"]
        for group in entry["same_node"]:
            owners = {claimed.get(mention_key(m)) for m in group}
            assert len(owners) == 1 and None not in owners, f"{entry['file']}: {group} spans {owners}"


def test_relations(annotated, gold):
    catalogue = {e["name"] for e in gold["catalogue"]}
    for entry, article in annotated:
        names = {e["name"] for e in entry["entities"]}
        for relation in entry["relations"]:
            assert relation["type"] in RELATION_TYPES
            assert relation["source"] in names and relation["target"] in names, relation
            for alternative in relation.get("alt_targets", []):
                assert alternative in names
            attributed = relation.get("attributed_to")
            assert attributed is None or attributed in names or attributed in catalogue or any(
                c["speaker"] == attributed for c in entry["claims"]), attributed
            verbatim(article.text, relation["evidence"], "relation evidence")
            qualifier = relation.get("properties", {}).get("qualifier")
            assert qualifier is None or qualifier in QUALIFIERS


def test_claims(annotated):
    for entry, article in annotated:
        names = {e["name"] for e in entry["entities"]}
        for claim in entry["claims"]:
            where = f"{entry['file']}: {claim['content']!r}"
            assert claim["kind"] in CLAIM_KINDS and set(claim.get("alt_kinds", [])) <= set(CLAIM_KINDS), where
            assert claim["speaker"] in names, where
            assert set(claim.get("speaker_alternatives", [])) <= names, where
            assert set(claim["about"]) <= names, where
            verbatim(article.text, claim["content"], "claim content")
            # Speaker names may be pronouns or lower-case at the start of a sentence.
            assert claim["speaker_surface"] in article.text or claim["speaker_surface"].capitalize() in article.text, where
            assert claim["cue"] in article.text or claim["cue"].lower() in article.text, where
            for quantity in claim["quantities"]:
                assert quantity["qualifier"] in QUALIFIERS, where
                assert quantity["text"] in article.text, where
                assert isinstance(quantity["is_troop_count"], bool)


def test_numbers_classify_every_digit(annotated):
    for entry, article in annotated:
        located = set()
        for number in entry["numbers"]:
            context = number["context"]
            assert number["text"] in context, number
            start = article.text.find(context)
            assert start >= 0, f"{entry['file']}: {context!r}"
            located.add(start + context.index(number["text"]))
            if number["is_troop_count"]:
                assert number["qualifier"] in QUALIFIERS and number["counted"], number
            else:
                assert number["what"], number
        digits = {m.start() for m in re.finditer(r"(?<![\d,])\d[\d,]*(?:st|nd|rd|th)?", article.text)}
        assert digits <= located, f"{entry['file']}: unclassified numbers at {sorted(digits - located)}"


def test_troop_claims_agree_with_numbers(annotated):
    for entry, article in annotated:
        troop_values = {float(n["text"].replace(",", "")) for n in entry["numbers"]
                        if n["is_troop_count"] and n["text"].replace(",", "").isdigit()}
        for claim in entry["claims"]:
            for quantity in claim["quantities"]:
                if quantity["is_troop_count"]:
                    assert quantity["value"] in troop_values, (entry["file"], quantity)
        for forbidden in entry["forbidden_claims"]:
            assert forbidden["speaker"] in {e["name"] for e in entry["entities"]}
            troop_only = forbidden.get("is_troop_count", False)
            assert not any(
                c["speaker"] == forbidden["speaker"] and q["value"] == forbidden["value"]
                and (q["is_troop_count"] or not troop_only)
                for c in entry["claims"] for q in c["quantities"]
            ), forbidden


def test_html_boilerplate_is_absent(annotated):
    pages = [(entry, article) for entry, article in annotated if "boilerplate_absent" in entry]
    assert pages
    for entry, article in pages:
        for boilerplate in entry["boilerplate_absent"]:
            assert boilerplate not in article.text
        raw = (SAMPLE_DIR / entry["file"]).read_text(encoding="utf-8")
        assert all(b in raw for b in entry["boilerplate_absent"])  # present in the page, dropped by the reader
