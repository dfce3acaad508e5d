"""The interactive network view: a :class:`~graph.model.Subgraph` as one self-contained HTML page.

pyvis builds the vis-network nodes, edges and options; the page comes from our own template
(``api/templates/network.html``) because pyvis 0.3.2's template links Bootstrap from a CDN.
vis-network's JavaScript and CSS are inlined from the pyvis package, so the page works offline.

Text from articles never reaches the page as markup: everything the browser shows goes into
one JSON block (with ``<``, ``>`` and ``&`` escaped so it cannot close the script element) and
the page's script puts it into the DOM with ``textContent``. Tooltips are DOM elements built
that way, never HTML strings.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import math
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import jinja2
import pyvis
from markupsafe import Markup
from pyvis.network import Network

from graph.model import GraphEdge, GraphNode, Subgraph

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
_VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"

# Colour, vis-network shape and legend name per node type. Shapes with the label below them
# (not inside) keep node sizes meaningful.
NODE_STYLES: dict[str, dict[str, str]] = {
    "Person": {"color": "#4e79a7", "shape": "dot"},
    "Organization": {"color": "#f28e2b", "shape": "square"},
    "State": {"color": "#e15759", "shape": "hexagon"},
    "Place": {"color": "#59a14f", "shape": "triangle"},
    "Unit": {"color": "#9c755f", "shape": "triangleDown"},
    "Event": {"color": "#edc948", "shape": "star"},
    "Source": {"color": "#a0a0a0", "shape": "dot"},
    "Claim": {"color": "#b07aa1", "shape": "diamond"},
    "Article": {"color": "#76b7b2", "shape": "square"},
}
OTHER_NODE_STYLE = {"color": "#bab0ac", "shape": "dot"}

# Edges: who says something (speaker -> claim), how claims relate, what the text says happened.
CLAIM_KINDS = {"STATED", "ASSESSED", "CONFIRMED", "DENIED", "WARNED", "REPORTED"}
NEGATING_EDGES = {"DENIED", "DENIES", "CONFLICTS_WITH"}
EDGE_COLORS: dict[str, str] = {
    "claim": "#8f6a8a",
    "negating": "#d62728",
    "CORROBORATES": "#2ca02c",
    "ABOUT": "#b9a3b5",
    "MENTIONED_IN": "#a9cfcb",
    "other": "#7f7f7f",
}

# The most frequent edges (a claim's subjects, claims agreeing or not) get small, light labels:
# colour and dashes already tell them apart, and they drop out first when zoomed out.
MINOR_EDGES = {"ABOUT", "CONFLICTS_WITH", "CORROBORATES", "DENIES", "MENTIONED_IN"}
MINOR_EDGE_FONT = {"size": 8, "color": "#8a8f96"}

MAX_LABEL_CHARS = 40
CLAIM_LABEL_CHARS = 30  # claims are many and wordy: short, small labels; the tooltip has it all
LARGE_GRAPH_NODES = 150  # above this: straight edges, edges hidden while dragging
SMALL_GRAPH_NODES = 60  # up to this: vis-network's improvedLayout seeding and 1,000 iterations


def stabilization_budget(node_count: int) -> int:
    """Layout iterations before physics stops: the full 1,000 for small graphs (they usually settle
    sooner), fewer as graphs grow (an iteration costs ~20-25 ms at 1,000 nodes in headless Chromium
    on a busy 2-core box), so a 1,000-node page is stable in seconds; "Lay out again" runs more
    on demand."""
    if node_count <= SMALL_GRAPH_NODES:
        return 1000
    return max(100, min(400, 150_000 // node_count))


def node_style(node_type: str) -> dict[str, str]:
    return NODE_STYLES.get(node_type, OTHER_NODE_STYLE)


def edge_style(edge_type: str) -> dict[str, Any]:
    """Colour and dash pattern for an edge type: denials and conflicts are red and dashed."""
    if edge_type in NEGATING_EDGES:
        return {"color": EDGE_COLORS["negating"], "dashes": True}
    if edge_type in CLAIM_KINDS:
        return {"color": EDGE_COLORS["claim"], "dashes": False}
    return {"color": EDGE_COLORS.get(edge_type, EDGE_COLORS["other"]), "dashes": False}


def render_network(
    subgraph: Subgraph,
    title: str,
    *,
    article_base: str = "/articles/",
    view_base: str = "/view",
    query: dict[str, Any] | None = None,
    centers: Iterable[str] = (),
    stabilization_iterations: int | None = None,
) -> str:
    """The subgraph as a self-contained interactive HTML page.

    ``article_base`` prefixes article ids in evidence links (``/articles/{id}`` when served;
    a full API address for a page written to a file); ``view_base`` is where "centre the view
    here" links point. ``query`` is shown in the header (the parameters that made the subgraph);
    ``centers`` (node ids) are drawn with a thick border.
    """
    centers = set(centers)
    nodes_by_id = {node.id: node for node in subgraph.nodes}
    edges = [e for e in subgraph.edges if e.source in nodes_by_id and e.target in nodes_by_id]
    dangling = len(subgraph.edges) - len(edges)
    degree: Counter[str] = Counter()
    for edge in edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    large = len(nodes_by_id) > LARGE_GRAPH_NODES

    roles = _roles(edges, nodes_by_id)
    claim_centers = _claim_centers(edges, nodes_by_id)
    node_facts = _node_facts(subgraph.nodes, edges, nodes_by_id)

    net = Network(directed=True)
    for node in subgraph.nodes:
        style = node_style(node.type)
        mentions = _number(node.properties.get("mention_count"))
        weight = mentions if mentions else degree[node.id]
        net.add_node(
            node.id,
            label=_short(node.label or node.id, CLAIM_LABEL_CHARS if node.type == "Claim" else MAX_LABEL_CHARS),
            font={"size": 10, "color": "#5d4a5a"} if node.type == "Claim" else {},
            shape=style["shape"],
            color=style["color"],
            size=round(10 + 4 * math.sqrt(weight), 1) if weight else 10,
            borderWidth=4 if node.id in centers else 1,
            shapeProperties={"borderDashes": [4, 3]} if node.type == "Source" else {},
            meta=_node_meta(node, degree[node.id], roles.get(node.id), node_facts[node.id])
            | {"centers": claim_centers.get(node.id, [node.id])},
        )
    parallel: Counter[frozenset[str]] = Counter()
    seen_ids: Counter[str] = Counter()
    for edge in edges:
        pair = frozenset((edge.source, edge.target))
        style = edge_style(edge.type)
        seen_ids[edge.id] += 1  # vis-network refuses a repeated id, which would blank the page
        net.add_edge(
            edge.source,
            edge.target,
            id=edge.id if seen_ids[edge.id] == 1 else f"{edge.id}#{seen_ids[edge.id]}",
            label=edge.type,
            color={"color": style["color"], "highlight": style["color"], "hover": style["color"]},
            dashes=style["dashes"],
            font=MINOR_EDGE_FONT if edge.type in MINOR_EDGES else {},
            width=1.6 if edge.type in CLAIM_KINDS or edge.type in NEGATING_EDGES else 1.0,
            smooth=_smooth(parallel[pair], large),
            meta=_edge_meta(edge, nodes_by_id, _edge_facts(edge, nodes_by_id)),
        )
        parallel[pair] += 1

    iterations = stabilization_iterations or stabilization_budget(len(nodes_by_id))
    net.set_options(json.dumps(_vis_options(len(nodes_by_id), iterations)))
    vis_nodes, vis_edges, _heading, _height, _width, options_json = net.get_network_data()

    all_facts = [f for facts in node_facts.values() for f in facts]
    payload = {
        "title": title,
        "nodes": vis_nodes,
        "edges": vis_edges,
        "options": json.loads(options_json),
        "types": _legend(subgraph.nodes),
        "edgeLegend": _edge_legend(edges),
        "outlets": sorted({f["outlet"] for f in all_facts if f.get("outlet")}),
        "dates": _date_span(all_facts),
        "articleBase": article_base,
        "viewBase": view_base,
        "truncated": subgraph.truncated,
        "dangling": dangling,
        "query": {k: v for k, v in (query or {}).items() if v not in (None, "", [])},
    }
    return _environment().get_template("network.html").render(
        title=title,
        node_count=len(subgraph.nodes),
        edge_count=len(edges),
        truncated=subgraph.truncated,
        dangling=dangling,
        vis_css=_asset(_VIS_DIR / "vis-network.css"),
        vis_js=_asset(_VIS_DIR / "vis-network.min.js"),
        view_css=_asset(STATIC_DIR / "network.css"),
        view_js=page_script("network.js"),
        data_json=script_json(payload),
        csp=network_csp(),
    )


def render_landing(*, root: str = "", openapi_path: str = "/openapi.json", claims_limit: int = 200) -> str:
    """The landing page: entity search (``/entities``), the who-said table for troop numbers
    (``/claims?about=troops``) and links that open ``/view`` around a result. ``root`` prefixes
    every API path (the app's root path)."""
    config = {
        "entitiesPath": f"{root}/entities",
        "claimsPath": f"{root}/claims",
        "viewPath": f"{root}/view",
        "articlesPath": f"{root}/articles/",
        "claimsLimit": claims_limit,
        "typeColors": {node_type: style["color"] for node_type, style in NODE_STYLES.items()},
    }
    return _environment().get_template("landing.html").render(
        landing_css=_asset(STATIC_DIR / "landing.css"),
        landing_js=page_script("landing.js"),
        config_json=script_json(config),
        view_path=config["viewPath"],
        openapi_path=f"{root}{openapi_path}",
        csp=landing_csp(),
    )


@lru_cache(maxsize=None)
def page_script(name: str) -> Markup:
    """A page's own script: the shared DOM helpers (``dom.js``), then ``api/static/<name>``."""
    return Markup(_asset(STATIC_DIR / "dom.js") + "\n" + _asset(STATIC_DIR / name))


@lru_cache(maxsize=None)
def network_csp() -> str:
    return content_security_policy(_asset(_VIS_DIR / "vis-network.min.js"), page_script("network.js"))


@lru_cache(maxsize=None)
def landing_csp() -> str:
    return content_security_policy(page_script("landing.js"), connect="'self'")


def content_security_policy(*scripts: str, connect: str = "'none'") -> str:
    """The page's Content-Security-Policy: only our own inline scripts (``scripts``, their exact
    text) run, by hash; nothing is loaded from anywhere, so even text that escaped escaping could
    not execute or phone home."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(str(text).encode('utf-8')).digest()).decode('ascii')}'"
        for text in scripts
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        f"connect-src {connect}; base-uri 'none'; form-action 'self'"
    )


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: nothing in it can end the element or open a
    comment, whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=False, default=_json_default)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


@lru_cache(maxsize=None)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


@lru_cache(maxsize=None)
def _asset(path: Path) -> Markup:
    """A bundled script or stylesheet, inlined verbatim (it cannot contain its own end tag)."""
    text = path.read_text(encoding="utf-8")
    closing = "</script" if path.suffix == ".js" else "</style"
    if closing in text.lower():
        raise ValueError(f"{path} contains {closing!r} and cannot be inlined")
    return Markup(text)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _smooth(index: int, large: bool) -> Any:
    """Parallel edges between the same two nodes bend apart so each label stays readable."""
    if index == 0:
        return False if large else {"enabled": True, "type": "continuous", "roundness": 0.2}
    direction = "curvedCW" if index % 2 else "curvedCCW"
    return {"enabled": True, "type": direction, "roundness": 0.15 * ((index + 1) // 2)}


def _vis_options(node_count: int, iterations: int) -> dict[str, Any]:
    large = node_count > LARGE_GRAPH_NODES
    return {
        "autoResize": True,
        # improvedLayout seeds with Kamada-Kawai: good for a few dozen nodes, seconds at 130
        "layout": {"improvedLayout": node_count <= SMALL_GRAPH_NODES, "randomSeed": 7},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -100,
                "centralGravity": 0.008,
                "springLength": 140,
                "springConstant": 0.06,
                "damping": 0.5,
                "avoidOverlap": 0.5,
            },
            "minVelocity": 1.0,
            "maxVelocity": 60,
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "multiselect": True,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "hideEdgesOnDrag": large,
            "navigationButtons": False,
        },
        "nodes": {
            "font": {"size": 14, "face": "system-ui, sans-serif", "color": "#222", "strokeWidth": 3, "strokeColor": "#ffffff"},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
            "font": {"size": 10, "face": "system-ui, sans-serif", "color": "#555", "align": "middle", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "selectionWidth": 2,
        },
    }


# --- what the page shows about nodes and edges -------------------------------------------------


def _first(mapping: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        value = mapping.get(key)
        if value not in (None, "", []):
            return value
    return None


def _date_text(value: Any) -> str | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, str) and value:
        return value[:10]
    return None


def _evidence_items(evidence: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Evidence rows in one shape: sentence, article id and title, outlet, date."""
    items = []
    for row in evidence:
        items.append(
            {
                "sentence": _first(row, "text", "sentence_text", "evidence_text", "sentence"),
                "articleId": _first(row, "article_id", "articleId"),
                "articleTitle": _first(row, "article_title", "title"),
                "outlet": _first(row, "outlet"),
                "date": _date_text(_first(row, "published", "date")),
                "extractor": _first(row, "extractor"),
                "confidence": _number(row.get("confidence")),
            }
        )
    return items


def format_quantity(quantity: dict[str, Any]) -> str:
    """'at least 3,000 troops', 'up to 10,000 soldiers', '1,500–2,000 troops'."""
    value, low, high = (_number(quantity.get(k)) for k in ("value", "low", "high"))
    if value is not None:
        number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    elif low is not None and high is not None:
        number = f"{low:,.0f}–{high:,.0f}"
    else:
        number = str(quantity.get("text") or "")
    qualifier = quantity.get("qualifier")
    parts = [qualifier if qualifier and qualifier != "exact" else None, number, quantity.get("counted")]
    return " ".join(str(p) for p in parts if p)


def _quantities(properties: dict[str, Any]) -> list[str]:
    quantities = properties.get("quantities")
    if isinstance(quantities, list):  # Quantity dicts, or the numbers as written ("at least 3,000")
        return [format_quantity(q) if isinstance(q, dict) else str(q) for q in quantities if q]
    if _number(properties.get("count")) is not None:
        return [format_quantity({"value": properties["count"], "qualifier": properties.get("qualifier")})]
    return []


def _roles(edges: list[GraphEdge], nodes_by_id: dict[str, GraphNode]) -> dict[str, str]:
    """A person's role, from the HOLDS_ROLE edges in the subgraph."""
    roles: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        if edge.type != "HOLDS_ROLE":
            continue
        role = _first(edge.properties, "title", "role") or nodes_by_id[edge.target].label
        if role not in roles[edge.source]:
            roles[edge.source].append(str(role))
    return {node_id: "; ".join(values) for node_id, values in roles.items()}


def _claim_centers(edges: list[GraphEdge], nodes_by_id: dict[str, GraphNode]) -> dict[str, list[str]]:
    """What to centre a view on for a claim (the API centres on entities only): its speaker and
    what it is about, at most 10 (the API's limit on centres)."""
    centers: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        if edge.type in CLAIM_KINDS and nodes_by_id[edge.target].type == "Claim":
            centers[edge.target].insert(0, edge.source)
        elif edge.type == "ABOUT":
            centers[edge.source].append(edge.target)
    for node_id, node in nodes_by_id.items():
        speaker = node.properties.get("speaker_id") if node.type == "Claim" else None
        if speaker and speaker not in centers[node_id]:
            centers[node_id].insert(0, speaker)
    return {claim: list(dict.fromkeys(ids))[:10] for claim, ids in centers.items() if ids}


def _own_facts(node: GraphNode) -> list[dict[str, Any]]:
    """Outlet and date of a claim or article node itself."""
    props = node.properties
    outlet = _first(props, "outlet")
    date = _date_text(_first(props, "published", "date"))
    return [{"outlet": outlet, "date": date}] if outlet or date else []


def _edge_facts(edge: GraphEdge, nodes_by_id: dict[str, GraphNode]) -> list[dict[str, Any]]:
    """(outlet, date) pairs an edge stands on: its evidence, or the claim or article it touches."""
    facts = [
        {"outlet": item["outlet"], "date": item["date"]}
        for item in _evidence_items(edge.evidence)
        if item["outlet"] or item["date"]
    ]
    if not facts:
        for end in (edge.source, edge.target):
            facts.extend(_own_facts(nodes_by_id[end]))
    return _unique(facts)


def _node_facts(
    nodes: list[GraphNode], edges: list[GraphEdge], nodes_by_id: dict[str, GraphNode]
) -> dict[str, list[dict[str, Any]]]:
    facts: dict[str, list[dict[str, Any]]] = {node.id: _own_facts(node) for node in nodes}
    for edge in edges:
        for fact in _edge_facts(edge, nodes_by_id):
            facts[edge.source].append(fact)
            facts[edge.target].append(fact)
    return {node_id: _unique(values) for node_id, values in facts.items()}


def _unique(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen, out = set(), []
    for fact in facts:
        key = (fact.get("outlet"), fact.get("date"))
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out


def _node_meta(node: GraphNode, degree: int, role: str | None, facts: list[dict[str, Any]]) -> dict[str, Any]:
    props = node.properties
    meta: dict[str, Any] = {
        "name": node.label or node.id,
        "id": node.id,
        "type": node.type,
        "degree": degree,
        "facts": facts,
        "aliases": [str(a) for a in props.get("aliases") or [] if a != node.label],
        "role": role or _first(props, "role", "title"),
        "mentions": _number(props.get("mention_count")),
    }
    if node.type == "Claim":
        meta.update(
            kind=_first(props, "kind"),
            speaker=_first(props, "speaker", "speaker_name", "speaker_text"),
            quote=_first(props, "content_text", "content", "text"),
            sentence=_first(props, "sentence_text", "evidence_text"),
            quantities=_quantities(props),
            articleId=_first(props, "article_id"),
            articleTitle=_first(props, "article_title"),
            outlet=_first(props, "outlet"),
            date=_date_text(_first(props, "published", "date")),
        )
    elif node.type == "Article":
        meta.update(
            articleId=node.id,
            outlet=_first(props, "outlet"),
            date=_date_text(_first(props, "published", "date")),
            url=_first(props, "url"),
        )
    else:
        meta.update(
            firstSeen=_date_text(props.get("first_seen")),
            lastSeen=_date_text(props.get("last_seen")),
            country=_first(props, "country"),
            affiliation=_first(props, "affiliation"),
            time=_first(props, "time_text"),
        )
    return {k: v for k, v in meta.items() if v not in (None, "", [])} | {"facts": facts}


def _edge_meta(edge: GraphEdge, nodes_by_id: dict[str, GraphNode], facts: list[dict[str, Any]]) -> dict[str, Any]:
    props = edge.properties
    source, target = nodes_by_id[edge.source], nodes_by_id[edge.target]
    speaker = _first(props, "speaker", "speaker_name", "speaker_text")
    if speaker is None and edge.type in CLAIM_KINDS:
        speaker = source.label
    quantities = _quantities(props)
    if not quantities and target.type == "Claim":
        quantities = _quantities(target.properties)
    meta = {
        "type": edge.type,
        "source": source.label or source.id,
        "target": target.label or target.id,
        "speaker": speaker,
        "quantities": quantities,
        "time": _first(props, "time_text"),
        "reason": _first(props, "reason"),
        "evidence": _evidence_items(edge.evidence),
        "facts": facts,
    }
    if not meta["evidence"] and target.type == "Claim":
        claim = target.properties
        meta["evidence"] = _evidence_items(
            [
                {
                    "text": _first(claim, "sentence_text", "evidence_text", "content_text"),
                    "article_id": claim.get("article_id"),
                    "article_title": claim.get("article_title"),
                    "outlet": claim.get("outlet"),
                    "published": claim.get("published"),
                }
            ]
        ) if claim.get("article_id") else []
    return {k: v for k, v in meta.items() if v not in (None, "", [])} | {"facts": facts}


def _legend(nodes: list[GraphNode]) -> list[dict[str, Any]]:
    counts = Counter(node.type for node in nodes)
    known = [t for t in NODE_STYLES if t in counts]
    others = sorted(t for t in counts if t not in NODE_STYLES)
    return [{"type": t, "count": counts[t], **node_style(t)} for t in known + others]


def _edge_legend(edges: list[GraphEdge]) -> list[dict[str, Any]]:
    counts = Counter(edge.type for edge in edges)
    return [{"type": t, "count": n, **edge_style(t)} for t, n in sorted(counts.items())]


def _date_span(facts: list[dict[str, Any]]) -> dict[str, str | None]:
    dates = sorted(f["date"] for f in facts if f.get("date"))
    return {"min": dates[0] if dates else None, "max": dates[-1] if dates else None}
