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


# --- the extractor against the gold: troop-number claims through the whole pipeline ----------

def _fold(name: str) -> str:
    return re.sub(r"[’‘]", "'", name).strip().lower()


@pytest.fixture(scope="module")
def extracted(nlp, annotated):
    """(gold article, ArticleGraph) pairs: the sample articles through the whole extractor."""
    from ingest.extract import extract_articles

    graphs = {g.article.id: g for g in extract_articles([article for _, article in annotated], nlp=nlp)}
    return [(entry, graphs[article.id]) for entry, article in annotated]


def _names(gold: dict, names: list[str]) -> set[str]:
    """The gold names and every catalogue alias of them, folded."""
    aliases = {e["name"]: e.get("aliases", []) for e in gold["catalogue"]}
    return {_fold(n) for name in names for n in [name, *aliases.get(name, [])]}


def _speaker_is(claim, graph, names: set[str]) -> bool:
    """The claim's speaker is resolved to an entity that one of ``names`` names."""
    entity = next((e for e in graph.entities if e.id == claim.speaker.entity_id), None)
    if entity is None:
        return False
    surfaces = [entity.name, *entity.aliases, *(m.text for m in entity.mentions)]
    return any(_fold(re.sub(r"[’']s$", "", s)) in names for s in surfaces)


def _troop_numbers(claim) -> list:
    return [q for q in claim.quantities if q.is_troop_count]


def test_every_gold_troop_claim_is_found_with_its_speaker_and_qualifier(gold, extracted):
    missing = []
    for entry, graph in extracted:
        for expected in entry["claims"]:
            wanted = [(q["value"], q["qualifier"]) for q in expected["quantities"] if q["is_troop_count"]]
            if not wanted or expected.get("optional"):
                continue
            names = _names(gold, [expected["speaker"], *expected.get("speaker_alternatives", [])])
            found = [c for c in graph.claims if _speaker_is(c, graph, names) and not c.cue.negated
                     and {(q.value, q.qualifier) for q in _troop_numbers(c)} >= set(wanted)]
            if not found:
                missing.append((entry["file"], expected["speaker_surface"], wanted))
    assert not missing, missing


def test_no_troop_claim_from_a_non_troop_number(extracted):
    """Every troop number on an extracted claim is a gold troop number, with its qualifier."""
    invented = []
    for entry, graph in extracted:
        text = graph.article.text
        gold_numbers = [(text.find(n["context"]) + n["context"].index(n["text"]), n) for n in entry["numbers"]]
        for claim in graph.claims:
            for quantity in _troop_numbers(claim):
                matches = [n for at, n in gold_numbers if quantity.start <= at < quantity.end]
                if not (matches and matches[0]["is_troop_count"] and matches[0]["qualifier"] == quantity.qualifier):
                    invented.append((entry["file"], claim.speaker.text, quantity.text, quantity.counted))
    assert not invented, invented


def test_forbidden_claims_are_not_extracted(gold, extracted):
    found = []
    for entry, graph in extracted:
        for forbidden in entry["forbidden_claims"]:
            names = _names(gold, [forbidden["speaker"]])
            troop_only = forbidden.get("is_troop_count", False)
            for claim in graph.claims:
                if _speaker_is(claim, graph, names) and any(
                    q.value == forbidden["value"] and (q.is_troop_count or not troop_only) for q in claim.quantities
                ):
                    found.append((entry["file"], forbidden, claim.content.text))
    assert not found, found


def test_negated_gold_cues_are_negated_claims(extracted):
    """'did not confirm', 'could not confirm': a claim of the cue's kind with the flag set."""
    for entry, graph in extracted:
        for expected in entry["claims"]:
            if not expected["negated"] or expected.get("optional"):
                continue
            content = expected["content"] if isinstance(expected["content"], str) else expected["content"][0]
            matches = [c for c in graph.claims if content in c.content.text and c.cue.lemma == expected["cue_lemma"]]
            assert matches, (entry["file"], expected["cue"])
            assert all(c.cue.negated and c.kind == expected["kind"] for c in matches), (entry["file"], matches)


# --- the same through the store and the API's reads ------------------------------------------

def test_troop_table_from_the_store(ingested_store, gold, annotated):
    """``who-said --about troops`` / ``GET /claims?about=troops``: every row asserts a troop
    number (no negated cue), Austin's 'did not confirm' is not among them, and no row gives a
    forbidden speaker's number."""
    from api import reads

    page = reads.list_claims(ingested_store, reads.ClaimFilters(about="troops"), limit=500)
    assert page.total == len(page.items) > 0
    for row in page.items:
        assert not row.cue.negated and any(q.is_troop_count for q in row.quantities), row
    forbidden = [(entry["published"], _names(gold, [f["speaker"]]), f["value"])
                 for entry, _ in annotated for f in entry["forbidden_claims"]]
    for row in page.items:
        speaker = {_fold(row.speaker.name or "")}
        for published, names, value in forbidden:
            if str(row.article.published) == published and speaker & names:
                assert all(q.value != value for q in row.quantities if q.is_troop_count), row
    austin = reads.list_claims(ingested_store, reads.ClaimFilters(speaker="person:lloyd-austin"), limit=500).items
    not_confirmed = [r for r in austin if r.cue.negated]
    assert not_confirmed and all(r.kind == "CONFIRMED" for r in not_confirmed)


def test_claim_nodes_show_what_a_number_counts(ingested_store):
    """The network view's claim labels: 'three' training sites is '3 military training sites',
    never a bare number that reads as a troop figure; a negated cue reads as written."""
    from api import reads

    graph = reads.subgraph(ingested_store, ["person:john-kirby", "person:lloyd-austin"], depth=1)
    labels = {n.id: n.label for n in graph.nodes if n.type == "Claim"}
    assert any("3 military training sites" in label for label in labels.values()), labels
    assert not any(re.search(r"stated: (three|3)$", label) for label in labels.values()), labels
    assert any(re.match(r"Austin did not confirm: ", label) for label in labels.values()), labels


def test_stance_links_of_the_samples_join_one_subject(ingested_store):
    """Conflicting and corroborating troop numbers count the same unit (or, in one article, one
    names none); the canonical story has both kinds of link and a denial."""
    from api import reads

    rows = {r.id: r for r in reads.list_claims(ingested_store, reads.ClaimFilters(about="troops"), limit=500).items}
    units = {i: {q.unit_entity_id for q in r.quantities if q.is_troop_count} for i, r in rows.items()}
    pairs = [(i, j) for i, r in rows.items() for j in r.conflicts_with + r.corroborated_by]
    assert pairs and any(r.conflicts_with for r in rows.values()) and any(r.corroborated_by for r in rows.values())
    for i, j in pairs:
        assert units[i] & units[j] or rows[i].article.id == rows[j].article.id, (rows[i].content.text, rows[j].content.text)
    assert any(r.denied_by for r in rows.values())
