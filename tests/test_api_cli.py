"""The CLI mirrors of the API (who-said, entity, subgraph) and `newsgraph serve` as a real uvicorn
process on loopback, all on the store holding the ingested sample corpus."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from api.cli import main


@pytest.fixture
def store_env(ingested_store, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("NEWSGRAPH_HOME", str(ingested_store.settings.home))
    monkeypatch.setenv("NEO4J_DATABASE", ingested_store.database)
    return ingested_store


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_who_said_json_is_the_api_page(store_env, capsys):
    from api import reads

    code, out, _ = run_cli(capsys, "who-said", "--about", "north korea", "--json")
    assert code == 0
    page = json.loads(out)
    expected = reads.list_claims(store_env, reads.ClaimFilters(about="north korea"), limit=200)
    assert page["total"] == expected.total and [r["id"] for r in page["items"]] == [r.id for r in expected.items]


def test_who_said_table(store_env, capsys):
    code, out, _ = run_cli(capsys, "who-said", "--speaker", "person:john-kirby")
    assert code == 0
    for column in ("speaker", "kind", "number", "date", "outlet", "quote"):
        assert column in out
    assert "John Kirby" in out


def test_entity_text_and_json(store_env, capsys):
    code, out, _ = run_cli(capsys, "entity", "kirby")
    assert code == 0 and out.startswith("John Kirby  [Person]  person:john-kirby")
    code, out, _ = run_cli(capsys, "entity", "person:john-kirby", "--json")
    assert code == 0 and json.loads(out)["id"] == "person:john-kirby"
    code, _, err = run_cli(capsys, "entity", "nobody-anywhere")
    assert code == 1 and "NG404" in err and "nobody-anywhere" in err


def test_subgraph_json(store_env, capsys):
    code, out, _ = run_cli(capsys, "subgraph", "--center", "John Kirby", "--depth", "2", "--json")
    assert code == 0
    graph = json.loads(out)
    ids = {n["id"] for n in graph["nodes"]}
    assert "person:john-kirby" in ids
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
    code, out, _ = run_cli(capsys, "subgraph", "--center", "John Kirby")
    assert code == 0 and out.split()[1] == "nodes,"


def test_the_workers_listener_is_marked_tcp():
    """Accepted connections get TCP_NODELAY only from a listener that says it is TCP (see
    api.serve_cli.tcp_listener)."""
    import uvicorn

    from api.serve_cli import tcp_listener

    with tcp_listener(uvicorn.Config("api.app:create_app", host="127.0.0.1", port=0, workers=2)) as listener:
        assert listener.proto == socket.IPPROTO_TCP and listener.getsockname()[0] == "127.0.0.1"
        listener.listen()
        with socket.create_connection(listener.getsockname()) as client:
            accepted, _ = listener.accept()
            with accepted:
                assert accepted.proto == socket.IPPROTO_TCP


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_runs_uvicorn_on_loopback(store_env, workers):
    port = _free_port()
    env = {**os.environ, "NEWSGRAPH_HOME": str(store_env.settings.home), "NEO4J_DATABASE": store_env.database}
    env.pop("NEO4J_URI", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--log-level", "warning", "--workers", str(workers)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "newsgraph serve did not answer within 60 s"
                time.sleep(0.3)
        assert response.status_code == 200 and response.json()["status"] == "ok"
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for _ in range(2 * workers):  # several requests, so that every worker answers one
                claims = client.get("/claims", params={"limit": 2}).json()
                assert len(claims["items"]) == 2
    finally:
        server.terminate()
        server.wait(timeout=30)
