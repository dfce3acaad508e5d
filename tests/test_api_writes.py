"""POST /articles (API key, formats, limits), the store going away (503), CORS and body limits,
through the real app on real embedded stores."""
from __future__ import annotations

import dataclasses
import json
import os
import signal
import socket
import time
import warnings

import pytest

from api.app import create_app
from api.deps import MAX_BATCH_ARTICLES, ApiSettings
from graph import embedded
from graph.errors import ConfigError
from graph.settings import Settings
from graph.store import GraphStore

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

KEY = "test-key-5b1e0c"


@pytest.fixture(scope="module")
def write_store(store_factory, nlp):
    """An empty database of its own: writes here do not change what other tests read."""
    return store_factory("apiwrites")


def client_for(store, **changes) -> TestClient:
    settings = dataclasses.replace(ApiSettings(graph=store.settings, api_key=KEY), **changes)
    return TestClient(create_app(settings, store=store))


@pytest.fixture(scope="module")
def client(write_store):
    with client_for(write_store) as test_client:
        yield test_client


def error_of(response, status):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


ARTICLE = {
    "title": "Seoul says North Korea sent 1,500 special forces troops to Russia",
    "text": (
        "South Korea's National Intelligence Service said on Friday that North Korea had sent "
        "1,500 special forces troops to Russia's Far East. The agency said more troops could follow."
    ),
    "published": "2024-10-18",
    "outlet": "API Test Wire",
    "url": "https://api-test-wire.example/2024/10/18/nis",
}


def test_writes_refused_when_no_key_is_configured(write_store):
    with client_for(write_store, api_key=None) as no_key:
        error = error_of(no_key.post("/articles", json=ARTICLE, headers={"X-API-Key": "anything"}), 403)
    assert "NEWSGRAPH_API_KEY" in error["message"]


def test_missing_or_wrong_key_is_401(client):
    assert error_of(client.post("/articles", json=ARTICLE), 401)["code"] == "NG401"
    assert "does not match" in error_of(client.post("/articles", json=ARTICLE, headers={"X-API-Key": "wrong"}), 401)["message"]


def test_ingest_one_article_then_read_it_back(client):
    response = client.post("/articles", json=ARTICLE, headers={"X-API-Key": KEY})
    assert response.status_code == 201, response.text
    [done] = response.json()["articles"]
    assert done["status"] == "new" and done["entities"] > 0
    detail = client.get(f"/articles/{done['id']}").json()
    assert detail["title"] == ARTICLE["title"] and detail["outlet"] == ARTICLE["outlet"]
    assert detail["published"] == ARTICLE["published"]
    assert any(e["id"] == "state:north-korea" for e in detail["entities"])
    # the same text again: nothing written
    again = client.post("/articles", json=ARTICLE, headers={"X-API-Key": KEY})
    assert again.status_code == 200 and again.json()["articles"][0]["status"] == "unchanged"


def test_ingest_a_batch_and_plain_text(client):
    batch = {"articles": [
        {"title": "Kyiv warns of more troops", "text": "Ukraine's defence intelligence agency said 12,000 North Korean soldiers were in Russia.", "published": "2024-10-20"},
        {"title": "Moscow denies reports", "text": "Russia's foreign ministry dismissed the reports as fake news on Monday.", "published": "2024-10-21"},
    ]}
    response = client.post("/articles", json=batch, headers={"X-API-Key": KEY})
    assert response.status_code == 201, response.text
    assert [a["status"] for a in response.json()["articles"]] == ["new", "new"]
    text = "Pentagon confirms troops\n\nThe Pentagon said on Tuesday that North Korean troops had arrived in Kursk."
    plain = client.post("/articles", content=text.encode(), params={"published": "2024-10-22", "source": "Plain Desk"},
                        headers={"X-API-Key": KEY, "Content-Type": "text/plain; charset=utf-8"})
    assert plain.status_code == 201, plain.text
    [done] = plain.json()["articles"]
    detail = client.get(f"/articles/{done['id']}").json()
    assert detail["title"] == "Pentagon confirms troops" and detail["outlet"] == "Plain Desk"
    assert detail["published"] == "2024-10-22"


def test_claims_stored_by_another_process_are_listed_at_once(client, write_store, nlp):
    """GET /claims keeps the claims' order and filter fields in memory (api/claim_index.py); an
    ingest through a connection of its own, as another process makes, shows in the next request."""
    from graph.model import Article
    from ingest.ingest_cli import ingest_articles
    from ingest.readers import article_id

    def kirby_claims() -> dict:
        return client.get("/claims", params={"speaker": "Kirby", "order": "desc", "limit": 200}).json()

    before = kirby_claims()
    text = ("White House spokesman John Kirby said on Wednesday that at least 3,000 North Korean soldiers "
            "had arrived in eastern Russia.")
    other = GraphStore.open(write_store.settings)
    try:
        article = Article(id=article_id(text), title="Kirby on troop numbers", text=text, published="2024-10-23", outlet="Other Process Wire")
        summary = ingest_articles(other, [article], n_process=1, nlp=nlp)
        assert summary.new == 1
    finally:
        other.close()
    after = kirby_claims()
    assert after["total"] == before["total"] + 1
    newest = after["items"][0]
    assert newest["article"]["id"] == article.id and "3,000" in newest["content"]["text"]
    assert [c["id"] for c in after["items"][1:]] == [c["id"] for c in before["items"]]
    troops = client.get("/claims", params={"about": "troops", "min_value": 2999, "max_value": 3001}).json()
    assert article.id in {c["article"]["id"] for c in troops["items"]}


def test_rows_listed_before_an_ingest_show_what_it_links_to_them(client, write_store, nlp):
    """The index also holds each claim's row as sent (api/claim_index.py): rows already listed
    must show the stance links a later ingest (by another connection) makes to them."""
    from graph.model import Article
    from ingest.ingest_cli import ingest_articles
    from ingest.readers import article_id

    def rows() -> dict[str, dict]:
        return {c["id"]: c for c in client.get("/claims", params={"about": "troops", "limit": 200}).json()["items"]}

    first = ("South Korea's spy agency said on Monday that North Korea had sent 12,000 troops to Russia "
             "to fight in the war against Ukraine.")
    second = ("Ukraine's defence intelligence agency said on Tuesday that North Korea had sent 2,000 troops "
              "to Russia to fight in the war against Ukraine.")
    other = GraphStore.open(write_store.settings)
    try:
        ingest_articles(other, [Article(id=article_id(first), title="Seoul on troops", text=first,
                                        published="2024-11-04", outlet="Seoul Wire")], n_process=1, nlp=nlp)
        before = rows()
        ingest_articles(other, [Article(id=article_id(second), title="Kyiv on troops", text=second,
                                        published="2024-11-05", outlet="Kyiv Wire")], n_process=1, nlp=nlp)
    finally:
        other.close()
    after = rows()
    [new] = [c for i, c in after.items() if i not in before]
    linked = new["conflicts_with"] + new["corroborated_by"]
    assert linked, new
    for claim_id in linked:
        assert new["id"] not in before[claim_id]["conflicts_with"] + before[claim_id]["corroborated_by"]
        assert new["id"] in after[claim_id]["conflicts_with"] + after[claim_id]["corroborated_by"]


@pytest.mark.parametrize("body, reason", [
    ({"title": "no text"}, "text"),
    ({"title": "x", "text": "y", "colour": "red"}, "colour"),
    ({"articles": []}, "articles"),
    ([], "articles"),
])
def test_bad_json_bodies_are_422(client, body, reason):
    error = error_of(client.post("/articles", json=body, headers={"X-API-Key": KEY}), 422)
    assert error["code"] == "NG200"
    assert reason in json.dumps(error)


def test_malformed_json_empty_body_and_batch_limit(client):
    headers = {"X-API-Key": KEY, "Content-Type": "application/json"}
    assert error_of(client.post("/articles", content=b"{not json", headers=headers), 422)["code"] == "NG200"
    assert error_of(client.post("/articles", content=b"  ", headers=headers), 422)["code"] == "NG200"
    many = [{"title": f"t{i}", "text": f"text number {i}"} for i in range(MAX_BATCH_ARTICLES + 1)]
    error = error_of(client.post("/articles", json=many, headers={"X-API-Key": KEY}), 422)
    assert str(MAX_BATCH_ARTICLES) in error["message"]


def test_unsupported_media_type_is_415(client):
    response = client.post("/articles", content=b"\x00\x01", headers={"X-API-Key": KEY, "Content-Type": "application/pdf"})
    assert error_of(response, 415)["code"] == "NG415"


def test_body_size_limit(write_store):
    with client_for(write_store, max_body_bytes=1000) as small:
        big = {**ARTICLE, "text": "word " * 1000}
        error = error_of(small.post("/articles", json=big, headers={"X-API-Key": KEY}), 413)
        assert "1000" in error["message"]

        def chunks():  # no Content-Length: counted as it arrives
            for _ in range(10):
                yield b"x" * 500

        chunked = small.post("/articles", content=chunks(), headers={"X-API-Key": KEY, "Content-Type": "text/plain"})
        assert error_of(chunked, 413)["code"] == "NG413"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_store_not_reachable_is_503_with_a_clear_message(tmp_path):
    settings = Settings.from_env({"NEO4J_URI": f"bolt://127.0.0.1:{_closed_port()}", "NEO4J_PASSWORD": "x",
                                  "NEWSGRAPH_HOME": str(tmp_path)})
    with TestClient(create_app(ApiSettings(graph=settings))) as down:
        for url in ("/claims", "/entities?q=kirby", "/subgraph?center=x", "/health"):
            error = error_of(down.get(url), 503)
            assert error["code"] == "NG100" and "not reachable" in error["message"]
            assert "Traceback" not in error["message"]


def test_store_dying_under_the_app_is_503(tmp_path):
    """A server at NEO4J_URI that goes away (the embedded store would restart its own server, so
    the app reaches this one by URI, as it would a remote Neo4j)."""
    home = tmp_path / "home"
    embedded_store = GraphStore.open(Settings.from_env({"NEWSGRAPH_HOME": str(home)}))
    try:
        settings = Settings.from_env({"NEO4J_URI": embedded_store.uri, "NEO4J_USER": "root",
                                      "NEO4J_PASSWORD": embedded.root_password(home),
                                      "NEO4J_DATABASE": embedded_store.database, "NEWSGRAPH_HOME": str(home)})
        with TestClient(create_app(ApiSettings(graph=settings))) as app_client:
            assert app_client.get("/health").status_code == 200
            server = embedded.read_state(home)
            os.kill(server.pid, signal.SIGKILL)  # the server crashes
            embedded_store.close()
            started = time.monotonic()
            first = error_of(app_client.get("/claims"), 503)
            # Not after the driver's 15 s of retries (the retry budget of reads is graph.store.READ_RETRY_S).
            assert time.monotonic() - started < 8
            assert first["code"] == "NG100" and embedded_store.uri in first["message"]
            for url in ("/health", "/entities/state:russia"):
                error = error_of(app_client.get(url), 503)
                assert error["code"] == "NG100" and embedded_store.uri in error["message"]
    finally:
        embedded_store.close()
        embedded.stop(home)


def test_cors_off_by_default_and_configurable(write_store):
    preflight = {"Origin": "https://analyst.example", "Access-Control-Request-Method": "GET"}
    with client_for(write_store) as default:
        response = default.get("/health", headers={"Origin": "https://analyst.example"})
        assert "access-control-allow-origin" not in response.headers
    with client_for(write_store, cors_origins=("https://analyst.example",)) as open_cors:
        response = open_cors.options("/claims", headers=preflight)
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "https://analyst.example"
        other = open_cors.get("/health", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def test_settings_from_environment():
    settings = ApiSettings.from_env({
        "NEWSGRAPH_API_KEY": "k", "NEWSGRAPH_ENABLE_CYPHER": "1",
        "NEWSGRAPH_CORS_ORIGINS": "https://a.example, https://b.example", "NEWSGRAPH_HOME": "/tmp/x",
    })
    assert settings.api_key == "k" and settings.enable_cypher
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    default = ApiSettings.from_env({"NEWSGRAPH_HOME": "/tmp/x"})
    assert default.api_key is None and not default.enable_cypher and default.cors_origins == ()
    with pytest.raises(ConfigError, match="NEWSGRAPH_CYPHER_TIMEOUT"):
        ApiSettings.from_env({"NEWSGRAPH_CYPHER_TIMEOUT": "soon"})
