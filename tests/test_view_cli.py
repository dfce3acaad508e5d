"""`newsgraph view`: the page GET /view serves, written to a file, over the ingested corpus."""
from __future__ import annotations

import json
import re

import pytest

from api import reads
from api.cli import main

KIRBY = ["--center", "John Kirby", "--depth", "2"]


@pytest.fixture
def store_env(monkeypatch, ingested_store, store_settings):
    """The command's environment pointing at the ingested session store."""
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEWSGRAPH_HOME", str(store_settings.home))
    monkeypatch.setenv("NEO4J_DATABASE", store_settings.neo4j_database)
    return ingested_store


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_writes_the_view_of_the_subgraph(store_env, tmp_path, capsys):
    output = tmp_path / "kirby.html"
    assert main(["view", *KIRBY, "-o", str(output), "--api-url", "http://127.0.0.1:9999/"]) == 0
    expected = reads.subgraph(store_env, ["John Kirby"], depth=2)
    assert f"wrote {output}: {len(expected.nodes)} nodes, {len(expected.edges)} edges" in capsys.readouterr().out
    html = output.read_text(encoding="utf-8")
    data = page_data(html)
    assert sorted(n["id"] for n in data["nodes"]) == sorted(n.id for n in expected.nodes)
    assert sorted(e["id"] for e in data["edges"]) == sorted(e.id for e in expected.edges)
    assert data["articleBase"] == "http://127.0.0.1:9999/articles/"
    assert data["query"] == {"center": ["John Kirby"], "depth": ["2"]}
    assert "<h1>Around John Kirby</h1>" in html
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html)


def test_filters_are_passed_on(store_env, tmp_path):
    output = tmp_path / "stated.html"
    assert main(["view", *KIRBY, "--rel-type", "STATED", "--limit", "50", "-o", str(output)]) == 0
    data = page_data(output.read_text(encoding="utf-8"))
    assert {e["label"] for e in data["edges"]} == {"STATED"}
    assert data["query"]["rel_types"] == ["STATED"] and data["query"]["limit"] == ["50"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--depth", "7"], "--depth 7 is over the limit of 3"),
        (["--limit", "5000"], "--limit 5000 is over the limit of 1000"),
        (["--rel-type", "LOVES"], "--rel-type 'LOVES' is not one of"),
        (["--node-type", "Planet"], "--node-type 'Planet' is not one of"),
    ],
)
def test_bad_arguments_are_refused_before_the_store_is_opened(arguments, message, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")  # would fail if the command tried the store
    output = tmp_path / "x.html"
    assert main(["view", "--center", "x", *arguments, "-o", str(output)]) == 1
    assert message in capsys.readouterr().err
    assert not output.exists()


def test_unknown_center_and_unwritable_output(store_env, tmp_path, capsys):
    assert main(["view", "--center", "no-such-entity-xyz", "-o", str(tmp_path / "x.html")]) == 1
    assert "no-such-entity-xyz" in capsys.readouterr().err
    assert main(["view", *KIRBY, "-o", str(tmp_path)]) == 1
    assert "is a directory" in capsys.readouterr().err
    assert main(["view", *KIRBY, "-o", str(tmp_path / "missing" / "x.html")]) == 1
    assert "cannot write" in capsys.readouterr().err
