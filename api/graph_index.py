"""The graph ``GET /subgraph`` walks, held in memory, with its JSON pieces serialised once.

Walking the store for a subgraph around a hub (the United Kingdom has thousands of edges) cost
tens of ms of store time and more of API time decoding the edges and their evidence, and
building and validating the models of the answer (docs/PERFORMANCE.md). Everything a subgraph
shows is small next to that: the nodes, edges and evidence of the walkable part of the graph
(entities, claims and the edge types of :data:`SUBGRAPH_EDGE_TYPES`), with the title, date,
outlet and URL of each article and the sentence of each claim. It is loaded once and kept until
the store changes, as the claim index is (api/claim_index.py): every write transaction that
stores articles (in any process) updates the store's digest of stored articles, and each request
first reads that digest (one indexed lookup, in one round trip) and rebuilds the index when it
differs (api/derived.py); the graph changes only with stored articles. A subgraph is then a
walk over adjacency sets in memory, and the answer is joined from the JSON of its nodes and
edges, each made the first time an answer shows it and kept.

Held for the BBC corpus plus the sample corpus (13,000 entities, 15,000 claims, 20,000
relationships): about 100 MB, 120 MB once every node and edge is serialised; a rebuild reads
four queries (3-4 s on the benchmark machine, 1.5 s of it API CPU).

The walk is the one the Cypher version did (``subgraph``): same filters, same ranking, same
evidence. Two ties that version left to the store's edge order are now fixed: the properties of
an edge are those of its evidence with the highest confidence, the latest in evidence order among
equals; and evidence entries with the same date, article and position keep the order of their
ids."""
from __future__ import annotations

import datetime as dt
import heapq
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable

from api.derived import PerDigest
from api.view import format_quantity
from graph.model import CLAIM_KINDS, RELATION_TYPES
from graph.store import GraphStore, run

CLAIM_EDGE_TYPES: tuple[str, ...] = (*CLAIM_KINDS, "ABOUT")
CLAIM_LINK_TYPES: tuple[str, ...] = ("CONFLICTS_WITH", "CORROBORATES", "DENIES")
SUBGRAPH_EDGE_TYPES: tuple[str, ...] = (*RELATION_TYPES, *CLAIM_EDGE_TYPES, *CLAIM_LINK_TYPES)

EDGE_PROPERTIES_LEFT_OUT = frozenset({"evidence_text", "article_id", "start", "end", "sentence", "id"})
"""Per-evidence properties: shown in the evidence entries, not in the edge's properties."""
EVIDENCE_PROPERTIES = ("start", "end", "confidence", "extractor", "claim_id", "count", "qualifier", "title", "reason")


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


class _Node:
    """An entity or claim; its JSON (a GraphNode) is made the first time an answer shows it."""

    __slots__ = ("id", "is_claim", "type", "article_id", "confidence", "sentence", "_row", "_json")

    def __init__(self, row: dict, is_claim: bool, article: dict | None = None):
        self.id: str = row["id"]
        self.is_claim = is_claim
        self.type: str | None = "Claim" if is_claim else row.get("type")
        """What ``node_types`` filters on."""
        self.article_id: str | None = row.get("article_id") if is_claim else None
        self.confidence: float | None = row.get("confidence") if is_claim else None
        self.sentence: str | None = row.pop("sentence_text", None)
        """A claim's sentence, shown as the evidence of its edges."""
        if is_claim:
            quantities = row.pop("quantities")
            row.update(article_title=(article or {}).get("title"), outlet=(article or {}).get("outlet"), quantities=quantities)
        self._row: dict | None = row
        self._json: bytes | None = None

    @property
    def json(self) -> bytes:
        if self._json is None:
            row = self._row or {}
            if self.is_claim:
                props = {k: jsonable(v) for k, v in row.items() if k != "id" and v not in (None, [])}
                node = {"id": self.id, "label": claim_label(row), "type": "Claim", "properties": props}
            else:
                props = {k: jsonable(v) for k, v in row.items() if k not in {"id", "name", "type"} and v not in (None, [])}
                node = {"id": self.id, "label": row.get("name") or self.id, "type": row.get("type") or "Entity", "properties": props}
            self._json = _dumps(node).encode()
            self._row = None
        return self._json


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


class _Edge:
    """One edge of an answer: the stored relationships of one type from one node to another
    (one per article and sentence). Walked from either end, it shows the same evidence, except
    between two claims: there evidence comes from the article of the claim walked from."""

    __slots__ = ("id", "type", "source", "target", "relationships", "by_side", "_json")

    def __init__(self, edge_id: str, edge_type: str, source: _Node, target: _Node):
        self.id, self.type, self.source, self.target = edge_id, edge_type, source, target
        self.relationships: list[dict] = []
        self.by_side = source.is_claim and target.is_claim
        self._json: dict[str, bytes] = {}

    def side(self, walked_from: str) -> str:
        return walked_from if self.by_side else ""

    def json(self, index: "GraphIndex", side: str) -> bytes:
        """The edge with all its evidence, as walked from ``side`` (:meth:`side`)."""
        found = self._json.get(side)
        if found is None:
            entries: dict[str, _Evidence] = {}
            for rel in self.relationships:
                evidence = index.evidence(self, rel, side)
                entries.setdefault(evidence.key, evidence)
            found = self._json[side] = self.render(list(entries.values()))
        return found

    def render(self, entries: list[_Evidence]) -> bytes:
        entries.sort(key=lambda e: e.order)
        shown = max(reversed(entries), key=lambda e: e.confidence)
        return "".join([
            '{"id":', _dumps(self.id), ',"source":', _dumps(self.source.id), ',"target":', _dumps(self.target.id),
            ',"type":', _dumps(self.type), ',"properties":{', shown.properties, "," if shown.properties else "",
            f'"evidence_count":{len(entries)}}},"evidence":[', ",".join(e.json for e in entries), "]}",
        ]).encode()


class _Link:
    """What leads from one node to a neighbour: the edges (either direction) and, per stored
    relationship, what the confidence and article filters look at."""

    __slots__ = ("edges", "relationships")

    def __init__(self):
        self.edges: list[_Edge] = []
        self.relationships: list[tuple[_Edge, dict, str | None, float | None]] = []
        """(edge, relationship, article the evidence comes from, confidence)."""


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
    def per_relationship(self) -> bool:
        """Whether a filter keeps some stored relationships of an edge and not others (then the
        edge's evidence is assembled for the request)."""
        return self.min_confidence is not None or self.articles is not None


class GraphIndex:
    """The walkable graph as of one digest of the stored articles."""

    def __init__(self, digest: int | None, entities: list[dict], claims: list[dict], relationships: list[dict],
                 articles: list[dict]):
        self.digest = digest
        self.articles = {a["id"]: a for a in articles}
        self.nodes: dict[str, _Node] = {row["id"]: _Node(row, False) for row in entities}
        for row in claims:
            self.nodes[row["id"]] = _Node(row, True, self.articles.get(row.get("article_id")))
        self.links: dict[str, dict[str, _Link]] = {}
        edges: dict[str, _Edge] = {}
        for rel in relationships:
            source, target = self.nodes.get(rel["source"]), self.nodes.get(rel["target"])
            if source is None or target is None:
                continue  # a duplicate claim (never walked) or a node stored after the nodes were read
            edge_id = f"{rel['type']}:{source.id}->{target.id}"
            edge = edges.get(edge_id)
            if edge is None:
                edge = edges[edge_id] = _Edge(edge_id, rel["type"], source, target)
            edge.relationships.append(rel)
            props = rel["props"] = rel["props"] or {}
            for node, other in ((source, target), (target, source)):
                link = self.links.setdefault(node.id, {}).get(other.id)
                if link is None:
                    link = self.links[node.id][other.id] = _Link()
                if edge not in link.edges:
                    link.edges.append(edge)
                if node.is_claim:
                    article_id, confidence = node.article_id, None
                else:
                    claim = other if other.is_claim else None
                    article_id = props["article_id"] if props.get("article_id") is not None else (claim.article_id if claim else None)
                    confidence = props["confidence"] if props.get("confidence") is not None else (claim.confidence if claim else None)
                link.relationships.append((edge, rel, article_id, confidence))
                if node is other:
                    break  # a loop is one edge of its node
        self.neighbours = {node: frozenset(links) for node, links in self.links.items()}
        self._sorted_neighbours: dict[str, list[tuple[int, str]]] = {}

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

    def evidence(self, edge: _Edge, rel: dict, side: str) -> _Evidence:
        """The evidence entry of one stored relationship of ``edge`` walked from ``side``:
        its sentence and article, or those of the claim it leads to or from."""
        props = rel["props"]
        walked_from = self.nodes[side] if side else edge.source
        other = edge.target if walked_from is edge.source else edge.source
        claim = walked_from if walked_from.is_claim else (other if other.is_claim else None)
        if walked_from.is_claim:
            article_id = walked_from.article_id or props.get("article_id")
        else:
            article_id = props.get("article_id") if props.get("article_id") is not None else (claim.article_id if claim else None)
        sentence = props.get("evidence_text")
        entry: dict[str, Any] = {"article_id": article_id,
                                 "sentence": sentence if sentence is not None else (claim.sentence if claim and article_id else None)}
        for name in EVIDENCE_PROPERTIES:
            if props.get(name) is not None:
                entry[name] = props[name]
        article = self.articles.get(article_id) or {}
        published = article.get("published")
        entry.update(article_title=article.get("title"), published=published.isoformat() if published else None,
                     outlet=article.get("outlet"), url=article.get("url"))
        entry = {k: v for k, v in entry.items() if v is not None}
        key = props.get("id") or rel["element_id"]
        shown = {k: jsonable(v) for k, v in props.items() if k not in EDGE_PROPERTIES_LEFT_OUT}
        return _Evidence(key=key, order=(entry.get("published") or "", entry.get("article_id") or "", entry.get("start") or 0, key),
                         confidence=props.get("confidence") or 0, json=_dumps(entry), properties=_dumps(shown)[1:-1])

    # -- the walk ------------------------------------------------------------------------------

    def _kept(self, node: _Node, link: _Link, other: _Node, query: SubgraphQuery) -> list:
        """What of ``link`` (from ``node`` to ``other``) passes the filters: its edges, or with
        a per-relationship filter, (edge, relationship) pairs."""
        if query.node_types is not None and other.type not in query.node_types:
            return []
        if not query.per_relationship:
            if query.rel_types is None:
                return link.edges
            return [e for e in link.edges if e.type in query.rel_types]
        from_entity = not node.is_claim
        low, articles, types = query.min_confidence, query.articles, query.rel_types
        return [(edge, rel) for edge, rel, article_id, confidence in link.relationships
                if (types is None or edge.type in types)
                and not (from_entity and low is not None and (confidence is None or confidence < low))
                and not (from_entity and articles is not None and article_id not in articles)]

    def walk(self, query: SubgraphQuery) -> tuple[list[str], dict[str, tuple[_Edge, str, dict]], bool]:
        """Breadth first from the centers, ``depth`` hops (a claim node is a hop), at most
        ``limit`` nodes: each level keeps the new nodes reached from the most nodes of its
        frontier, then by the most edges, then by id; the last round only adds the edges among
        the nodes taken. Returns the node ids in the order taken; the edges by id, each with the
        node first walked from and (with a per-relationship filter) the relationships kept; and
        whether nodes were left out."""
        nodes = self.nodes
        taken: dict[str, None] = dict.fromkeys(c for c in query.center_ids[:query.limit] if c in nodes)
        truncated = len(query.center_ids) > query.limit
        edges: dict[str, tuple[_Edge, str, dict]] = {}
        per_relationship = query.per_relationship
        unfiltered = query.rel_types is None and query.node_types is None and not per_relationship

        def add(walked_from: str, kept: list) -> None:
            if per_relationship:
                for edge, rel in kept:
                    found = edges.get(edge.id)
                    if found is None:
                        found = edges[edge.id] = (edge, edge.side(walked_from), {})
                    found[2][id(rel)] = rel
            else:
                for edge in kept:
                    if edge.id not in edges:
                        edges[edge.id] = (edge, edge.side(walked_from), {})

        frontier = list(taken)
        for level in range(query.depth + 1):
            if not frontier:
                break
            # Entities first, then claims, each in frontier order: the first to reach an edge
            # between two claims gives its evidence.
            ordered = [nodes[n] for n in frontier if not nodes[n].is_claim] + [nodes[n] for n in frontier if nodes[n].is_claim]
            room = query.limit - len(taken)
            taken_set = set(taken)
            if level == query.depth or (room <= 0 and truncated):
                # Only edges among the nodes taken matter now.
                for node in ordered:
                    links = self.links.get(node.id)
                    if links is None:
                        continue
                    if not unfiltered:
                        for other in self.neighbours[node.id] & taken_set:
                            add(node.id, self._kept(node, links[other], nodes[other], query))
                        continue
                    for other in self.neighbours[node.id] & taken_set:  # add(), inlined: the hot loop of hubs
                        for edge in links[other].edges:
                            if edge.id not in edges:
                                edges[edge.id] = (edge, node.id if edge.by_side else "", {})
                if level == query.depth:
                    break
                frontier = []
                continue
            if unfiltered:
                ranked, more = self._rank_unfiltered(ordered, taken_set, room, add)
                truncated = truncated or more
                taken.update(dict.fromkeys(ranked))
                frontier = ranked
                continue
            reached: dict[str, list] = {}  # node -> [frontier nodes reaching it, relationships, what leads there]
            for node in ordered:
                for other, link in (self.links.get(node.id) or {}).items():
                    kept = self._kept(node, link, nodes[other], query)
                    if not kept:
                        continue
                    if other in taken:
                        add(node.id, kept)
                        continue
                    seen = reached.get(other)
                    if seen is None:
                        seen = reached[other] = [0, 0, []]
                    seen[0] += 1
                    seen[1] += len(kept) if per_relationship else (
                        len(link.relationships) if query.rel_types is None else sum(len(e.relationships) for e in kept))
                    seen[2].append((node.id, kept))
            if len(reached) > room:
                truncated = True
            ranked = heapq.nsmallest(max(room, 0), reached, key=lambda n: (-reached[n][0], -reached[n][1], n))
            for other in ranked:
                taken[other] = None
                for walked_from, kept in reached[other][2]:
                    add(walked_from, kept)
            frontier = ranked
        return list(taken), edges, truncated

    def _rank_unfiltered(self, ordered: list[_Node], taken: set[str], room: int, add) -> tuple[list[str], bool]:
        """One level of :meth:`walk` without filters, mostly in set operations: adds the edges
        from the frontier ``ordered`` to the nodes ``taken``, ranks the new nodes it reaches and
        adds the edges to the ``room`` best. Returns those and whether others were left out.
        Relationships are counted only for the nodes that can make the cut (reached from as
        many frontier nodes as the last one kept, or more); among nodes reached from one
        frontier node each, the best come from each node's neighbours in order of weight."""
        reach: Counter[str] = Counter()
        for node in ordered:
            neighbours = self.neighbours.get(node.id)
            if neighbours is None:
                continue
            links = self.links[node.id]
            for other in neighbours & taken:
                add(node.id, links[other].edges)
            reach.update(neighbours - taken)
        if not reach or room <= 0:
            return [], bool(reach)
        if len(reach) <= room:
            ranked = self._by_weight(ordered, list(reach), reach)
        else:
            kept, cut = 0, 0
            for count, nodes in sorted(Counter(reach.values()).items(), reverse=True):
                kept, cut = kept + nodes, count
                if kept >= room:
                    break
            ranked = self._by_weight(ordered, [n for n, count in reach.items() if count > cut], reach)
            need = room - len(ranked)
            if cut == 1:
                ranked += self._heaviest_single(ordered, reach, need)
            else:
                ranked += self._by_weight(ordered, [n for n, count in reach.items() if count == cut], reach)[:need]
        frontier = {node.id for node in ordered}
        for other in ranked:
            for node in self.neighbours[other] & frontier:
                add(node, self.links[node][other].edges)
        return ranked, len(reach) > room

    def _by_weight(self, ordered: list[_Node], nodes: list[str], reach: Counter) -> list[str]:
        """``nodes`` in rank order: reached from the most nodes of ``ordered``, then by the most
        relationships from them, then by id."""
        weights = dict.fromkeys(nodes, 0)
        wanted = set(nodes)
        for node in ordered:
            neighbours = self.neighbours.get(node.id)
            if neighbours is not None:
                links = self.links[node.id]
                for other in neighbours & wanted:
                    weights[other] += len(links[other].relationships)
        return sorted(nodes, key=lambda n: (-reach[n], -weights[n], n))

    def _heaviest_single(self, ordered: list[_Node], reach: Counter, need: int) -> list[str]:
        """The ``need`` best of the nodes reached from one node of ``ordered`` only (by
        relationships, then id): merged from each frontier node's neighbours in weight order."""
        lists = [self._neighbours_by_weight(node.id) for node in ordered if node.id in self.neighbours]
        best: list[str] = []
        for _, other in (lists[0] if len(lists) == 1 else heapq.merge(*lists)):
            if reach.get(other) == 1:
                best.append(other)
                if len(best) == need:
                    break
        return best

    def _neighbours_by_weight(self, node: str) -> list[tuple[int, str]]:
        """(-relationships, id) of every neighbour of ``node``, in order; made on first use."""
        found = self._sorted_neighbours.get(node)
        if found is None:
            found = self._sorted_neighbours[node] = sorted((-len(link.relationships), other) for other, link in self.links[node].items())
        return found

    # -- the answer ----------------------------------------------------------------------------

    def subgraph_json(self, query: SubgraphQuery) -> bytes:
        """The subgraph of ``query`` as the JSON of a Subgraph."""
        node_ids, edges, truncated = self.walk(query)
        nodes = self.nodes
        parts = []
        for edge_id in sorted(edges):
            edge, side, kept = edges[edge_id]
            if not kept:
                parts.append(edge.json(self, side))
            else:
                entries: dict[str, _Evidence] = {}
                for rel in kept.values():
                    evidence = self.evidence(edge, rel, side)
                    entries.setdefault(evidence.key, evidence)
                parts.append(edge.render(list(entries.values())))
        return b"".join([b'{"nodes":[', b",".join([nodes[n].json for n in node_ids]), b'],"edges":[', b",".join(parts),
                         b'],"truncated":true}' if truncated else b'],"truncated":false}'])


_indexes: PerDigest[GraphIndex] = PerDigest(GraphIndex.load)


def current_index(store: GraphStore) -> tuple[GraphIndex | None, int | None]:
    """The graph index held for ``store`` if it is current (else None), and the store's digest
    of stored articles now: one small query."""
    return _indexes.held(store)


def graph_index(store: GraphStore, digest: int | None = None) -> GraphIndex:
    """The graph index of ``store`` as it is now (``digest``: as just read by
    :func:`current_index`), rebuilt if the store changed."""
    return _indexes.get(store, digest)
