"""render_network as a pure function: offline, escaped, styled by type, with a legend.
(What the page does in a browser is tested in test_view_browser.py.)"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from api.view import NODE_STYLES, format_quantity, render_network, script_json, stabilization_budget
from graph.model import GraphEdge, GraphNode, Subgraph
from tests.view_data import HOSTILE_OUTLET, IMG_ALIAS, IMG_QUOTE, SCRIPT_NAME, SCRIPT_TITLE, story_subgraph


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def payload(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    assert match, "no graph-data block"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def story_html() -> str:
    return render_network(story_subgraph(), "Around John Kirby", query={"center": "person:john-kirby", "depth": 2})


def test_page_is_self_contained(story_html):
    tags = parse(story_html)
    loaded = [(tag, attrs) for tag, attrs in tags.tags if tag in {"script", "link", "img", "iframe"}]
    assert [t for t in loaded if t[0] != "script"] == []
    assert all("src" not in attrs for _tag, attrs in loaded), "every script must be inline"
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=\s*[\"']?https?://", story_html, re.I)
    assert "jsdelivr" not in story_html and "bootstrap" not in story_html.lower()  # not pyvis's template
    # vis-network's code and stylesheet are inlined from the pyvis package
    assert "vis-network" in story_html and ".vis-network" in story_html
    assert any("new vis.Network" in script for script in tags.scripts)


def test_every_text_from_articles_is_inert(story_html):
    for hostile in (SCRIPT_NAME, IMG_ALIAS, IMG_QUOTE, SCRIPT_TITLE, HOSTILE_OUTLET):
        assert hostile not in story_html
    # our own three script elements (the JSON block, vis-network, the page script) and nothing
    # an article smuggled in
    assert [tag for tag, _attrs in parse(story_html).tags if tag == "script"] == ["script"] * 3
    tags = parse(story_html).tags
    assert not [tag for tag, attrs in tags if any(name.startswith("on") for name in attrs)]
    assert not [tag for tag, _attrs in tags if tag in {"img", "i", "b", "iframe"}]
    data = payload(story_html)
    by_id = {node["id"]: node for node in data["nodes"]}
    assert by_id["person:hostile"]["meta"]["name"] == SCRIPT_NAME
    assert by_id["person:hostile"]["meta"]["aliases"] == [IMG_ALIAS]
    assert by_id["claim:hostile"]["meta"]["quote"] == IMG_QUOTE
    hostile_edge = next(edge for edge in data["edges"] if edge["id"] == "e-hostile")
    assert hostile_edge["meta"]["evidence"][0]["articleTitle"] == SCRIPT_TITLE
    assert HOSTILE_OUTLET in data["outlets"]


def test_title_is_escaped():
    html = render_network(Subgraph(), "<img src=x onerror=alert(1)> & co")
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; co" in html


@pytest.mark.parametrize(
    "value",
    ["</script><script>alert(1)</script>", "<!-- x", "a & b", "line\u2028separator", "]]>"],
)
def test_script_json_cannot_break_out(value):
    text = script_json({"v": value})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"v": value}


def test_nodes_styled_by_type(story_html):
    data = payload(story_html)
    types = {node["meta"]["type"] for node in data["nodes"]}
    assert types == {"Person", "Organization", "State", "Place", "Unit", "Event", "Source", "Claim", "Article"}
    for node in data["nodes"]:
        style = NODE_STYLES[node["meta"]["type"]]
        assert (node["shape"], node["color"]) == (style["shape"], style["color"])
    # every type is told apart by its colour, and no two types share both colour and shape
    assert len({s["color"] for s in NODE_STYLES.values()}) == len(NODE_STYLES)
    source = next(node for node in data["nodes"] if node["meta"]["type"] == "Source")
    assert source["shapeProperties"]["borderDashes"]


def test_size_follows_mentions_then_degree(story_html):
    sizes = {node["id"]: node["size"] for node in payload(story_html)["nodes"]}
    assert sizes["state:north-korea"] > sizes["person:john-kirby"] > sizes["organization:white-house"]
    assert sizes["claim:kirby-3000"] > sizes["claim:fake-news"]  # no mentions: degree 4 against 2


def test_edges_labelled_arrowed_and_dashed_for_denials(story_html):
    edges = {edge["id"]: edge for edge in payload(story_html)["edges"]}
    for edge in edges.values():
        assert edge["label"] == edge["meta"]["type"]
        assert edge["arrows"] == "to"
        assert edge["dashes"] is (edge["meta"]["type"] in {"DENIED", "DENIES", "CONFLICTS_WITH"})
    assert edges["e-stated"]["from"] == "person:john-kirby" and edges["e-stated"]["to"] == "claim:kirby-3000"


def test_legend_lists_types_and_edge_styles(story_html):
    data = payload(story_html)
    assert [(t["type"], t["count"]) for t in data["types"]] == [
        ("Person", 2), ("Organization", 1), ("State", 2), ("Place", 2), ("Unit", 1),
        ("Event", 1), ("Source", 1), ("Claim", 3), ("Article", 1),
    ]
    edge_legend = {e["type"]: e for e in data["edgeLegend"]}
    assert edge_legend["STATED"]["count"] == 2
    assert edge_legend["DENIED"]["dashes"] and edge_legend["CONFLICTS_WITH"]["dashes"]
    assert not edge_legend["DEPLOYED_TO"]["dashes"]
    assert 'id="type-legend"' in story_html and 'id="edge-legend"' in story_html


def test_hover_data_for_nodes_and_edges(story_html):
    data = payload(story_html)
    nodes = {node["id"]: node["meta"] for node in data["nodes"]}
    kirby = nodes["person:john-kirby"]
    assert kirby["name"] == "John Kirby" and kirby["aliases"] == ["Kirby"]
    assert kirby["role"] == "national security spokesman"
    claim = nodes["claim:kirby-3000"]
    assert claim["quantities"] == ["at least 3,000 troops"]
    assert (claim["articleId"], claim["outlet"], claim["date"]) == ("a1", "Wire", "2024-10-23")
    stated = next(edge["meta"] for edge in data["edges"] if edge["id"] == "e-stated")
    assert stated["speaker"] == "John Kirby"
    assert stated["quantities"] == ["at least 3,000 troops"]
    assert stated["evidence"][0]["sentence"].startswith('"At least 3,000 North Korean soldiers"')
    assert stated["evidence"][0]["articleId"] == "a1"
    conflict = next(edge["meta"] for edge in data["edges"] if edge["id"] == "e-conflict")
    assert conflict["reason"] == "denies the deployment the other claim counts"
    assert conflict["evidence"][0]["articleId"] == "a1"  # from the claim it points at
    assert data["articleBase"] == "/articles/"


def test_filters_know_outlets_and_dates(story_html):
    data = payload(story_html)
    assert data["outlets"] == sorted(["Wire", "Agency", HOSTILE_OUTLET])
    assert data["dates"] == {"min": "2024-06-19", "max": "2024-11-02"}
    nodes = {node["id"]: node["meta"] for node in data["nodes"]}
    # an entity stands on the facts of its edges; an ABOUT edge on its claim's article
    assert {"outlet": "Agency", "date": "2024-10-25"} in nodes["state:russia"]["facts"]
    about = next(edge["meta"] for edge in data["edges"] if edge["id"] == "e-about")
    assert about["facts"] == [{"outlet": "Wire", "date": "2024-10-23"}]


def test_dangling_edges_are_left_out_and_counted():
    subgraph = Subgraph(
        nodes=[GraphNode(id="a", label="A", type="Person")],
        edges=[GraphEdge(id="x", source="a", target="missing", type="STATED")],
    )
    html = render_network(subgraph, "t")
    data = payload(html)
    assert data["edges"] == [] and data["dangling"] == 1
    assert "1 edge without both ends left out" in html


def test_repeated_edge_ids_stay_distinct():
    nodes = [GraphNode(id="a", label="A", type="Person"), GraphNode(id="b", label="B", type="State")]
    edges = [GraphEdge(id="x", source="a", target="b", type="MEMBER_OF"), GraphEdge(id="x", source="b", target="a", type="ALLIED_WITH")]
    ids = [edge["id"] for edge in payload(render_network(Subgraph(nodes=nodes, edges=edges), "t"))["edges"]]
    assert len(set(ids)) == 2 and ids[0] == "x"


def test_empty_subgraph_renders():
    html = render_network(Subgraph(), "Nothing")
    data = payload(html)
    assert data["nodes"] == [] and data["types"] == []
    assert "Nothing in this subgraph." in html


def test_large_graph_physics_is_bounded():
    nodes = [GraphNode(id=f"n{i}", label=f"N{i}", type="Person") for i in range(400)]
    edges = [GraphEdge(id=f"e{i}", source=f"n{i}", target=f"n{(i * 7 + 1) % 400}", type="ALLIED_WITH") for i in range(400)]
    options = payload(render_network(Subgraph(nodes=nodes, edges=edges), "big"))["options"]
    assert options["layout"]["improvedLayout"] is False
    assert options["physics"]["stabilization"]["enabled"] is True
    assert 0 < options["physics"]["stabilization"]["iterations"] <= 1000
    assert options["interaction"]["hideEdgesOnDrag"] is True


@pytest.mark.parametrize(
    ("quantity", "text"),
    [
        ({"value": 3000, "qualifier": "at least", "counted": "troops"}, "at least 3,000 troops"),
        ({"value": 10000, "qualifier": "up to", "counted": "soldiers"}, "up to 10,000 soldiers"),
        ({"value": 12000, "qualifier": "exact"}, "12,000"),
        ({"low": 1500, "high": 2000, "qualifier": "about", "counted": "troops"}, "about 1,500–2,000 troops"),
        ({"value": 2.5, "counted": "battalions"}, "2.5 battalions"),
        ({"text": "thousands", "qualifier": "exact", "counted": "troops"}, "thousands troops"),
    ],
)
def test_format_quantity(quantity, text):
    assert format_quantity(quantity) == text


@pytest.mark.parametrize(("nodes", "iterations"), [(0, 1000), (60, 1000), (61, 400), (200, 400), (500, 300), (1000, 150), (5000, 100)])
def test_stabilization_budget_shrinks_with_size(nodes, iterations):
    assert stabilization_budget(nodes) == iterations
