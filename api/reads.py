"""The reads behind the REST API and its CLI mirrors: functions taking a GraphStore and returning
models, so that ``GET /claims`` and ``newsgraph who-said`` are one piece of code.

Entity references given by users ("about", "speaker", "center", "from"...) are an entity id or a
name: an id is looked up as is, a name is folded (lower case, accents removed) and matched
against stored names and aliases."""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable

from pydantic import TypeAdapter

from api.claim_index import ClaimIndex, ClaimQuery
from api.derived import PerDigest
from api.graph_index import (
    EDGE_PROPERTIES_LEFT_OUT,
    EVIDENCE_PROPERTIES,
    GraphIndex,
    SubgraphQuery,
    claim_label,
    graph_index,
    jsonable,
)
from api.schemas import (
    ArticleDetail,
    ArticleRef,
    ArticleSummary,
    ClaimRow,
    ConflictGroup,
    EntityHit,
    EntityProfile,
    EntityRef,
    ExtractedRelation,
    NeighbourOut,
    Page,
    PathOut,
    PathsOut,
    PathStep,
    RoleOut,
    SentenceOut,
    SpeakerOut,
    TimelineItem,
)
from graph.errors import NotFound, StoreError
from graph.model import GraphEdge, GraphNode, Quantity, Subgraph, TimeExpression
from graph.store import GraphStore
from graph.writer import fold

TROOPS = "troops"
"""``about=troops`` selects claims that give a troop number."""
SEARCH_CANDIDATES = 500
"""Entity search ranks at most this many candidates; ``total`` counts them."""
PATH_SEARCH_BOUND = 6
"""The hop bound written in ``api_shortest_paths``."""


# --- entities -------------------------------------------------------------------------------------


def resolve_entities(store: GraphStore, ref: str) -> list[dict]:
    """Stored entities a user reference means: the entity with that id, else those whose name or
    alias folds to the same key (most mentioned first)."""
    ref = ref.strip()
    if not ref:
        return []
    by_id = store.query("api_entities_by_ids", ids=[ref])
    if by_id:
        return by_id
    return store.query("api_entities_by_key", key=fold(ref))


def entity_or_404(store: GraphStore, ref: str, what: str = "entity") -> dict:
    found = resolve_entities(store, ref)
    if not found:
        raise NotFound(f"no entity with id or name {ref!r} ({what})", {"entity": ref})
    return found[0]


def _entity_ref(row: dict | None) -> EntityRef | None:
    if not row or not row.get("id"):
        return None
    return EntityRef(id=row["id"], name=row.get("name") or row["id"], type=row.get("type") or "Entity")


def search_entities(store: GraphStore, q: str, *, type: str | None = None, limit: int = 50, offset: int = 0) -> Page[EntityHit]:
    """Entities by name or alias, best first: exact name or alias, then names starting with the
    text, then names with a word starting with it, then other full-text hits; ties by score and
    mentions. Accent- and case-insensitive; the last word may be partly typed."""
    key = fold(q)
    candidates: dict[str, dict] = {}
    scores: dict[str, float] = {}
    if key:
        try:
            hits = store.fulltext("entity_search", q, limit=SEARCH_CANDIDATES)
        except StoreError:
            hits = []  # a server without the full-text index: the scan below still finds names
        scores = {hit["id"]: float(hit.get("score") or 0.0) for hit in hits}
        if scores:
            for row in store.query("api_entities_by_ids", ids=list(scores)):
                candidates[row["id"]] = row
        for row in store.query("api_entities_by_key", key=key):
            candidates.setdefault(row["id"], row)
        if not scores:
            for row in store.query("api_entities_scan", key=key, word=" " + key, type=type, limit=SEARCH_CANDIDATES):
                candidates.setdefault(row["id"], row)

    def match_of(row: dict) -> str:
        keys = row.get("alias_keys") or [row.get("name_key") or fold(row.get("name") or "")]
        if key in keys:
            return "exact"
        if any(k.startswith(key) for k in keys):
            return "prefix"
        if any((" " + key) in (" " + k) for k in keys):
            return "word"
        if any(key in k for k in keys):
            return "contains"
        return "fulltext"

    order = {"exact": 0, "prefix": 1, "word": 2, "contains": 3, "fulltext": 4}
    ranked = []
    for row in candidates.values():
        if type is not None and row.get("type") != type:
            continue
        match = match_of(row)
        score = scores.get(row["id"], 0.0) + (4 - order[match])
        ranked.append((order[match], -score, -(row.get("mention_count") or 0), row["id"], match, score, row))
    ranked.sort(key=lambda item: item[:4])
    items = [
        EntityHit(
            id=row["id"], name=row.get("name") or row["id"], type=row.get("type") or "Entity",
            aliases=row.get("aliases") or [], mention_count=row.get("mention_count"),
            score=round(score, 4), match=match,
        )
        for *_, match, score, row in ranked[offset:offset + limit]
    ]
    return _page(EntityHit, items, len(ranked), limit, offset)


def entity_profile(store: GraphStore, ref: str, *, neighbours: int = 10) -> EntityProfile:
    entity = entity_or_404(store, ref)
    rows = store.query("api_entity_profile", id=entity["id"])
    if not rows:
        raise NotFound(f"no entity with id {entity['id']!r}", {"entity": entity["id"]})
    row = rows[0]
    props = row["entity"]
    merged: dict[str, dict] = {}
    for found in [*store.query("api_entity_neighbours", id=props["id"], limit=neighbours),
                  *store.query("api_entity_claim_neighbours", id=props["id"], limit=neighbours)]:
        slot = merged.setdefault(found["id"], {**found, "relations": 0, "types": []})
        slot["relations"] += found["relations"]
        slot["types"] = sorted({*slot["types"], *found["types"]})
    top = sorted(merged.values(), key=lambda n: (-n["relations"], n["id"]))[:neighbours]
    aliases = props.get("aliases") or []
    return EntityProfile(
        id=props["id"], name=props.get("name") or props["id"], type=props.get("type") or "Entity",
        aliases=aliases, names=[props.get("name") or props["id"], *aliases],
        roles=[
            RoleOut(title=r.get("title"), organization=_entity_ref(r), article_id=r.get("article_id"))
            for r in sorted(row.get("roles") or [], key=lambda r: (r.get("title") or "", r.get("id") or ""))
        ],
        affiliation=_entity_ref(row.get("affiliation")),
        latitude=props.get("latitude"), longitude=props.get("longitude"), country=props.get("country"),
        geonames_id=props.get("geonames_id"), event_kind=props.get("event_kind"),
        time_text=props.get("time_text"), time_start=props.get("time_start"), time_end=props.get("time_end"),
        mentions=row.get("mentions") or 0, articles=row.get("articles") or 0,
        claims_made=row.get("claims_made") or 0, claims_about=row.get("claims_about") or 0,
        first_seen=props.get("first_seen"), last_seen=props.get("last_seen"),
        top_neighbours=[
            NeighbourOut(entity=_entity_ref(n), relations=n["relations"], types=n["types"]) for n in top
        ],
    )


# --- claims ---------------------------------------------------------------------------------------


@dataclass
class ClaimFilters:
    about: str | None = None
    speaker: str | None = None
    kind: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    article: str | None = None
    include_duplicates: bool = False
    descending: bool = False


def _about_ids(store: GraphStore, about: str) -> list[str]:
    ids = [row["id"] for row in resolve_entities(store, about)]
    if ids:
        ids += [row["id"] for row in store.query("api_affiliated_ids", ids=ids)]
    return sorted(set(ids))


def list_claims(store: GraphStore, filters: ClaimFilters, *, limit: int = 50, offset: int = 0) -> Page[ClaimRow]:
    """The who-said-what table: claims matching the filters in time order (publication date,
    then position in the article)."""
    return Page[ClaimRow].model_validate_json(list_claims_json(store, filters, limit=limit, offset=offset))


def list_claims_json(store: GraphStore, filters: ClaimFilters, *, limit: int = 50, offset: int = 0,
                     digest: int | None = None) -> bytes:
    """:func:`list_claims` as the JSON ``GET /claims`` sends: the page cut from the claim index
    and its rows as the index holds them (api/claim_index.py). ``digest``: the store's digest if
    just read (:func:`held_claims_json`), so that it is not read again."""
    return _claims_page(store, _claim_indexes.get(store, digest), filters, limit, offset)


def held_claims_json(store: GraphStore, filters: ClaimFilters, *, limit: int = 50,
                     offset: int = 0) -> tuple[bytes | None, int | None]:
    """:func:`list_claims_json` when it takes no query but the digest read (the claim index is
    current, all its rows are rendered and the filter's entity references were resolved
    before), else None; and the store's digest."""
    index, digest = _claim_indexes.held(store)
    if index is None or not index.warm:
        return None, digest
    about = filters.about is not None and not _is_troops(filters.about)
    if (about and not index.has_reference("about", filters.about)
            or filters.speaker is not None and not index.has_reference("speaker", filters.speaker)):
        return None, digest
    return _claims_page(store, index, filters, limit, offset), digest


def _is_troops(about: str) -> bool:
    return about.strip().lower() == TROOPS


def _claims_page(store: GraphStore, index: ClaimIndex, filters: ClaimFilters, limit: int, offset: int) -> bytes:
    troops = filters.about is not None and _is_troops(filters.about)
    about_ids = None
    if filters.about is not None and not troops:
        about_ids = index.reference("about", filters.about, lambda ref: _about_ids(store, ref))
    speaker_ids = speaker_text = None
    if filters.speaker is not None:
        speaker_ids = index.reference("speaker", filters.speaker, lambda ref: [row["id"] for row in resolve_entities(store, ref)])
        speaker_text = filters.speaker.strip().lower() or None
    query = ClaimQuery(
        include_duplicates=filters.include_duplicates, kind=filters.kind, article=filters.article,
        troops=troops, speaker_ids=speaker_ids, speaker_text=speaker_text, about_ids=about_ids,
        min_value=filters.min_value, max_value=filters.max_value, since=filters.since, until=filters.until,
        descending=filters.descending,
    )
    ids, total = index.page(query, offset=offset, limit=limit)
    rows = index.rows(store, ids)
    return _page_json(rows, total, limit, offset)


_CLAIM_ROW = TypeAdapter(ClaimRow)


def claim_rows_json(store: GraphStore, ids: list[str]) -> dict[str, bytes]:
    """The rows of these claims as JSON, by claim id."""
    return {row.id: _CLAIM_ROW.dump_json(row) for row in claim_rows(store, ids)}


_claim_indexes: PerDigest[ClaimIndex] = PerDigest(
    lambda store, digest: ClaimIndex.load(store, digest, render=claim_rows_json))


def claim_rows(store: GraphStore, ids: list[str]) -> list[ClaimRow]:
    """Rows of the who-said-what table for these claims, in the order given."""
    if not ids:
        return []
    rows = {row["claim"]["id"]: row for row in store.query("api_claim_rows", ids=ids)[0]["rows"]}
    later_articles = sorted({a for row in rows.values() for a in row.get("later_same_story") or []})
    copies: dict[str, set[str]] = defaultdict(set)
    if later_articles:
        for copy in store.query("api_claim_copies", article_ids=later_articles, ids=list(rows)):
            copies[copy["id"]].add(copy["article_id"])
    return [_claim_row(rows[i], sorted(copies.get(i, ()))) for i in ids if i in rows]


def _span(props: dict, prefix: str) -> dict[str, Any]:
    return {"text": props.get(f"{prefix}_text") or "", "start": props.get(f"{prefix}_start") or 0,
            "end": props.get(f"{prefix}_end") or 0}


def _quantity(props: dict) -> Quantity:
    fields = {k: props[k] for k in Quantity.model_fields if k != "target_time" and props.get(k) is not None}
    if props.get("target_time_text"):
        fields["target_time"] = TimeExpression(
            text=props["target_time_text"], start=props.get("target_time_start"), end=props.get("target_time_end")
        )
    fields.setdefault("text", "")
    fields.setdefault("start", 0)
    fields.setdefault("end", 0)
    return Quantity(**fields)


def _role(roles: list[dict] | None) -> str | None:
    if not roles:
        return None
    best = max(roles, key=lambda r: (r.get("confidence") or 0, r.get("title") or ""))
    parts = [p for p in (best.get("title"), best.get("organization")) if p]
    return ", ".join(parts) or None


def _claim_row(row: dict, also_reported_in: list[str]) -> ClaimRow:
    claim = row["claim"]
    speaker = row.get("speaker") or {}
    sentence = row.get("sentence") or {}
    article = row.get("article") or {"id": claim.get("article_id")}
    quantities = sorted(row.get("quantities") or [], key=lambda q: (q.get("start") or 0, q.get("id") or ""))
    return ClaimRow(
        id=claim["id"],
        kind=claim.get("kind") or "STATED",
        speaker=SpeakerOut(
            id=speaker.get("id"), name=speaker.get("name") or claim.get("speaker_name") or claim.get("speaker_text") or "",
            type=speaker.get("type"), role=_role(row.get("roles")), **_span(claim, "speaker"),
        ),
        cue={**_span(claim, "cue"), "lemma": claim.get("cue_lemma") or "", "negated": bool(claim.get("cue_negated"))},
        content=_span(claim, "content"),
        direct=bool(claim.get("direct")),
        quantities=[_quantity(q) for q in quantities],
        about=sorted((_entity_ref(e) for e in row.get("about") or [] if e), key=lambda e: e.id),
        article=ArticleRef(**article),
        sentence=SentenceOut(
            index=sentence.get("index", claim.get("sentence")), start=sentence.get("start"), end=sentence.get("end"),
            text=sentence.get("text") or "",
        ),
        confidence=claim.get("confidence") or 0.0,
        extractor=claim.get("extractor"),
        extractor_version=claim.get("extractor_version"),
        conflicts_with=sorted(set(row.get("conflicts_with") or []) - {claim["id"]}),
        corroborated_by=sorted(set(row.get("corroborated_by") or []) - {claim["id"]}),
        denies=sorted(set(row.get("denies") or []) - {claim["id"]}),
        denied_by=sorted(set(row.get("denied_by") or []) - {claim["id"]}),
        also_reported_in=also_reported_in,
    )


def claim_conflicts(store: GraphStore, *, about: str | None = None, limit: int = 20, offset: int = 0) -> Page[ConflictGroup]:
    """Groups of claims that disagree: claims joined by CONFLICTS_WITH or DENIES links (directly or
    through each other), largest groups first."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    reasons: dict[str, set[str]] = defaultdict(set)
    links = store.query("api_claim_links")
    for link in links:
        if link["source"] == link["target"]:
            continue
        a, b = root(link["source"]), root(link["target"])
        if a != b:
            parent[max(a, b)] = min(a, b)
    for link in links:
        if link["source"] != link["target"]:
            reasons[root(link["source"])].add(link["reason"] or link["type"])
    groups: dict[str, list[str]] = defaultdict(list)
    for claim_id in parent:
        groups[root(claim_id)].append(claim_id)
    rows = {row.id: row for row in claim_rows(store, sorted(parent))}
    wanted = set(_about_ids(store, about)) if about and about.strip().lower() != TROOPS else None
    result = []
    for group_root, members in groups.items():
        claims = sorted((rows[m] for m in members if m in rows), key=lambda r: (r.article.published or dt.date.max, r.id))
        if len(claims) < 2:
            continue
        subject_ids = {e.id: e for c in claims for e in c.about}
        if about and about.strip().lower() == TROOPS and not any(q.is_troop_count for c in claims for q in c.quantities):
            continue
        if wanted is not None and not (wanted & set(subject_ids)):
            continue
        result.append(ConflictGroup(
            subject=sorted(subject_ids.values(), key=lambda e: e.id),
            reasons=sorted(reasons[group_root]),
            claims=claims,
        ))
    result.sort(key=lambda g: (-len(g.claims), g.claims[0].id))
    return _page(ConflictGroup, result[offset:offset + limit], len(result), limit, offset)


# --- subgraph -------------------------------------------------------------------------------------


@dataclass
class SubgraphFilters:
    rel_types: list[str] | None = None
    node_types: list[str] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    source: str | None = None
    min_confidence: float | None = None


def subgraph(store: GraphStore, centers: Iterable[str], *, depth: int = 1, limit: int = 200,
             filters: SubgraphFilters | None = None) -> Subgraph:
    """The neighbourhood of one or more entities: breadth first, ``depth`` hops (a claim node is a
    hop: speaker -> claim -> subject is two), at most ``limit`` nodes (nearest first, then the most
    connected), every edge with its evidence (api/graph_index.py)."""
    return Subgraph.model_validate_json(subgraph_json(store, centers, depth=depth, limit=limit, filters=filters))


def subgraph_json(store: GraphStore, centers: Iterable[str], *, depth: int = 1, limit: int = 200,
                  filters: SubgraphFilters | None = None, index: GraphIndex | None = None) -> bytes:
    """:func:`subgraph` as the JSON of a Subgraph, from ``index`` (the store's current graph
    index, looked up when not given)."""
    filters = filters or SubgraphFilters()
    index = index or graph_index(store)
    center_ids: list[str] = []
    for ref in centers:
        entity_id = ref.strip()
        node = index.nodes.get(entity_id)
        if node is None or node.is_claim:
            entity_id = entity_or_404(store, ref, "center")["id"]
        if entity_id not in center_ids:
            center_ids.append(entity_id)
    articles = None
    if filters.source is not None or filters.since is not None or filters.until is not None:
        articles = frozenset(
            a["id"] for a in index.articles.values()
            if (filters.source is None or a["outlet"] == filters.source)
            and (filters.since is None or (a["published"] is not None and a["published"] >= filters.since))
            and (filters.until is None or (a["published"] is not None and a["published"] <= filters.until))
        )
    query = SubgraphQuery(
        center_ids=tuple(center_ids), depth=depth, limit=limit,
        rel_types=frozenset(filters.rel_types) if filters.rel_types else None,
        node_types=frozenset(filters.node_types) if filters.node_types is not None else None,
        min_confidence=filters.min_confidence, articles=articles,
    )
    return index.subgraph_json(query)


def _add_edge(edges: dict[str, dict], row: dict) -> None:
    """Parallel edges of one type between the same two nodes (one per article and sentence) are
    one edge of the result with a list of evidence (article and sentence filled in by
    :func:`_graph_edges`)."""
    source, target = (row["node"], row["other"]) if row["outgoing"] else (row["other"], row["node"])
    key = f"{row['type']}:{source}->{target}"
    edge = edges.setdefault(key, {"id": key, "source": source, "target": target, "type": row["type"],
                                  "props": {}, "evidence": {}})
    props = row.get("props") or {}
    evidence_key = props.get("id") or row.get("element_id")
    if evidence_key in edge["evidence"]:
        return
    article_id = row.get("article_id") or props.get("article_id")
    entry: dict[str, Any] = {"article_id": article_id, "sentence": props.get("evidence_text")}
    if entry["sentence"] is None and article_id and row.get("sentence_index") is not None:
        entry["sentence_id"] = f"{article_id}:{row['sentence_index']}"
    for key_name in EVIDENCE_PROPERTIES:
        if props.get(key_name) is not None:
            entry[key_name] = props[key_name]
    edge["evidence"][evidence_key] = entry
    if (props.get("confidence") or 0) >= (edge["props"].get("confidence") or 0):
        edge["props"] = {k: jsonable(v) for k, v in props.items() if k not in EDGE_PROPERTIES_LEFT_OUT}


def _fill_evidence(store: GraphStore, edges: dict[str, dict]) -> None:
    """Article title, date, outlet and URL, and the sentence of claim edges, for every evidence entry."""
    entries = [entry for edge in edges.values() for entry in edge["evidence"].values()]
    article_ids = sorted({e["article_id"] for e in entries if e.get("article_id")})
    sentence_ids = sorted({e["sentence_id"] for e in entries if e.get("sentence_id")})
    articles = {a["id"]: a for a in store.query("api_articles_by_ids", ids=article_ids)[0]["rows"]} if article_ids else {}
    sentences = {x["id"]: x["text"] for x in store.query("api_sentences_by_ids", ids=sentence_ids)[0]["rows"]} if sentence_ids else {}
    for entry in entries:
        article = articles.get(entry.get("article_id"), {})
        published = article.get("published")
        entry.update(article_title=article.get("title"), published=published.isoformat() if published else None,
                     outlet=article.get("outlet"), url=article.get("url"))
        sentence_id = entry.pop("sentence_id", None)
        if entry.get("sentence") is None and sentence_id:
            entry["sentence"] = sentences.get(sentence_id)


def _graph_edges(store: GraphStore, edges: dict[str, dict]) -> list[GraphEdge]:
    _fill_evidence(store, edges)
    out = []
    for edge in sorted(edges.values(), key=lambda e: e["id"]):
        evidence = [{k: v for k, v in e.items() if v is not None} for e in edge["evidence"].values()]
        evidence.sort(key=lambda e: (e.get("published") or "", e.get("article_id") or "", e.get("start") or 0))
        props = {**edge["props"], "evidence_count": len(evidence)}
        out.append(GraphEdge(id=edge["id"], source=edge["source"], target=edge["target"], type=edge["type"],
                             properties=props, evidence=evidence))
    return out


def _nodes(store: GraphStore, kinds: dict[str, str]) -> list[GraphNode]:
    entity_ids = [n for n, k in kinds.items() if k == "entity"]
    claim_ids = [n for n, k in kinds.items() if k == "claim"]
    nodes: dict[str, GraphNode] = {}
    if entity_ids:
        for row in store.query("api_entity_nodes", ids=entity_ids)[0]["rows"]:
            props = {k: jsonable(v) for k, v in row.items() if k not in {"id", "name", "type"} and v not in (None, [])}
            nodes[row["id"]] = GraphNode(id=row["id"], label=row.get("name") or row["id"], type=row.get("type") or "Entity", properties=props)
    if claim_ids:
        for row in store.query("api_claim_nodes", ids=claim_ids)[0]["rows"]:
            props = {k: jsonable(v) for k, v in row.items() if k != "id" and v not in (None, [])}
            nodes[row["id"]] = GraphNode(id=row["id"], label=claim_label(row), type="Claim", properties=props)
    return [nodes[n] for n in kinds if n in nodes]


# --- paths ------------------------------------------------------------------------------------------


def shortest_paths(store: GraphStore, source: str, target: str, *, max_hops: int = 4, limit: int = 10) -> PathsOut:
    """Shortest paths between two entities over typed relations and claims, with evidence."""
    a = entity_or_404(store, source, "from")
    b = entity_or_404(store, target, "to")
    rows = [] if a["id"] == b["id"] else store.query("api_shortest_paths", source=a["id"], target=b["id"], limit=limit)
    rows = [r for r in rows if len(r["rels"]) <= max_hops]
    edges: dict[str, dict] = {}
    kinds: dict[str, str] = {}
    for row in rows:
        claims = {n["id"]: n for n in row["nodes"] if n.get("kind")}
        for node in row["nodes"]:
            kinds[node["id"]] = "claim" if node.get("kind") else "entity"
        for rel in row["rels"]:
            props = rel.get("props") or {}
            claim = claims.get(rel["source"]) or claims.get(rel["target"]) or {}
            _add_edge(edges, {
                "node": rel["source"], "other": rel["target"], "outgoing": True, "type": rel["type"], "props": props,
                "element_id": f"{rel['type']}:{rel['source']}->{rel['target']}:{props.get('id', '')}",
                "article_id": props.get("article_id") or claim.get("article_id"), "sentence_index": claim.get("sentence"),
            })
    graph_edges = {edge.id: edge for edge in _graph_edges(store, edges)}
    paths = [
        PathOut(
            length=len(row["rels"]),
            nodes=[{k: jsonable(v) for k, v in n.items() if v is not None} for n in row["nodes"]],
            edges=[
                PathStep(source=rel["source"], target=rel["target"], type=rel["type"],
                         evidence=graph_edges[f"{rel['type']}:{rel['source']}->{rel['target']}"].evidence)
                for rel in row["rels"]
            ],
        )
        for row in rows
    ]
    paths.sort(key=lambda p: (p.length, [n.get("id") for n in p.nodes]))
    return PathsOut(
        source=_entity_ref(a), target=_entity_ref(b), max_hops=max_hops, paths=paths,
        subgraph=Subgraph(nodes=_nodes(store, kinds), edges=list(graph_edges.values())),
    )


# --- timeline ---------------------------------------------------------------------------------------


def timeline(store: GraphStore, ref: str, *, since: dt.date | None = None, until: dt.date | None = None,
             limit: int = 50, offset: int = 0) -> Page[TimelineItem]:
    """Dated claims, relations and events involving an entity, oldest first. The date is the time
    the text gives (an event's time, a relation's time expression, a claim's target time) when it
    gives one, else the article's publication date."""
    entity = entity_or_404(store, ref)
    items: list[TimelineItem] = []
    claim_ids = [row["id"] for row in store.query("api_timeline_claims", id=entity["id"])]
    for claim in claim_rows(store, claim_ids):
        items.append(TimelineItem(
            date=claim.article.published, kind="claim", type=claim.kind,
            summary=f"{claim.speaker.name} {claim.cue.text}: {claim.content.text}".strip(),
            sentence=claim.sentence.text, article=claim.article, claim_id=claim.id,
            related=[e for e in ([_entity_ref({"id": claim.speaker.id, "name": claim.speaker.name, "type": claim.speaker.type})] + claim.about) if e and e.id != entity["id"]],
        ))
    for row in store.query("api_timeline_relations", id=entity["id"]):
        props, other = row.get("props") or {}, row.get("other") or {}
        start = end = text = None
        for key, value in sorted(props.items()):
            if key.endswith("_start") and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                start, end, text = value, props.get(key[:-6] + "_end"), props.get(key[:-6] + "_text")
                break
        if start is None and other.get("time_start"):
            start, end, text = other.get("time_start"), other.get("time_end"), other.get("time_text")
        article = row.get("article") or {"id": props.get("article_id") or ""}
        subject, obj = (entity["name"], other.get("name")) if row["outgoing"] else (other.get("name"), entity["name"])
        items.append(TimelineItem(
            date=start or article.get("published"), date_end=end, time_text=text,
            kind="event" if other.get("type") == "Event" else "relation", type=row["type"],
            summary=f"{subject} {row['type']} {obj}", sentence=props.get("evidence_text"),
            article=ArticleRef(**article), related=[_entity_ref(other)] if other.get("id") else [],
        ))
    if since is not None:
        items = [i for i in items if i.date is not None and (i.date_end or i.date) >= since]
    if until is not None:
        items = [i for i in items if i.date is not None and i.date <= until]
    items.sort(key=lambda i: (i.date is None, i.date or dt.date.min, i.article.id, i.kind, i.summary))
    return _page(TimelineItem, items[offset:offset + limit], len(items), limit, offset)


# --- articles ---------------------------------------------------------------------------------------


def list_articles(store: GraphStore, *, outlet: str | None = None, since: dt.date | None = None,
                  until: dt.date | None = None, q: str | None = None, limit: int = 50, offset: int = 0) -> Page[ArticleSummary]:
    rows = store.query("api_article_ids", outlet=outlet, since=since, until=until,
                       q=q.strip().lower() if q and q.strip() else None, skip=offset, limit=limit)
    total, page = (rows[0]["total"], rows[0]["page"] or []) if rows else (0, [])
    found = {row["id"]: row for row in store.query("api_article_summaries", ids=page)} if page else {}
    items = [ArticleSummary(**{**found[i], "title": found[i].get("title") or ""}) for i in page if i in found]
    return _page(ArticleSummary, items, total, limit, offset)


def article_detail(store: GraphStore, article_id: str) -> ArticleDetail:
    rows = store.query("api_article", id=article_id)
    if not rows:
        raise NotFound(f"no article with id {article_id!r}", {"article": article_id})
    row = rows[0]
    article = row["article"]
    related = sorted(set(row.get("same_story") or []) | set(row.get("versions") or []))
    refs = {r["id"]: ArticleRef(**r) for r in store.query("api_articles_by_ids", ids=related)[0]["rows"]} if related else {}
    claim_ids = [r["id"] for r in store.query("api_article_claim_ids", id=article_id)]
    return ArticleDetail(
        **{**article, "title": article.get("title") or "", "text": article.get("text") or "",
           "normalisation": article.get("normalisation") or []},
        sentences=row.get("sentences") or 0,
        entities=[dict(e) for e in store.query("api_article_entities", id=article_id)],
        relations=[
            ExtractedRelation(
                id=r.get("id"), type=r["type"], source=_entity_ref(r["source"]), target=_entity_ref(r["target"]),
                sentence=(r.get("props") or {}).get("sentence"), evidence_text=(r.get("props") or {}).get("evidence_text"),
                confidence=(r.get("props") or {}).get("confidence"),
                properties={k: jsonable(v) for k, v in (r.get("props") or {}).items()
                            if k not in {"id", "evidence_text", "sentence", "confidence", "article_id"}},
            )
            for r in store.query("api_article_relations", id=article_id)
        ],
        claims=claim_rows(store, claim_ids),
        same_story=[refs[i] for i in sorted(set(row.get("same_story") or [])) if i in refs],
        versions=[refs[i] for i in sorted(set(row.get("versions") or [])) if i in refs],
    )


def _next_offset(total: int, limit: int, offset: int) -> int | None:
    return offset + limit if offset + limit < total else None


def _page(model: type, items: list, total: int, limit: int, offset: int) -> Page:
    return Page[model](items=items, total=total, limit=limit, offset=offset, next_offset=_next_offset(total, limit, offset))


def _page_json(items: list[bytes], total: int, limit: int, offset: int) -> bytes:
    """A ``Page`` as JSON around rows that are JSON already."""
    rest = json.dumps({"total": total, "limit": limit, "offset": offset, "next_offset": _next_offset(total, limit, offset)},
                      separators=(",", ":"))
    return b'{"items":[' + b",".join(items) + b"]," + rest[1:].encode()
