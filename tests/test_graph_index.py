"""GET /subgraph answers from a graph held in memory (api/graph_index.py): what it shows agrees
with the store's own queries, and an ingest, by this process or another, shows in the next
request. Through the real app and real embedded stores."""
from __future__ import annotations

import warnings

import pytest

from api.app import create_app
from api.deps import ApiSettings
from graph.model import RELATION_TYPES
from graph.store import GraphStore

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def get_ok(client, url, **params):
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def client(ingested_store):
    with TestClient(create_app(ApiSettings(graph=ingested_store.settings), store=ingested_store)) as test_client:
        yield test_client


def neighbour_counts(graph: dict, center: str, types) -> dict[str, int]:
    """Per node linked to ``center`` by edges of ``types``: how many stored relationships (evidence
    entries) those edges stand on."""
    counts: dict[str, int] = {}
    for edge in graph["edges"]:
        if edge["type"] in types and center in (edge["source"], edge["target"]) and edge["source"] != edge["target"]:
            other = edge["target"] if edge["source"] == center else edge["source"]
            counts[other] = counts.get(other, 0) + edge["properties"]["evidence_count"]
    return counts


@pytest.mark.parametrize("center", ["state:north-korea", "person:john-kirby", "state:russia"])
def test_relations_of_the_center_agree_with_the_store(client, ingested_store, center):
    graph = get_ok(client, "/subgraph", center=center, depth=1, limit=1000)
    assert not graph["truncated"]
    stored = {row["id"]: row["relations"] for row in ingested_store.query("api_entity_neighbours", id=center, limit=1000)}
    assert stored, center
    assert neighbour_counts(graph, center, RELATION_TYPES) == stored


def test_entities_linked_through_claims_are_two_hops_away(client, ingested_store):
    center = "state:north-korea"
    two = get_ok(client, "/subgraph", center=center, depth=2, limit=1000)
    assert not two["truncated"]
    ids = {node["id"] for node in two["nodes"]}
    through_claims = {row["id"] for row in ingested_store.query("api_entity_claim_neighbours", id=center, limit=1000)}
    assert through_claims and through_claims <= ids
    edges = {(e["source"], e["target"]) for e in two["edges"]}
    for node in two["nodes"]:
        assert node["id"] == center or any(node["id"] in pair for pair in edges), node["id"]


def test_an_ingest_by_another_process_shows_in_the_next_subgraph(store_factory, nlp):
    from graph.model import Article
    from ingest.ingest_cli import ingest_articles
    from ingest.readers import article_id

    store = store_factory("graphindex")

    def ingest(text: str, title: str) -> str:
        # A connection of its own, as another process has: the app's store object sees nothing
        # of this write but the store's digest changing.
        other = GraphStore.open(store.settings)
        try:
            article = Article(id=article_id(text), title=title, text=text, published="2024-10-23", outlet="Other Process Wire")
            assert ingest_articles(other, [article], n_process=1, nlp=nlp).new == 1
        finally:
            other.close()
        return article.id

    first = ingest("North Korea sent troops to Russia, South Korea's National Intelligence Service said on Friday.",
                   "Seoul on troops")
    with TestClient(create_app(ApiSettings(graph=store.settings), store=store)) as client:
        before = get_ok(client, "/subgraph", center="North Korea", depth=2)
        assert {e["article_id"] for edge in before["edges"] for e in edge["evidence"]} == {first}
        second = ingest("White House spokesman John Kirby said on Wednesday that North Korean troops had arrived "
                        "in Russia's Far East, and that North Korea was training them near Vladivostok.",
                        "Kirby on troops")
        after = get_ok(client, "/subgraph", center="North Korea", depth=2)
    articles = {e["article_id"] for edge in after["edges"] for e in edge["evidence"]}
    assert articles == {first, second}
    assert {n["id"] for n in before["nodes"]} < {n["id"] for n in after["nodes"]}
    assert "person:john-kirby" in {n["id"] for n in after["nodes"]}


def test_autocommit_reads_answer_as_managed_reads_and_refuse_writes(ingested_store):
    from graph.errors import StoreError

    assert ingested_store.query_once("api_store_digest") == ingested_store.query("api_store_digest")
    assert ingested_store.query_once("api_store_digest")[0]["digest"] is not None
    with pytest.raises(StoreError, match="store_delete_all.*execute"):
        ingested_store.query_once("store_delete_all")
