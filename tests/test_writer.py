"""graph/writer.py against a real embedded store, with hand-made article graphs (no NLP), so each
rule of the writer is checked on its own: idempotency, versions, near-duplicates and their
claims, cross-article entity resolution, and one transaction per article."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from graph.errors import StoreError
from graph.model import (
    Article,
    ArticleGraph,
    Claim,
    Cue,
    Entity,
    Evidence,
    Mention,
    Quantity,
    Relation,
    Sentence,
    Span,
    SpeakerRef,
)
from graph.writer import fold, person_name_parts, signature, write_article_graph, writer_for
from ingest.readers import article_id

_counter = itertools.count()


@pytest.fixture(scope="module")
def wstore(store_factory):
    return store_factory("writer")


def make_article(text: str, *, url: str | None = None, published=dt.date(2024, 10, 23), title="A dispatch") -> Article:
    return Article(id=article_id(text), title=title, text=text, url=url, published=published, outlet="Test Wire")


def person(name: str, text: str) -> Entity:
    start = text.index(name)
    return Entity(
        id=f"person:{'-'.join(fold(name).split())}", name=name, type="Person",
        mentions=[Mention(text=name, start=start, end=start + len(name), sentence=0)],
    )


def organisation(name: str, text: str, aliases=()) -> Entity:
    start = text.index(name)
    return Entity(
        id=f"organization:{'-'.join(fold(name).split())}", name=name, type="Organization", aliases=list(aliases),
        mentions=[Mention(text=name, start=start, end=start + len(name), sentence=0)],
    )


def place(name: str, text: str) -> Entity:
    start = text.index(name)
    return Entity(id=f"place:{fold(name)}", name=name, type="Place", mentions=[Mention(text=name, start=start, end=start + len(name), sentence=0)])


def troop_claim(article: Article, speaker: Entity, number: float, qualifier="at least") -> Claim:
    text = article.text
    start = text.index(speaker.name)
    return Claim(
        id=f"{article.id}:claim:{next(_counter)}",
        kind="STATED",
        speaker=SpeakerRef(text=speaker.name, start=start, end=start + len(speaker.name), name=speaker.name, entity_id=speaker.id),
        cue=Cue(text="said", start=0, end=4, lemma="say"),
        content=Span(text=text[:40], start=0, end=40),
        direct=False,
        quantities=[Quantity(text=f"{number:g}", value=number, qualifier=qualifier, counted="troops", is_troop_count=True, start=0, end=5)],
        sentence=0,
        confidence=0.8,
        article_id=article.id,
        extractor="test",
        extractor_version="1",
    )


def graph_of(article: Article, entities=(), relations=(), claims=()) -> ArticleGraph:
    return ArticleGraph(
        article=article,
        sentences=[Sentence(index=0, start=0, end=len(article.text), text=article.text)],
        entities=list(entities), relations=list(relations), claims=list(claims),
    )


def node_ids(store, label_query: str) -> list[str]:
    return sorted(row["id"] for row in store.read(lambda tx: [r.data() for r in tx.run(label_query)]))


def entity(store, entity_id: str) -> dict | None:
    rows = store.read(lambda tx: [r.data() for r in tx.run("MATCH (e:Entity {id: $id}) RETURN e {.*} AS e, labels(e) AS labels", id=entity_id)])
    return {**rows[0]["e"], "labels": rows[0]["labels"]} if rows else None


def test_person_name_parts():
    assert person_name_parts("John F. Kirby") == ("john", "kirby")
    assert person_name_parts("Mr Kirby") == (None, "kirby")
    assert person_name_parts("Gen. Kim Yong-bok") == ("kim", "yong-bok")
    assert person_name_parts("José Ángel Núñez") == ("jose", "nunez")


def test_same_article_twice_changes_nothing(wstore):
    text = "Ambassador Ulla Brandt said at least 2,500 soldiers reached Narvik on Monday, the ministry said."
    article = make_article(text)
    brandt, narvik = person("Ulla Brandt", text), place("Narvik", text)
    relation = Relation(
        type="DEPLOYED_TO", source=brandt.id, target=narvik.id, properties={"count": 2500, "qualifier": "at least", "time": {"text": "Monday", "start": dt.date(2024, 10, 21), "end": dt.date(2024, 10, 21)}},
        evidence=Evidence(article_id=article.id, sentence=0, start=0, end=len(text), text=text, extractor="test", extractor_version="1", confidence=0.7),
    )
    graph = graph_of(article, [brandt, narvik], [relation], [troop_claim(article, brandt, 2500)])

    first = write_article_graph(wstore, graph)
    counts, stored = wstore.counts(), entity(wstore, brandt.id)
    second = write_article_graph(wstore, graph)

    assert first.status == "new" and (first.entities, first.relations, first.claims) == (2, 1, 1)
    assert second.status == "unchanged"
    assert wstore.counts() == counts
    assert entity(wstore, brandt.id) == stored
    assert stored["mention_count"] == 1 and set(stored["labels"]) == {"Entity", "Person"}
    assert stored["search_text"] == "ulla brandt" and stored["name_key"] == "ulla brandt"
    rel = wstore.read(lambda tx: tx.run("MATCH (:Entity {id: $s})-[r:DEPLOYED_TO]->(:Entity {id: $t}) RETURN r {.*} AS r", s=brandt.id, t=narvik.id).single()["r"])
    assert rel["count"] == 2500 and rel["time_text"] == "Monday" and rel["time_start"].to_native() == dt.date(2024, 10, 21)
    assert rel["article_id"] == article.id and rel["evidence_text"] == text and rel["extractor"] == "test"


def test_new_version_of_a_known_url(wstore):
    url = "https://wire.example/2024/10/24/fleet"
    old = make_article("The frigate Aurora left Bergen harbour on Tuesday with 200 sailors aboard.", url=url)
    new = make_article("The frigate Aurora left Bergen harbour on Tuesday with 240 sailors aboard, the navy said.", url=url, published=dt.date(2024, 10, 24))
    newest = make_article("Correction: the frigate Aurora left Bergen on Wednesday with 240 sailors.", url=url, published=dt.date(2024, 10, 25))

    assert write_article_graph(wstore, graph_of(old)).status == "new"
    second = write_article_graph(wstore, graph_of(new))
    third = write_article_graph(wstore, graph_of(newest))

    assert (second.status, second.previous_version) == ("new_version", old.id)
    assert (third.status, third.previous_version) == ("new_version", new.id)
    assert second.same_story == [] and third.same_story == []
    links = wstore.read(lambda tx: [r.data() for r in tx.run(
        "MATCH (a:Article {url: $url})-[r]->(b:Article) RETURN a.id AS a, type(r) AS type, b.id AS b ORDER BY a", url=url)])
    assert sorted((l["a"], l["type"], l["b"]) for l in links) == sorted([(new.id, "NEW_VERSION_OF", old.id), (newest.id, "NEW_VERSION_OF", new.id)])


WIRE_STORY = (
    "Officials in Tallinn said on Thursday that 4,000 reservists had been called up for a snap exercise near the "
    "eastern border, the largest such drill this year. The defence ministry said the exercise would last ten days "
    "and involve armoured units, air defence teams and volunteers from the Defence League. Minister Hanno Pevkur "
    "told reporters the call-up was a routine test of readiness and not a response to any specific threat. "
    "Neighbouring Latvia said it had been informed in advance."
)


def test_near_duplicate_is_same_story_and_its_claims_are_marked(wstore):
    first = make_article(WIRE_STORY)
    rewritten = WIRE_STORY.replace("Officials in Tallinn said on Thursday", "TALLINN (Wire) — Estonian officials said on Thursday").replace(
        "Neighbouring Latvia said it had been informed in advance.", "Latvia and Finland were informed in advance, officials said.")
    second = make_article(rewritten)
    unrelated = make_article(
        "Farmers in the south of the country said on Thursday that this year's wheat harvest was the worst in a decade, "
        "blaming a dry spring and late frosts. The agriculture ministry promised support for the worst-hit regions."
    )
    pevkur_1, pevkur_2 = person("Hanno Pevkur", WIRE_STORY), person("Hanno Pevkur", rewritten)
    claim_1 = troop_claim(first, pevkur_1, 4000, "exact")
    claim_2 = troop_claim(second, pevkur_2, 4000, "exact")
    other_number = troop_claim(second, pevkur_2, 5000, "exact")

    write_article_graph(wstore, graph_of(first, [pevkur_1], claims=[claim_1]))
    result = write_article_graph(wstore, graph_of(second, [pevkur_2], claims=[claim_2, other_number]))
    unrelated_result = write_article_graph(wstore, graph_of(unrelated))

    assert [other for other, _ in result.same_story] == [first.id]
    similarity = result.same_story[0][1]
    assert 0.5 <= similarity < 1.0
    assert unrelated_result.same_story == []
    assert signature(WIRE_STORY).jaccard(signature(unrelated.text)) < 0.1
    marks = dict(wstore.read(lambda tx: [(r["id"], r["dup"]) for r in tx.run(
        "MATCH (c:Claim) WHERE c.id IN $ids RETURN c.id AS id, c.duplicate_of AS dup", ids=[claim_1.id, claim_2.id, other_number.id])]))
    assert marks == {claim_1.id: None, claim_2.id: claim_1.id, other_number.id: None}
    stored = wstore.read(lambda tx: tx.run(
        "MATCH (a:Article {id: $a})-[r:SAME_STORY]->(b:Article) RETURN b.id AS b, r.similarity AS s", a=second.id).data())
    assert stored == [{"b": first.id, "s": similarity}]


def test_surname_joins_the_one_stored_full_name(wstore):
    first_text = "Rear Admiral Oskar Lindqvist said the convoy had reached Gotland by Friday."
    later_text = "Lindqvist told reporters the convoy would stay for two weeks."
    first, later = make_article(first_text), make_article(later_text, published=dt.date(2024, 10, 27))
    full, surname = person("Oskar Lindqvist", first_text), person("Lindqvist", later_text)

    write_article_graph(wstore, graph_of(first, [full]))
    result = write_article_graph(wstore, graph_of(later, [surname], claims=[troop_claim(later, surname, 300)]))

    assert result.resolved == {surname.id: full.id}
    assert entity(wstore, surname.id) is None
    node = entity(wstore, full.id)
    assert node["aliases"] == ["Lindqvist"] and node["mention_count"] == 2
    assert node["first_seen"].to_native() == dt.date(2024, 10, 23) and node["last_seen"].to_native() == dt.date(2024, 10, 27)
    speaker = wstore.read(lambda tx: tx.run("MATCH (p:Person)-[:STATED]->(c:Claim {article_id: $a}) RETURN p.id AS id, c.speaker_entity_id AS sid", a=later.id).single().data())
    assert speaker == {"id": full.id, "sid": full.id}


def test_relation_properties_naming_entities_follow_their_resolution(wstore):
    first_text = "Colonel Ilse Marrow said the brigade was ready."
    later_text = "Marrow said 400 troops were deployed to Tarnow from Rzeszow."
    first, later = make_article(first_text), make_article(later_text)
    full, surname = person("Ilse Marrow", first_text), person("Marrow", later_text)
    troops = later_text.index("troops")
    unit = Entity(id="unit:troops", name="troops", type="Unit", mentions=[Mention(text="troops", start=troops, end=troops + 6, sentence=0)])
    target, origin = place("Tarnow", later_text), place("Rzeszow", later_text)
    deployment = Relation(
        type="DEPLOYED_TO", source=unit.id, target=target.id,
        properties={"count": 400, "from": origin.id, "attributed_to": surname.id},
        evidence=Evidence(article_id=later.id, sentence=0, start=0, end=len(later_text), text=later_text,
                          extractor="test", extractor_version="1", confidence=0.8),
    )
    write_article_graph(wstore, graph_of(first, [full]))
    write_article_graph(wstore, graph_of(later, [surname, unit, target, origin], relations=[deployment]))

    stored = wstore.read(lambda tx: tx.run(
        "MATCH ()-[r:DEPLOYED_TO {article_id: $a}]->() RETURN r.attributed_to AS by, r.from_id AS origin", a=later.id).single().data())
    assert stored == {"by": full.id, "origin": origin.id}


def test_two_people_with_one_surname_are_never_merged(wstore):
    a_text, b_text, c_text = (
        "Senator Maria Okonkwo said the vote would be held on Monday.",
        "Governor Daniel Okonkwo said he opposed the plan.",
        "Okonkwo said the plan was dead.",
    )
    maria, daniel, bare = person("Maria Okonkwo", a_text), person("Daniel Okonkwo", b_text), person("Okonkwo", c_text)
    write_article_graph(wstore, graph_of(make_article(a_text), [maria]))
    second = write_article_graph(wstore, graph_of(make_article(b_text), [daniel]))
    third = write_article_graph(wstore, graph_of(make_article(c_text), [bare]))

    assert second.resolved == {} and third.resolved == {}
    assert entity(wstore, maria.id) and entity(wstore, daniel.id) and entity(wstore, bare.id)
    assert entity(wstore, maria.id)["mention_count"] == 1 and entity(wstore, daniel.id)["mention_count"] == 1


def test_initial_must_agree_with_the_given_name(wstore):
    full_text, initial_text, other_text = (
        "Colonel Petra Havlik commands the brigade.",
        "P. Havlik said the brigade was ready.",
        "T. Havlik said nothing.",
    )
    full, initial, other = person("Petra Havlik", full_text), person("P. Havlik", initial_text), person("T. Havlik", other_text)
    write_article_graph(wstore, graph_of(make_article(full_text), [full]))
    assert write_article_graph(wstore, graph_of(make_article(initial_text), [initial])).resolved == {initial.id: full.id}
    assert write_article_graph(wstore, graph_of(make_article(other_text), [other])).resolved == {}


def test_organisation_alias_joins_the_stored_organisation(wstore):
    first_text = "The Defence Intelligence Directorate, known as DIDX, said 500 troops had arrived."
    later_text = "DIDX said the troops were training."
    full = organisation("Defence Intelligence Directorate", first_text, aliases=["DIDX"])
    short = organisation("DIDX", later_text)
    write_article_graph(wstore, graph_of(make_article(first_text), [full]))
    result = write_article_graph(wstore, graph_of(make_article(later_text), [short]))

    assert result.resolved == {short.id: full.id}
    assert entity(wstore, full.id)["mention_count"] == 2 and entity(wstore, short.id) is None


def test_failure_mid_article_leaves_nothing_of_it(wstore):
    text = "Brigadier Tomas Vrba said 800 engineers were sent to Ostrava, where they would build a bridge."
    article = make_article(text)
    vrba, ostrava = person("Tomas Vrba", text), place("Ostrava", text)
    # A map is not a valid property value: the store refuses the relation statement, which
    # runs after the article, its sentences, entities and mentions were written.
    bad = Relation(
        type="DEPLOYED_TO", source=vrba.id, target=ostrava.id, properties={"details": {"nested": "map"}},
        evidence=Evidence(article_id=article.id, sentence=0, start=0, end=len(text), text=text, extractor="test", extractor_version="1", confidence=0.5),
    )
    before = wstore.counts()
    with pytest.raises(StoreError) as raised:
        write_article_graph(wstore, graph_of(article, [vrba, ostrava], [bad], [troop_claim(article, vrba, 800)]))

    assert article.id in raised.value.message
    assert wstore.counts() == before
    assert entity(wstore, vrba.id) is None and entity(wstore, ostrava.id) is None
    assert wstore.query("stored_article_ids", ids=[article.id]) == []
    # Nothing of it was kept in the near-duplicate index either: the fixed article is new.
    fixed = bad.model_copy(update={"properties": {"count": 800}})
    assert write_article_graph(wstore, graph_of(article, [vrba, ostrava], [fixed])).status == "new"


def graph_dump(store) -> dict:
    """Every node and relationship with its properties, minus the ingest timestamp."""
    nodes = store.read(lambda tx: [r.data() for r in tx.run(
        "MATCH (n) RETURN labels(n) AS labels, n {.*} AS props")])
    rels = store.read(lambda tx: [r.data() for r in tx.run(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, r {.*} AS props")])
    def clean(props):
        return {k: (v.to_native() if hasattr(v, "to_native") else v) for k, v in props.items() if k != "ingested_at"}
    return {
        "nodes": sorted((sorted(n["labels"]), sorted(clean(n["props"]).items(), key=str)) for n in nodes),
        "relationships": sorted((r["a"], r["type"], r["b"], sorted(clean(r["props"]).items(), key=str)) for r in rels),
    }


def story_graphs() -> list[ArticleGraph]:
    """Articles whose writes depend on each other: a full name then its surname, a wire story
    and its copy, two versions of one URL, and conflicting troop numbers."""
    texts = [
        ("General Ines Caldeira said at least 1,200 marines landed at Faro on Monday.", "https://a.example/1"),
        ("Caldeira later told reporters that up to 3,000 marines could follow.", None),
        (WIRE_STORY, "https://b.example/wire"),
        (WIRE_STORY.replace("Officials in Tallinn said", "Estonian officials said"), "https://c.example/copy"),
        ("General Ines Caldeira said at least 1,500 marines landed at Faro on Monday.", "https://a.example/1"),
    ]
    graphs = []
    for n, (text, url) in enumerate(texts):
        article = make_article(text, url=url, published=dt.date(2024, 10, 20 + n))
        people = [person(name, text) for name in ("Ines Caldeira", "Caldeira", "Hanno Pevkur") if name in text][:1]
        claims = []
        if people:
            number = float(text.split(" marines")[0].split()[-1].replace(",", "")) if " marines" in text else 4000.0
            claims = [troop_claim(article, people[0], number)]
        graphs.append(graph_of(article, people + ([place("Faro", text)] if "Faro" in text else []), claims=claims))
    return graphs


def test_a_batch_writes_the_same_graph_as_one_article_at_a_time(store_factory):
    from graph.writer import write_article_graphs

    one_by_one, batched = store_factory("writer_single"), store_factory("writer_batch")
    graphs = story_graphs()
    single_results = [write_article_graph(one_by_one, g) for g in graphs]
    batch_results = write_article_graphs(batched, graphs)

    assert [r.status for r in batch_results] == ["new", "new", "new", "new", "new_version"]
    assert batch_results[1].resolved == {"person:caldeira": "person:ines-caldeira"}
    assert [other for other, _ in batch_results[3].same_story] == [graphs[2].article.id]
    assert batch_results == single_results
    assert graph_dump(batched) == graph_dump(one_by_one)
    links = batched.read(lambda tx: [r.data() for r in tx.run("MATCH (a:Claim)-[r:CONFLICTS_WITH|CORROBORATES|DENIES]->(b:Claim) RETURN a.id AS a, type(r) AS t, b.id AS b")])
    assert links == one_by_one.read(lambda tx: [r.data() for r in tx.run("MATCH (a:Claim)-[r:CONFLICTS_WITH|CORROBORATES|DENIES]->(b:Claim) RETURN a.id AS a, type(r) AS t, b.id AS b")])
    # Writing the batch again changes nothing.
    assert {r.status for r in write_article_graphs(batched, graphs)} == {"unchanged"}
    assert graph_dump(batched) == graph_dump(one_by_one)


def test_near_duplicates_are_found_across_writers_and_after_the_store_is_emptied(store_factory):
    from graph.store import GraphStore

    first = store_factory("writer_two_processes")
    second = GraphStore.open(first.settings)  # as another process would: its own writer and index
    try:
        other = make_article("The harbour authority in Gdynia reported record container traffic for September.")
        original = make_article(WIRE_STORY + " Talks resume next week.")
        copy = make_article(WIRE_STORY + " Talks will resume next week, the ministry added.")
        write_article_graph(second, graph_of(other))      # the second writer loads its index now
        index = writer_for(second).index
        write_article_graph(first, graph_of(original))    # stored by the first one
        assert [o for o, _ in write_article_graph(second, graph_of(copy)).same_story] == [original.id]
        assert writer_for(second).index is index, "what the other writer stored is added, not reloaded whole"

        second.execute("store_delete_all")
        again = write_article_graph(second, graph_of(copy))
        assert again.status == "new" and again.same_story == []
    finally:
        second.close()


@pytest.mark.parametrize("days_apart, linked", [(10, True), (45, False)])
def test_a_stored_troop_claim_is_linked_only_within_the_stance_window(store_factory, days_apart, linked):
    store = store_factory(f"stance_window_{days_apart}")
    first_text = "Mara Quell said at least 2,000 Veldan troops had reached Ostrava."
    later_text = "Tobin Arkwright said about 5,000 Veldan troops had reached Ostrava."
    first = make_article(first_text, published=dt.date(2024, 10, 1))
    later = make_article(later_text, published=dt.date(2024, 10, 1) + dt.timedelta(days=days_apart))

    def claim(article: Article, speaker: Entity, number: float) -> Claim:
        made = troop_claim(article, speaker, number)
        quantity = made.quantities[0].model_copy(update={"unit_entity_id": "unit:veldan-troops"})
        return made.model_copy(update={"quantities": [quantity], "published": article.published})

    quell, arkwright = person("Mara Quell", first_text), person("Tobin Arkwright", later_text)
    write_article_graph(store, graph_of(first, [quell], claims=[claim(first, quell, 2000)]))
    result = write_article_graph(store, graph_of(later, [arkwright], claims=[claim(later, arkwright, 5000)]))

    links = store.read(lambda tx: tx.run("MATCH (:Claim {article_id: $a})-[l:CONFLICTS_WITH]->(:Claim) RETURN count(l) AS n", a=later.id).single()["n"])
    assert (links, result.claim_links) == ((1, 1) if linked else (0, 0))


def test_a_signature_stamped_before_the_last_load_is_still_found(store_factory):
    from graph.store import GraphStore

    first = store_factory("writer_late_commit")
    second = GraphStore.open(first.settings)
    try:
        write_article_graph(second, graph_of(make_article("The port of Klaipeda opened a new ferry terminal on Monday.")))
        original = make_article(WIRE_STORY + " A vote is due on Thursday.")
        write_article_graph(first, graph_of(original))
        # as a transaction planned long before it committed: older than the margin allows for
        first.write(lambda tx: tx.run("MATCH (a:Article {id: $id}) SET a.ingested_at = datetime() - duration('P1D')", id=original.id).consume())
        copy = make_article(WIRE_STORY + " A vote is due on Thursday, officials said.")
        assert [o for o, _ in write_article_graph(second, graph_of(copy)).same_story] == [original.id]
    finally:
        second.close()
