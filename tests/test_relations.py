"""Relations from the dependency parse: table-driven on hand-made sentences with hand-made
entities (so each rule is tested on its own), then golden checks on the sample corpus through
the whole pipeline."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from graph.model import Article, Claim, Cue, Entity, Mention, Span, SpeakerRef
from ingest.entities import entities_from_doc
from ingest.relations import EXTRACTOR_VERSION, link_relations_to_claims, relations_from_doc

PUBLISHED = dt.date(2024, 10, 18)

# surface form -> (entity id, type, affiliation, country)
LEXICON = {
    "North Korean troops": ("unit:north-korea:troops", "Unit", "state:north-korea", None),
    "North Korean soldiers": ("unit:north-korea:troops", "Unit", "state:north-korea", None),
    "special forces": ("unit:north-korea:special-forces", "Unit", "state:north-korea", None),
    "11th Corps": ("unit:north-korea:11th-corps", "Unit", None, None),
    "North Korea": ("state:north-korea", "State", None, "KP"),
    "North Korean": ("state:north-korea", "State", None, "KP"),
    "Pyongyang": ("state:north-korea", "State", None, "KP"),
    "Russia": ("state:russia", "State", None, "RU"),
    "Moscow": ("state:russia", "State", None, "RU"),
    "Ukraine": ("state:ukraine", "State", None, "UA"),
    "China": ("state:china", "State", None, "CN"),
    "Japan": ("state:japan", "State", None, "JP"),
    "eastern Russia": ("place:eastern-russia", "Place", None, "RU"),
    "Wonsan": ("place:wonsan", "Place", None, "KP"),
    "Vladivostok": ("place:vladivostok", "Place", None, "RU"),
    "Kursk": ("place:kursk", "Place", None, "RU"),
    "Kursk region": ("place:kursk-region", "Place", None, None),
    "John Kirby": ("person:john-kirby", "Person", None, None),
    "Kirby": ("person:john-kirby", "Person", None, None),
    "Putin": ("person:vladimir-putin", "Person", None, None),
    "Kim": ("person:kim-jong-un", "Person", None, None),
    "European Union": ("organization:european-union", "Organization", None, None),
    "National Intelligence Service": ("organization:national-intelligence-service", "Organization", "state:south-korea", None),
    "South Korea": ("state:south-korea", "State", None, "KR"),
    "US troops": ("unit:united-states:troops", "Unit", "state:united-states", None),
    "British troops": ("unit:united-kingdom:troops", "Unit", "state:united-kingdom", None),
    "Iraq": ("state:iraq", "State", None, "IQ"),
    "Kyiv": ("place:kyiv", "Place", None, "UA"),
    "Kerry": ("person:john-kerry", "Person", None, None),
    "Bush": ("person:george-w-bush", "Person", None, None),
    "Zvonareva": ("place:zvonareva", "Place", None, None),  # a person the tagger took for a place
}


def _entities(text: str) -> list[Entity]:
    """Entities for every lexicon surface in the text (longest surface wins where they overlap)."""
    taken: list[tuple[int, int]] = []
    found: dict[str, Entity] = {}
    for surface in sorted(LEXICON, key=len, reverse=True):
        entity_id, type_, affiliation, country = LEXICON[surface]
        for match in re.finditer(rf"\b{re.escape(surface)}\b", text):
            if type_ != "State" and any(a < match.end() and match.start() < b for a, b in taken):
                continue
            taken.append(match.span())
            entity = found.setdefault(entity_id, Entity(
                id=entity_id, name=surface, type=type_, affiliation=affiliation, country=country))
            entity.mentions.append(Mention(text=surface, start=match.start(), end=match.end(), sentence=0))
    return list(found.values())


def _extract(nlp, text: str):
    article = Article(id="a1", title="t", text=text, published=PUBLISHED)
    doc = nlp(text)
    return relations_from_doc(doc, article, _entities(text))


def _triples(relations, types=("DEPLOYED_TO", "MOVED_FROM", "TRAINING_AT", "ALLIED_WITH", "COOPERATES_WITH")):
    return sorted((r.type, r.source, r.target) for r in relations if r.type in types)


CASES = [
    # the canonical story: a state moves unnamed troops; from -> MOVED_FROM too
    ("North Korea moved troops by sea from Wonsan to Vladivostok in the first half of October.",
     [("DEPLOYED_TO", "state:north-korea", "place:vladivostok"), ("MOVED_FROM", "state:north-korea", "place:wonsan")]),
    ("At least 3,000 North Korean troops were sent to eastern Russia earlier this month, John Kirby said.",
     [("DEPLOYED_TO", "unit:north-korea:troops", "place:eastern-russia")]),
    ("Pyongyang will send 10,000 troops to Russia by December.",
     [("DEPLOYED_TO", "state:north-korea", "state:russia")]),
    ("North Korea has sent about 1,500 special forces troops to Russia.",
     [("DEPLOYED_TO", "unit:north-korea:special-forces", "state:russia")]),
    ("Some North Korean soldiers arrived in Vladivostok on Tuesday.",
     [("DEPLOYED_TO", "unit:north-korea:troops", "place:vladivostok")]),
    ("The special forces are training at a base near Vladivostok.",
     [("TRAINING_AT", "unit:north-korea:special-forces", "place:vladivostok")]),
    ("About 10,000 North Korean soldiers had been sent to train in eastern Russia.",
     [("TRAINING_AT", "unit:north-korea:troops", "place:eastern-russia")]),
    ("Intelligence showed that North Korean troops were in Russia.",
     [("DEPLOYED_TO", "unit:north-korea:troops", "state:russia")]),
    ("Kirby said cooperation between Moscow and Pyongyang was growing.",
     [("COOPERATES_WITH", "state:russia", "state:north-korea")]),
    ("North Korea and Russia signed a mutual defence treaty in June.",
     [("ALLIED_WITH", "state:north-korea", "state:russia")]),
    ("Moscow's alliance with Pyongyang worries Japan.",
     [("ALLIED_WITH", "state:russia", "state:north-korea")]),
    # adversarial: negation, denial, "no", a single side, people are not places
    ("North Korea has not deployed troops to Russia.", []),
    ("Moscow denied that North Korean troops had been sent to Russia.", []),
    ("No North Korean soldiers were sent to Russia, officials said.", []),
    ("Russia has no alliance with China.", []),
    ("Japan discussed cooperation on trade.", []),
    ("Kirby sent a letter to Putin.", []),
    ("Ukraine sent a delegation to Japan.", []),
    ("Japan sent 100 police officers to Ukraine.", []),
    ("Japan sent 100 military personnel to Ukraine.", [("DEPLOYED_TO", "state:japan", "state:ukraine")]),
    ("The song attacks the presence of US troops in Iraq.",
     [("DEPLOYED_TO", "unit:united-states:troops", "state:iraq")]),
    ("British troops deployed in Iraq should be replaced.",
     [("DEPLOYED_TO", "unit:united-kingdom:troops", "state:iraq")]),
    ("Keeping British troops in Iraq could cost more.",
     [("DEPLOYED_TO", "unit:united-kingdom:troops", "state:iraq")]),
    ("Kirby praised the US troops in Iraq.",
     [("DEPLOYED_TO", "unit:united-states:troops", "state:iraq")]),
    ("There are no US troops in Iraq.", []),
    ("Iraq was in turmoil and Ukraine was at war.", []),  # states are not placed by "be in"
    ("North Korean troops are at bases in eastern Russia, including in Vladivostok and Wonsan.",
     [("DEPLOYED_TO", "unit:north-korea:troops", "place:eastern-russia"),
      ("DEPLOYED_TO", "unit:north-korea:troops", "place:vladivostok"),
      ("DEPLOYED_TO", "unit:north-korea:troops", "place:wonsan")]),
    ("North Korean troops were sent to several cities, including Vladivostok.",
     [("DEPLOYED_TO", "unit:north-korea:troops", "place:vladivostok")]),
    # leaving: MOVED_FROM only
    ("Russia withdrew its troops from Kursk.", [("MOVED_FROM", "state:russia", "place:kursk")]),
    ("British troops pulled out of Iraq last year.", [("MOVED_FROM", "unit:united-kingdom:troops", "state:iraq")]),
    ("The last US troops left Iraq in August.", [("MOVED_FROM", "unit:united-states:troops", "state:iraq")]),
    ("Kirby left Japan on Tuesday.", []),
    ("Russia has amassed troops near Kursk.", [("DEPLOYED_TO", "state:russia", "place:kursk")]),
    ("10,000 North Korean troops, Russia and the war in Ukraine", []),  # a headline with no verb
    ("North Korean troops could not reach Kursk.", []),
    ("If North Korea sends troops to Russia, Japan will respond.", []),
    ("Are North Korean troops in Russia?", []),
    # "they" reaches back at most two sentences
    ("North Korean troops arrived in Vladivostok. Talks stalled. Markets fell. Prices rose. They then moved to Kursk.",
     [("DEPLOYED_TO", "unit:north-korea:troops", "place:vladivostok")]),
    ("North Korean troops arrived in Vladivostok. They then moved to Kursk.",
     [("DEPLOYED_TO", "unit:north-korea:troops", "place:kursk"), ("DEPLOYED_TO", "unit:north-korea:troops", "place:vladivostok")]),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_relations(nlp, text, expected):
    relations, _ = _extract(nlp, text)
    assert _triples(relations) == sorted(expected)


def _one(relations, type_, target):
    (found,) = [r for r in relations if r.type == type_ and r.target == target]
    return found


def test_deployment_properties_from_and_time(nlp):
    text = "North Korea moved troops by sea from Wonsan to Vladivostok in the first half of October."
    relations, events = _extract(nlp, text)
    deployed = _one(relations, "DEPLOYED_TO", "place:vladivostok")
    assert deployed.properties["from"] == "place:wonsan"
    time = deployed.properties["time"]
    assert (time["text"], time["start"], time["end"]) == ("in the first half of October", "2024-10-01", "2024-10-15")
    assert "status" not in deployed.properties
    evidence = deployed.evidence
    assert text[evidence.start:evidence.end] == "North Korea moved troops by sea from Wonsan to Vladivostok"
    assert (evidence.article_id, evidence.sentence, evidence.text) == ("a1", 0, text)
    assert (evidence.extractor, evidence.extractor_version) == ("relations.deployment", EXTRACTOR_VERSION)
    # the sending act is an event the state took part in
    (event,) = [e for e in events if e.event_kind == "deployment"]
    assert event.type == "Event" and event.time.text == "in the first half of October"
    assert ("PARTICIPATED_IN", "state:north-korea", event.id) in {(r.type, r.source, r.target) for r in relations}


def test_deployment_count_qualifier_and_speaker(nlp):
    text = "At least 3,000 North Korean troops were sent to eastern Russia earlier this month, John Kirby said."
    relations, _ = _extract(nlp, text)
    deployed = _one(relations, "DEPLOYED_TO", "place:eastern-russia")
    props = deployed.properties
    assert (props["count"], props["qualifier"], props["count_text"]) == (3000, "at least", "At least 3,000")
    assert isinstance(props["count"], int)
    assert props["attributed_to"] == "person:john-kirby"
    assert (props["time"]["start"], props["time"]["end"]) == ("2024-10-01", "2024-10-18")


def test_near_is_kept(nlp):
    relations, _ = _extract(nlp, "Russia has amassed troops near Kursk.")
    assert _one(relations, "DEPLOYED_TO", "place:kursk").properties["near"] is True


def test_planned_deployment_takes_the_target_time(nlp):
    relations, _ = _extract(nlp, "Pyongyang will send 10,000 troops to Russia by December.")
    props = _one(relations, "DEPLOYED_TO", "state:russia").properties
    assert props["status"] == "planned"
    assert (props["count"], props["qualifier"]) == (10000, "exact")
    assert (props["time"]["text"], props["time"]["end"]) == ("by December", "2024-12-31")


def test_years_and_ordinals_are_not_counts(nlp):
    relations, _ = _extract(nlp, "In 2023, 11th Corps troops moved to Kursk.")
    deployed = _one(relations, "DEPLOYED_TO", "place:kursk")
    assert deployed.source == "unit:north-korea:11th-corps"
    assert "count" not in deployed.properties


def test_anaphor_is_less_confident(nlp):
    relations, _ = _extract(nlp, "North Korean troops arrived in Vladivostok. They then moved to Kursk.")
    assert _one(relations, "DEPLOYED_TO", "place:vladivostok").evidence.confidence > \
        _one(relations, "DEPLOYED_TO", "place:kursk").evidence.confidence


def test_part_of_from_affiliation(nlp):
    text = "South Korea's National Intelligence Service said North Korean soldiers were in Russia."
    relations, _ = _extract(nlp, text)
    part_of = {(r.source, r.target): r for r in relations if r.type == "PART_OF"}
    assert set(part_of) == {("organization:national-intelligence-service", "state:south-korea"),
                            ("unit:north-korea:troops", "state:north-korea")}
    evidence = part_of[("organization:national-intelligence-service", "state:south-korea")].evidence
    assert text[evidence.start:evidence.end] == "South Korea's National Intelligence Service"


@pytest.mark.parametrize("text, place", [
    ("Fighting continued in Kursk in Russia, far from Vladivostok.", "place:kursk"),
    ("Kursk, a city in Russia, is far from Vladivostok.", "place:kursk"),
    ("Russia's Kursk region is far from Vladivostok.", "place:kursk-region"),
])
def test_located_in_from_text_and_gazetteer(nlp, text, place):
    relations, _ = _extract(nlp, text)
    located = {(r.source, r.target, r.evidence.extractor) for r in relations if r.type == "LOCATED_IN"}
    assert located == {(place, "state:russia", "relations.location"),
                       ("place:vladivostok", "state:russia", "relations.geocoded")}


def test_located_in_on_a_coast(nlp):
    text = "Wonsan, on North Korea's east coast, lies far from Vladivostok."
    relations, _ = _extract(nlp, text)
    (located,) = [r for r in relations if r.type == "LOCATED_IN" and r.evidence.extractor == "relations.location"]
    assert (located.source, located.target) == ("place:wonsan", "state:north-korea")
    assert text[located.evidence.start:located.evidence.end] == "Wonsan, on North Korea"


@pytest.mark.parametrize("text, member", [
    ("North Korean troops arrived in Vladivostok. The soldiers came from the 11th Corps.", "unit:north-korea:troops"),
    ("Choi said the special forces of the 11th Corps train for raids.", "unit:north-korea:special-forces"),
    ("The North Korean troops now training in Russia are drawn largely from the 11th Corps.", "unit:north-korea:troops"),
])
def test_unit_part_of_a_formation(nlp, text, member):
    relations, _ = _extract(nlp, text)
    found = {(r.source, r.target) for r in relations if r.type == "PART_OF" and r.target == "unit:north-korea:11th-corps"}
    assert found == {(member, "unit:north-korea:11th-corps")}


def test_no_membership_from_a_place(nlp):
    relations, _ = _extract(nlp, "The 11th Corps came from Wonsan.")
    assert [r for r in relations if r.type == "PART_OF"] == []


def test_located_in_needs_a_real_place(nlp):
    relations, _ = _extract(nlp, "Russia's Zvonareva won in Moscow.")
    assert [r for r in relations if r.source == "place:zvonareva"] == []


def test_located_in_needs_the_state_in_the_article(nlp):
    relations, _ = _extract(nlp, "Troops gathered near Vladivostok.")
    assert [r for r in relations if r.type == "LOCATED_IN"] == []


@pytest.mark.parametrize("text, kind, participants", [
    ("Russia invaded Ukraine in February 2022.", "invasion",
     {("state:russia", "agent"), ("state:ukraine", "target")}),
    ("Russia's invasion of Ukraine continued.", "invasion",
     {("state:russia", "agent"), ("state:ukraine", "target")}),
    ("Putin and Kim held a summit in Pyongyang.", "summit",
     {("person:vladimir-putin", "host"), ("person:kim-jong-un", "host")}),
    ("Russia launched a missile attack on Kyiv.", "attack", {("state:russia", "agent")}),
    ("The European Union imposed new sanctions on Russia.", "sanctions announcement",
     {("organization:european-union", "agent"), ("state:russia", "target")}),
])
def test_events(nlp, text, kind, participants):
    relations, events = _extract(nlp, text)
    (event,) = [e for e in events if e.event_kind == kind]
    assert event.id.startswith(f"event:{kind.replace(' ', '-')}:a1:")
    found = {(r.source, r.properties["role"]) for r in relations if r.type == "PARTICIPATED_IN" and r.target == event.id}
    assert found == participants


def test_attack_is_located_at_its_target_place(nlp):
    relations, (event,) = _extract(nlp, "Russia launched a missile attack on Kyiv.")
    assert ("LOCATED_IN", event.id, "place:kyiv") in {(r.type, r.source, r.target) for r in relations}


@pytest.mark.parametrize("text, name", [
    ("Putin and Kim held a summit in Pyongyang.", "summit in Pyongyang"),
    ("Putin and Kim met at the two-day European Union summit.", "European Union summit"),
])
def test_meeting_names(nlp, text, name):
    _, (event,) = _extract(nlp, text)
    assert event.name == name


def test_invasion_time(nlp):
    _, events = _extract(nlp, "Russia invaded Ukraine in February 2022.")
    (event,) = events
    assert (event.time.start, event.time.end) == (dt.date(2022, 2, 1), dt.date(2022, 2, 28))


@pytest.mark.parametrize("text", [
    "The summit was cancelled.",  # no participant named
    "Kerry attacked Bush over the economy.",  # words, not arms
    "His late strike won the match for Ukraine.",
    "There were no attacks on Kyiv overnight.",
    "Sanctions are often debated.",
])
def test_no_event_without_participants(nlp, text):
    _, events = _extract(nlp, text)
    assert events == []


def test_every_relation_points_at_known_nodes_with_evidence(nlp):
    text = ("North Korea moved troops by sea from Wonsan to Vladivostok. Putin and Kim held a summit in "
            "Pyongyang. Russia's alliance with North Korea worries Japan.")
    article = Article(id="a1", title="t", text=text, published=PUBLISHED)
    entities = _entities(text)
    relations, events = relations_from_doc(nlp(text), article, entities)
    known = {e.id for e in entities} | {e.id for e in events}
    assert relations
    for relation in relations:
        assert {relation.source, relation.target} <= known
        assert 0 <= relation.evidence.start < relation.evidence.end <= len(text)
        assert relation.evidence.extractor.startswith("relations.")


def test_doc_and_article_must_match(nlp):
    article = Article(id="a1", title="t", text="One text.", published=PUBLISHED)
    with pytest.raises(ValueError, match="a1"):
        relations_from_doc(nlp("Another text."), article, [])


def _claim(claim_id: str, text: str, content: str) -> Claim:
    start = text.index(content)
    return Claim(
        id=claim_id, kind="STATED", speaker=SpeakerRef(text="Kirby", start=0, end=5, name="Kirby"),
        cue=Cue(text="said", start=0, end=4, lemma="say"), content=Span(text=content, start=start, end=start + len(content)),
        direct=False, sentence=0, confidence=0.9, article_id="a1", extractor="test", extractor_version="1",
    )


def test_relations_link_to_the_claim_they_were_read_from(nlp):
    text = "Kirby said North Korean troops were sent to Vladivostok. North Korea and Russia signed a defence treaty."
    relations, _ = _extract(nlp, text)
    claims = [_claim("c1", text, "North Korean troops were sent to Vladivostok"),
              _claim("c2", text, "a defence treaty")]
    linked = {(r.type, r.claim_id) for r in link_relations_to_claims(relations, claims)}
    assert ("DEPLOYED_TO", "c1") in linked
    assert ("ALLIED_WITH", None) in linked  # its support is mostly outside "a defence treaty"


# --- golden: the sample corpus through the real pipeline ------------------------------------

@pytest.fixture(scope="module")
def sample_relations(nlp, sample_articles):
    graphs = {}
    for article in sample_articles:
        doc = nlp(article.text)
        entities = entities_from_doc(doc, article)
        graphs[article.id] = (article, entities, *relations_from_doc(doc, article, entities))
    return graphs


def _by_title(sample_relations, words):
    (found,) = [g for g in sample_relations.values() if words in g[0].title]
    return found


def test_golden_nis_special_forces(sample_relations):
    article, entities, relations, _ = _by_title(sample_relations, "Seoul’s spy agency says")
    types = {e.id: e.type for e in entities}
    moved = _one(relations, "DEPLOYED_TO", "place:vladivostok")
    assert types[moved.source] == "Unit"
    assert moved.properties["from"] == "place:wonsan"
    assert (moved.properties["time"]["start"], moved.properties["time"]["end"]) == ("2024-10-01", "2024-10-15")
    assert ("MOVED_FROM", moved.source, "place:wonsan") in {(r.type, r.source, r.target) for r in relations}
    planned = [r for r in relations if r.type == "DEPLOYED_TO" and r.properties.get("count") == 10000]
    assert [(r.properties["qualifier"], r.properties["status"], r.properties["time"]["text"]) for r in planned] == \
        [("total", "planned", "by December")]
    assert ("ALLIED_WITH", "state:north-korea", "state:russia") in {(r.type, r.source, r.target) for r in relations}


def test_golden_kirby_at_least_3000(sample_relations):
    article, entities, relations, _ = _by_title(sample_relations, "at least 3,000")
    counted = [r for r in relations if r.type == "DEPLOYED_TO" and r.properties.get("count") == 3000]
    assert [(r.target, r.properties["qualifier"], r.properties["attributed_to"]) for r in counted] == \
        [("place:eastern-russia", "at least", "person:john-kirby")]
    for relation in relations:
        assert relation.evidence.article_id == article.id
        assert relation.evidence.text.strip()


def test_golden_denial_article_deploys_nothing(sample_relations):
    _, _, relations, _ = _by_title(sample_relations, "fake news")
    assert [r for r in relations if r.type == "DEPLOYED_TO"] == []
