"""POST /cypher: read-only Cypher through the real app and a real embedded store. Every write
attempt is refused and changes nothing (a fingerprint of every node and relationship, with
labels and properties, is the same before and after)."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import warnings

import pytest

from api.app import create_app
from api.deps import ApiSettings
from api.readonly import ReadOnlyRunner, check_statement
from graph.errors import QueryRefused
from ingest.ingest_cli import ingest_articles

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def guard_store(store_factory, sample_articles, nlp):
    """A database of its own holding two sample articles, so that a guard failure could not
    spoil the session store other tests read."""
    store = store_factory("apiguard")
    ingest_articles(store, sample_articles[:2], nlp=nlp, n_process=1)
    return store


def settings_for(store, **changes) -> ApiSettings:
    return dataclasses.replace(ApiSettings(graph=store.settings, enable_cypher=True), **changes)


@pytest.fixture(scope="module")
def client(guard_store):
    with TestClient(create_app(settings_for(guard_store), store=guard_store)) as test_client:
        yield test_client


def fingerprint(store) -> tuple[dict, str]:
    """Counts per label and type, and a hash over every node and relationship with its labels
    and properties."""
    with store.driver.session(database=store.database) as session:
        nodes = session.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props").data()
        rels = session.run(
            "MATCH (a)-[r]->(b) RETURN type(r) AS type, properties(r) AS props, a.id AS a, b.id AS b"
        ).data()
    items = sorted(json.dumps([sorted(n["labels"]), n["props"]], sort_keys=True, default=str) for n in nodes)
    items += sorted(json.dumps(r, sort_keys=True, default=str) for r in rels)
    counts = {"nodes": len(nodes), "relationships": len(rels)}
    return counts, hashlib.sha256("\n".join(items).encode()).hexdigest()


WRITE_ATTEMPTS = [
    "CREATE (n:Hacked {x: 1})",
    "CREATE (n:Hacked) RETURN n",
    "MERGE (n:Entity {id: 'x:evil'}) RETURN n",
    "MATCH (e:Entity) SET e.name = 'pwned' RETURN count(e)",
    "MATCH (e:Entity) SET e:Hacked",
    "MATCH (e:Entity) SET e += {name: 'x'}",
    "MATCH (n) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (e:Entity) REMOVE e.name",
    "MATCH (e:Entity) REMOVE e:Entity",
    "CALL { CREATE (n:Hacked) } RETURN 1 AS one",
    "MATCH (e:Entity) CALL (e) { SET e.name = 'x' } RETURN count(*)",
    "UNWIND range(1, 10) AS i CALL { CREATE (:Hacked) } IN TRANSACTIONS RETURN i",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "LOAD CSV WITH HEADERS FROM 'http://127.0.0.1:9/x.csv' AS row CREATE (:Hacked {v: row.v})",
    "CREATE INDEX hacked IF NOT EXISTS FOR (n:Entity) ON (n.hacked)",
    "CREATE CONSTRAINT hacked IF NOT EXISTS FOR (n:Hacked) REQUIRE n.id IS UNIQUE",
    "DROP INDEX entity_name",
    "DROP CONSTRAINT entity_id",
    "MATCH (n) RETURN count(n); CREATE (:Hacked)",
    "RETURN 1; MATCH (n) DETACH DELETE n",
    "MATCH (n) RETURN count(n) /* harmless */ ; CREATE (:Hacked)",
    "// a comment line\nCREATE (:Hacked)",
    "/* MATCH (n) RETURN n */ CREATE (:Hacked)",
    "MATCH (n) WITH n LIMIT 1 //\nCREATE (:Hacked)",
    "cReAtE (:Hacked)",
    "MaTcH (e:Entity) sEt e.name = 'x'",
    "FOREACH (i IN range(1, 3) | CREATE (:Hacked))",
    "CALL apoc.create.node(['Hacked'], {}) YIELD node RETURN node",
    "CALL apoc.cypher.doIt('CREATE (:Hacked)', {}) YIELD value RETURN value",
    "RETURN apoc.cypher.runFirstColumnSingle('CREATE (:Hacked) RETURN 1', {}) AS x",
    "CALL dbms.setConfigValue('dbms.logs.query.enabled', 'off')",
    "CALL db.createLabel('Hacked')",
    "CALL `apoc.create.node`(['Hacked'], {}) YIELD node RETURN node",
    "CALL apoc . create . node(['Hacked'], {}) YIELD node RETURN node",
    "MATCH (e:Entity) WITH e LIMIT 1 MERGE (e)-[:HACKED]->(e)",
    "MATCH (a:Entity), (b:Entity) WITH a, b LIMIT 1 CREATE (a)-[:HACKED]->(b)",
    "CREATE DATABASE hacked",
    "ALTER USER root SET PASSWORD 'pwned'",
    "USE system CREATE USER evil SET PASSWORD 'x'",
    "MATCH (e:Entity) WITH e LIMIT 1 CALL db.index.fulltext.queryNodes('entity_search', 'x') YIELD node SET node.x = 1",
    "RETURN 1 ;; CREATE (:Hacked)",
    "MATCH (n) RETURN 'unterminated",
]


def test_there_are_thirty_write_attempts():
    assert len(WRITE_ATTEMPTS) >= 30


@pytest.mark.parametrize("statement", WRITE_ATTEMPTS)
def test_write_attempts_are_refused_and_change_nothing(client, guard_store, statement):
    before = fingerprint(guard_store)
    response = client.post("/cypher", json={"query": statement, "parameters": {}})
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "NG120"
    assert fingerprint(guard_store) == before
    assert before[0]["nodes"] > 0


def test_the_run_time_layer_refuses_and_rolls_back_writes(guard_store):
    """Behind the up-front checks: a statement that writes is rolled back and refused on its
    summary counters (here called without the checks, as a statement that slipped through)."""
    before = fingerprint(guard_store)
    with pytest.raises(QueryRefused) as refused:
        ReadOnlyRunner._work(guard_store, "MATCH (e:Entity) SET e.name = 'pwned' RETURN count(e) AS n", {}, 10, 5.0,
                             float("inf"), _never())
    assert "rolled back" in refused.value.message
    assert fingerprint(guard_store) == before


def _never():
    import threading

    return threading.Event()


def test_reads_with_parameters(client, guard_store):
    response = client.post("/cypher", json={
        "query": "MATCH (e:Entity) WHERE e.type = $type RETURN e.id AS id, e.name AS name ORDER BY id",
        "parameters": {"type": "State"},
    })
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"] == ["id", "name"]
    assert body["rows"] and all(row[0].startswith("state:") for row in body["rows"])
    assert body["truncated"] is False
    # words that would be writes are fine inside strings, comments and quoted names
    harmless = client.post("/cypher", json={
        "query": "// CREATE nothing\nMATCH (n:`CREATE`) WHERE n.name = 'DELETE me' RETURN count(n) AS n"})
    assert harmless.status_code == 200, harmless.text
    assert harmless.json()["rows"] == [[0]]
    procedures = client.post("/cypher", json={"query": "CALL db.labels() YIELD label RETURN label"})
    assert procedures.status_code == 200 and ["Entity"] in procedures.json()["rows"]
    nodes = client.post("/cypher", json={"query": "MATCH (a:Article) RETURN a, a.published AS published LIMIT 1"})
    node, published = nodes.json()["rows"][0]
    assert "Article" in node["labels"] and node["properties"]["id"]
    assert published.count("-") == 2


def test_row_cap(guard_store):
    with TestClient(create_app(settings_for(guard_store, cypher_row_cap=3), store=guard_store)) as capped:
        body = capped.post("/cypher", json={"query": "UNWIND range(1, 10) AS i RETURN i"}).json()
    assert body["rows"] == [[1], [2], [3]] and body["truncated"] is True and body["row_cap"] == 3


def test_time_limit(guard_store):
    settings = settings_for(guard_store, cypher_timeout=0.5, cypher_row_cap=10_000_000)
    with TestClient(create_app(settings, store=guard_store)) as limited:
        response = limited.post("/cypher", json={"query": "UNWIND range(1, 3000000) AS i RETURN i, toString(i) AS s"})
    assert response.status_code == 504, response.text[:300]
    assert response.json()["error"]["code"] == "NG122"


def test_disabled_by_default(guard_store):
    with TestClient(create_app(ApiSettings(graph=guard_store.settings), store=guard_store)) as default:
        response = default.post("/cypher", json={"query": "RETURN 1 AS one"})
    assert response.status_code == 403
    assert "NEWSGRAPH_ENABLE_CYPHER" in response.json()["error"]["message"]


def test_syntax_errors_are_400_and_bad_bodies_422(client):
    response = client.post("/cypher", json={"query": "MATCH (n RETURN n"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "NG121"
    assert client.post("/cypher", json={"query": ""}).status_code == 422
    assert client.post("/cypher", json={"parameters": {}}).status_code == 422
    assert client.post("/cypher", content=b"not json", headers={"content-type": "application/json"}).status_code == 422


def test_parameters_bolt_cannot_carry_are_400(client):
    response = client.post("/cypher", json={"query": "RETURN $big AS big", "parameters": {"big": -19463117261954757985042432}})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "NG121" and "big" in response.json()["error"]["details"]["parameters"]


@pytest.mark.parametrize("statement", [
    "MATCH (n) RETURN n.created AS created, n.offset AS settings",  # keywords only as whole words
    "RETURN date.truncate('month', date('2024-10-23')) AS month",  # temporal namespaces are allowed
    "MATCH (n) RETURN count(n);",  # one trailing semicolon is one statement
])
def test_reads_pass_the_checks(statement):
    assert check_statement(statement) == statement.rstrip(";")
