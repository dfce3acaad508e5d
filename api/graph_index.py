"""The graph ``GET /subgraph`` walks, held in memory, with its JSON pieces serialised once.

Walking the store for a subgraph around a hub (the United Kingdom has thousands of edges) cost
tens of ms of store time and more of API time decoding the edges and their evidence, and
building and validating the models of the answer (docs/PERFORMANCE.md). Everything a subgraph
shows is small next to that: the nodes, edges and evidence of the walkable part of the graph
(entities, claims and the edge types of :data:`SUBGRAPH_EDGE_TYPES`), with the title, date,
outlet and URL of each article and the sentence of each claim. It is loaded once and kept until
the store changes, as the claim index is (api/claim_index.py): every write transaction that
stores articles (in any process) updates the store's digest of stored articles, and each request
first reads that digest (one indexed lookup) and rebuilds the index when it differs; the graph
changes only with stored articles. A subgraph is then a walk over adjacency lists in memory and
the answer is assembled from JSON fragments serialised at load time.

The walk is the one the Cypher version did (``subgraph``): same filters, same ranking, same
evidence. Two ties that version left to the store's edge order are now fixed: the properties of
an edge are those of its evidence with the highest confidence, the latest in evidence order among
equals; and evidence entries with the same date, article and position keep the order of their
ids."""
from __future__ import annotations

import datetime as dt
import heapq
import json
import threading
import weakref
from dataclasses import dataclass
from typing import Any, Iterable

from api.view import format_quantity
from graph.model import CLAIM_KINDS, RELATION_TYPES
from graph.store import GraphStore, run

CLAIM_EDGE_TYPES: tuple[str, ...] = (*CLAIM_KINDS, "ABOUT")
CLAIM_LINK_TYPES: tuple[str, ...] = ("CONFLICTS_WITH", "CORROBORATES", "DENIES")
SUBGRAPH_EDGE_TYPES: tuple[str, ...] = (*RELATION_TYPES, *CLAIM_EDGE_TYPES, *CLAIM_LINK_TYPES)

_EDGE_PROPERTIES_LEFT_OUT = frozenset({"evidence_text", "article_id", "start", "end", "sentence", "id"})
"""Per-evidence properties: shown in the evidence entries, not in the edge's properties."""
_EVIDENCE_PROPERTIES = ("start", "end", "confidence", "extractor", "claim_id", "count", "qualifier", "title", "reason")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def jsonable(value: Any) -> Any:
    """Dates as ISO text, as JSON shows them."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def claim_label(row: dict) -> str:
    """'John Kirby stated: at least 3,000 North Korean soldiers'; a number is shown with what it
    counts ('3 military training sites' is not a troop figure), troop counts first; a negated
    cue is shown as written ('Lloyd Austin did not confirm: ...')."""
    speaker = row.get("speaker") or "unknown speaker"
    quantities = sorted(row.get("quantities") or [], key=lambda q: (not q.get("is_troop_count"), q.get("start") or 0))
    what = ", ".join(format_quantity(q) for q in quantities) or (row.get("content") or "")
    if len(what) > 60:
        what = what[:57] + "..."
    verb = row.get("cue") if row.get("negated") and row.get("cue") else str(row.get("kind") or "").lower()
    return f"{speaker} {verb}: {what}"


@dataclass(slots=True)
class _Node:
    is_claim: bool
    type: str | None
    """'Claim', or the entity's type: what ``node_types`` filters on."""
    json: str
    """The node as the answer shows it (a GraphNode)."""
    article_id: str | None = None
    confidence: float | None = None
    sentence: str | None = None
    """A claim's sentence, shown as the evidence of its edges."""


@dataclass(slots=True)
class _Evidence:
    """One evidence entry of an edge, serialised, with what orders the entries and picks the
    edge's properties."""

    key: str
    order: tuple
    confidence: float
    json: str
    properties: str
    """The edge's properties (without ``evidence_count``) when this entry is the one shown."""


@dataclass(slots=True)
class _HalfEdge:
    """A stored relationship seen from one end."""

    edge: str
    """The answer's edge id: parallel relationships of one type between two nodes are one edge."""
    head: str
    """The edge's JSON up to its properties."""
    type: str
    other_type: str | None
    article_id: str | None
    """Where the evidence comes from (the claim's article for claim edges without their own)."""
    confidence: float | None
    evidence: _Evidence


@dataclass(frozen=True)
class SubgraphQuery:
    """One subgraph request with its references resolved: center entity ids and the filters
    (``rel_types``, ``node_types`` as sets or None for all; ``articles``: ids of the articles
    evidence may come from, or None for any)."""

    center_ids: tuple[str, ...]
    depth: int = 1
    limit: int = 200
    rel_types: frozenset[str] | None = None
    node_types: frozenset[str] | None = None
    min_confidence: float | None = None
    articles: frozenset[str] | None = None

    @property
    def filtered(self) -> bool:
        return any(f is not None for f in (self.rel_types, self.node_types, self.min_confidence, self.articles))


class GraphIndex:
    """The walkable graph as of one digest of the stored articles."""

    def __init__(self, digest: int | None, entities: list[dict], claims: list[dict], relationships: list[dict],
                 articles: list[dict]):
        self.digest = digest
        self.articles = {a["id"]: a for a in articles}
        self.nodes: dict[str, _Node] = {}
        for row in entities:
            props = {k: jsonable(v) for k, v in row.items() if k not in {"id", "name", "type"} and v not in (None, [])}
            node = {"id": row["id"], "label": row.get("name") or row["id"], "type": row.get("type") or "Entity", "properties": props}
            self.nodes[row["id"]] = _Node(is_claim=False, type=row.get("type"), json=_dumps(node))
        for row in claims:
            sentence = row.pop("sentence_text")
            row.pop("sentence")
            props = {k: jsonable(v) for k, v in row.items() if k != "id" and v not in (None, [])}
            node = {"id": row["id"], "label": claim_label(row), "type": "Claim", "properties": props}
            self.nodes[row["id"]] = _Node(is_claim=True, type="Claim", json=_dumps(node), article_id=row.get("article_id"),
                                          confidence=row.get("confidence"), sentence=sentence)
        self.adjacency: dict[str, dict[str, list[_HalfEdge]]] = {}
        for rel in relationships:
            self._add(rel)

    @classmethod
    def load(cls, store: GraphStore, digest: int | None) -> "GraphIndex":
        def read(tx) -> list[list[dict]]:
            return [run(tx, name, **params)[0]["rows"] for name, params in (
                ("api_graph_index_entities", {}),
                ("api_graph_index_claims", {}),
                ("api_graph_index_relationships", {"rel_types": list(SUBGRAPH_EDGE_TYPES)}),
                ("api_graph_index_articles", {}),
            )]

        return cls(digest, *store.read(read))

    def _add(self, rel: dict) -> None:
        source, target = self.nodes.get(rel["source"]), self.nodes.get(rel["target"])
        if source is None or target is None:
            return  # a duplicate claim (never walked) or a node stored after the nodes were read
        edge = f"{rel['type']}:{rel['source']}->{rel['target']}"
        head = (f'{{"id":{_dumps(edge)},"source":{_dumps(rel["source"])},"target":{_dumps(rel["target"])},'
                f'"type":{_dumps(rel["type"])},"properties":{{')
        props = rel["props"] or {}
        evidence = None
        for end, node, other_id, other in ((rel["source"], source, rel["target"], target),
                                          (rel["target"], target, rel["source"], source)):
            if node.is_claim:
                # Seen from a claim, evidence comes from that claim's article and sentence.
                article_id, confidence, claim = node.article_id, None, node
            else:
                claim = other if other.is_claim else None
                article_id = props.get("article_id") if props.get("article_id") is not None else (claim.article_id if claim else None)
                confidence = props.get("confidence") if props.get("confidence") is not None else (claim.confidence if claim else None)
            if evidence is None or (source.is_claim and target.is_claim):
                evidence = self._evidence(rel, article_id or props.get("article_id"), claim)
            half = _HalfEdge(edge=edge, head=head, type=rel["type"], other_type=other.type, article_id=article_id,
                             confidence=confidence, evidence=evidence)
            self.adjacency.setdefault(end, {}).setdefault(other_id, []).append(half)
            if end == other_id:
                break  # a loop is one edge of its node

    def _evidence(self, rel: dict, article_id: str | None, claim: _Node | None) -> _Evidence:
        props = rel["props"] or {}
        entry: dict[str, Any] = {"article_id": article_id,
                                 "sentence": props.get("evidence_text") if props.get("evidence_text") is not None else (claim.sentence if claim else None)}
        for name in _EVIDENCE_PROPERTIES:
            if props.get(name) is not None:
                entry[name] = props[name]
        article = self.articles.get(article_id) or {}
        published = article.get("published")
        entry.update(article_title=article.get("title"), published=published.isoformat() if published else None,
                     outlet=article.get("outlet"), url=article.get("url"))
        entry = {k: v for k, v in entry.items() if v is not None}
        key = props.get("id") or rel["element_id"]
        shown = {k: jsonable(v) for k, v in props.items() if k not in _EDGE_PROPERTIES_LEFT_OUT}
        return _Evidence(key=key, order=(entry.get("published") or "", entry.get("article_id") or "", entry.get("start") or 0, key),
                         confidence=props.get("confidence") or 0, json=_dumps(entry), properties=_dumps(shown)[1:-1])

    # -- the walk ------------------------------------------------------------------------------

    def _passes(self, half: _HalfEdge, query: SubgraphQuery, from_entity: bool) -> bool:
        if query.rel_types is not None and half.type not in query.rel_types:
            return False
        if query.node_types is not None and half.other_type not in query.node_types:
            return False
        if from_entity:
            if query.min_confidence is not None and (half.confidence is None or half.confidence < query.min_confidence):
                return False
            if query.articles is not None and half.article_id not in query.articles:
                return False
        return True

    def _edges_of(self, node: str, query: SubgraphQuery) -> Iterable[tuple[str, list[_HalfEdge]]]:
        """The neighbours of ``node`` with the edges that lead there and pass the filters."""
        neighbours = self.adjacency.get(node, {})
        if not query.filtered:
            return neighbours.items()
        from_entity = not self.nodes[node].is_claim
        kept = ((other, [h for h in halves if self._passes(h, query, from_entity)]) for other, halves in neighbours.items())
        return [(other, halves) for other, halves in kept if halves]

    def walk(self, query: SubgraphQuery) -> tuple[list[str], dict[str, tuple[str, dict[str, _Evidence]]], bool]:
        """Breadth first from the centers, ``depth`` hops (a claim node is a hop), at most
        ``limit`` nodes: each level keeps the new nodes reached from the most nodes of its
        frontier, then by the most edges, then by id; the last round only adds the edges among
        the nodes taken. Returns the node ids in the order taken, the edges (id -> evidence by
        key, first seen first, with the edge's JSON head) and whether nodes were left out."""
        taken: dict[str, None] = dict.fromkeys(c for c in query.center_ids[:query.limit] if c in self.nodes)
        truncated = len(query.center_ids) > query.limit
        edges: dict[str, tuple[str, dict[str, _Evidence]]] = {}

        def add(halves: list[_HalfEdge]) -> None:
            for half in halves:
                entries = edges.setdefault(half.edge, (half.head, {}))[1]
                if half.evidence.key not in entries:
                    entries[half.evidence.key] = half.evidence

        frontier = list(taken)
        for level in range(query.depth + 1):
            if not frontier:
                break
            # Entities first, then claims, each in frontier order: the order the first to reach
            # an edge between two claims gives its evidence.
            ordered = [n for n in frontier if not self.nodes[n].is_claim] + [n for n in frontier if self.nodes[n].is_claim]
            room = query.limit - len(taken)
            if level == query.depth or (room <= 0 and truncated):
                # Only edges among the nodes taken matter now.
                for node in ordered:
                    neighbours = self.adjacency.get(node, {})
                    among = (o for o in taken if o in neighbours) if len(taken) < len(neighbours) else (o for o in neighbours if o in taken)
                    for other in among:
                        halves = neighbours[other]
                        if query.filtered:
                            from_entity = not self.nodes[node].is_claim
                            halves = [h for h in halves if self._passes(h, query, from_entity)]
                        add(halves)
                if level == query.depth:
                    break
                frontier = []
                continue
            reached: dict[str, list] = {}  # node -> [frontier nodes reaching it, edge count, edges]
            for node in ordered:
                for other, halves in self._edges_of(node, query):
                    if other in taken:
                        add(halves)
                        continue
                    seen = reached.get(other)
                    if seen is None:
                        seen = reached[other] = [set(), 0, []]
                    seen[0].add(node)
                    seen[1] += len(halves)
                    seen[2].append(halves)
            if len(reached) > room:
                truncated = True
            ranked = heapq.nsmallest(max(room, 0), reached, key=lambda n: (-len(reached[n][0]), -reached[n][1], n))
            for node in ranked:
                taken[node] = None
                for halves in reached[node][2]:
                    add(halves)
            frontier = ranked
        return list(taken), edges, truncated

    # -- the answer ----------------------------------------------------------------------------

    def subgraph_json(self, query: SubgraphQuery) -> bytes:
        """The subgraph of ``query`` as the JSON of a Subgraph."""
        node_ids, edges, truncated = self.walk(query)
        parts = ['{"nodes":[', ",".join(self.nodes[n].json for n in node_ids), '],"edges":[']
        first = True
        for edge_id in sorted(edges):
            head, by_key = edges[edge_id]
            entries = sorted(by_key.values(), key=lambda e: e.order)
            shown = max(reversed(entries), key=lambda e: e.confidence)
            if not first:
                parts.append(",")
            first = False
            parts += [head, shown.properties, "," if shown.properties else "",
                      f'"evidence_count":{len(entries)}}},"evidence":[', ",".join(e.json for e in entries), "]}"]
        parts.append(f'],"truncated":{"true" if truncated else "false"}}}')
        return "".join(parts).encode()


_indexes: "weakref.WeakKeyDictionary[GraphStore, GraphIndex]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def graph_index(store: GraphStore) -> GraphIndex:
    """The graph index of ``store`` as it is now: the one held, unless the store's digest of
    stored articles changed since it was built (then rebuilt once, while concurrent requests wait
    for it). The digest is read before the graph, so an index is never older than its digest."""
    digest = store.query("api_store_digest")[0]["digest"]
    index = _indexes.get(store)
    if index is not None and index.digest == digest:
        return index
    with _lock:
        index = _indexes.get(store)
        if index is None or index.digest != digest:
            index = _indexes[store] = GraphIndex.load(store, digest)
        return index
