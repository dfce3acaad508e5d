"""notebooks/analyst_walkthrough.ipynb, executed top to bottom in a real kernel against the
embedded store of the session's temporary home (a database of its own, so the notebook ingests
the sample corpus itself), and its outputs checked: the who-said table against the gold
annotations, the inline network for anything loaded from elsewhere, the subgraph pulled over
HTTP, the Cypher counts; and the API server it started is gone afterwards."""
from __future__ import annotations

import ast
import html
import io
import json
import re
from collections import defaultdict
from pathlib import Path

import httpx
import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from ingest.sample_corpus import load_sample_articles

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "analyst_walkthrough.ipynb"
GOLD = ROOT / "bench" / "gold" / "samples.json"
CELL_TIMEOUT_S = 300
"""Per cell; the longest is the ingest (model load and extraction of nine articles)."""
DATABASE = "notebook"
CANONICAL_SPEAKERS = ("John Kirby", "Volodymyr Zelensky", "National Intelligence Service")
"""The speakers of the story's troop numbers (the brief's canonical story)."""
ALLOWED_IMPORTS = {"graph", "ingest", "api", "pandas", "httpx", "IPython"}
LOGIC_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.For, ast.While, ast.If,
               ast.Try, ast.With, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp)
EXTERNAL_RESOURCE = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE)


@pytest.fixture(scope="module")
def executed(store_settings, monkeypatch_module) -> dict[str, list[dict]]:
    """The notebook run in a fresh kernel; outputs by cell tag, and under ``"api-after-run"``
    whether the API server it started still answered after the last cell, the kernel alive
    (shutting the kernel down would end the server whether the notebook stops it or not)."""
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
        monkeypatch_module.delenv(name, raising=False)
    monkeypatch_module.setenv("NEWSGRAPH_HOME", str(store_settings.home))
    monkeypatch_module.setenv("NEO4J_DATABASE", DATABASE)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_S, startup_timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}})
    with client.setup_kernel():  # the kernel is shut down on leaving, also when a cell fails
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)  # raises CellExecutionError naming the failing cell
        outputs = {tag: cell.outputs for cell in notebook.cells if cell.cell_type == "code"
                   for tag in cell.metadata.get("tags", [])}
        outputs["api-after-run"] = answers(stdout(outputs["api-url"]).strip())
    return outputs


def answers(url: str) -> bool:
    try:
        httpx.get(f"{url}/health", timeout=5)
        return True
    except httpx.ConnectError:
        return False


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def output_data(outputs: list[dict], mime: str) -> str:
    found = [o["data"][mime] for o in outputs if o.get("output_type") in ("execute_result", "display_data") and mime in o["data"]]
    assert found, f"no {mime} output in {outputs}"
    return found[0]


def stdout(outputs: list[dict]) -> str:
    return "".join(o["text"] for o in outputs if o.get("output_type") == "stream" and o["name"] == "stdout")


def frame(outputs: list[dict]) -> pd.DataFrame:
    return pd.read_html(io.StringIO(output_data(outputs, "text/html")), thousands=None)[0]  # "10,000" stays text


def gold_troop_numbers() -> dict[str, set[tuple]]:
    """Catalogue name of each speaker -> (value, qualifier, published, outlet) of the troop
    numbers the gold gives in their claims."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    numbers: dict[str, set[tuple]] = defaultdict(set)
    for article in gold["articles"]:
        for claim in article["claims"]:
            for quantity in claim.get("quantities", []):
                if quantity.get("is_troop_count") and quantity.get("value") is not None:
                    numbers[claim["speaker"]].add(
                        (float(quantity["value"]), quantity["qualifier"], article["published"], article["outlet"]))
    return numbers


def catalogue_name() -> dict[str, str]:
    """Every name and alias of the gold catalogue -> its catalogue name."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    return {name: entry["name"] for entry in gold["catalogue"] for name in [entry["name"], *entry.get("aliases", [])]}


def test_cells_hold_no_logic_and_import_only_the_project_and_display_libraries():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    for cell in (c for c in notebook.cells if c.cell_type == "code"):
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, LOGIC_NODES), f"logic in a notebook cell ({type(node).__name__}):\n{cell.source}"
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                assert module.split(".")[0] in ALLOWED_IMPORTS, f"the notebook imports {module}"


def test_ingest_reads_every_sample(executed):
    text = stdout(executed["ingest"])
    assert f"articles read: {len(load_sample_articles())}" in text
    assert "skipped: 0" in text


def test_who_said_table_has_the_speakers_and_numbers_of_the_gold(executed):
    table = frame(executed["who-said"])
    names = catalogue_name()
    gold = gold_troop_numbers()
    for speaker in CANONICAL_SPEAKERS:
        rows = table[[names.get(s) == speaker for s in table["speaker"]]]
        assert len(rows), f"no row for {speaker}:\n{table}"
        shown = {(float(r.value), r.qualifier, r.published, r.outlet) for r in rows.itertuples()}
        assert shown <= gold[speaker], f"{speaker}: numbers not in the gold: {shown - gold[speaker]}"
    # Every row is a troop number, shown as the text gives it.
    assert table["value"].notna().all()
    for row in table.itertuples():
        assert (f"{row.value:,.0f}" in row.number) and (row.qualifier == "exact" or row.number.startswith(row.qualifier))


def test_conflicting_claims_include_the_denial_and_differing_numbers(executed):
    conflicts = frame(executed["conflicts"])
    assert {"CONFLICTS_WITH", "DENIES"} <= set(conflicts["link"])
    differing = conflicts[conflicts["link"] == "CONFLICTS_WITH"]
    assert (differing["a_numbers"] != differing["b_numbers"]).all()
    denials = conflicts[conflicts["link"] == "DENIES"]
    assert set(denials["a_kind"]) == {"DENIED"}


def test_inline_network_is_self_contained(executed):
    outer = output_data(executed["network"], "text/html")
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', outer).group(1))
    assert "Around North Korea" in page
    assert "@version 9.1.2" in page and "new vis.Network" in page  # vis-network inlined, and started
    for text in (outer, page):
        assert not EXTERNAL_RESOURCE.search(text), EXTERNAL_RESOURCE.search(text).group(0)
        assert not re.search(r"<script\b[^>]*\bsrc=", text, re.IGNORECASE)


def test_subgraph_over_http_has_nodes_and_edges(executed):
    counts = ast.literal_eval(output_data(executed["subgraph"], "text/plain"))
    assert counts["nodes"] > 1 and counts["edges"] > 0
    nodes = frame(executed["subgraph-nodes"])
    assert len(nodes) == counts["nodes"] and "Russia" in set(nodes["label"])


def test_cypher_counts_match_the_ingested_corpus(executed):
    counts = frame(executed["cypher"]).set_index("label")["count"]
    assert counts["Article"] == len(load_sample_articles())
    assert counts["Claim"] > 0


def test_the_notebook_stops_the_api_server_it_started(executed):
    url = stdout(executed["api-url"]).strip()
    assert url.startswith("http://127.0.0.1:")
    assert executed["api-after-run"] is False
    assert not answers(url)
