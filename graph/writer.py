"""Write article graphs into the store: whole articles per transaction, idempotent, resolved
against what is already stored.

What happens to an :class:`~graph.model.ArticleGraph` (alone, or in a batch of articles written
in one transaction; a batch gives exactly the graph of writing its articles one by one in order,
because each article is planned against what the store held plus the batch's earlier articles):

1. An article id already stored means nothing to do (``unchanged``): ids are hashes of the
   normalised text, so re-ingesting never changes counts or doubles ``mention_count``.
2. A stored article with the same URL (and so a different text) makes this one a new version:
   ``(new)-[:NEW_VERSION_OF]->(latest stored version)``.
3. A near-duplicate already stored (MinHash over word shingles, the signatures kept on the
   ``Article`` nodes and loaded into an LSH index) gives ``(new)-[:SAME_STORY {similarity}]->(old)``.
   Claims of the new article that repeat a claim of that story or of the previous version (same
   speaker and the same numbers) get ``duplicate_of`` = the id of the first such claim, so
   who-said tables count them once (``WHERE c.duplicate_of IS NULL``).
4. Entities are resolved against stored ones: same id is the same node; a lone surname
   ("Kirby") or initial and surname joins the one stored person with that surname; an
   organisation whose name is another stored organisation's alias (or the reverse) joins it.
   Two different full names are never merged.
5. New claims are compared with the stored troop claims (:func:`ingest.stance.link_claims`).
6. Everything is written with batched ``UNWIND ... MERGE`` statements from ``cypher/write.cypher``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Literal

from datasketch import MinHash, MinHashLSH

from graph.dialect import fold as fold_accents
from graph.errors import StoreError
from graph.model import (
    Article,
    ArticleGraph,
    Claim,
    Entity,
    Quantity,
    Relation,
    TimeExpression,
)
from graph.store import GraphStore, run

NUM_PERM = 64
"""Permutations per MinHash signature (stored on each Article as ``minhash``)."""
MINHASH_SCHEME = "affine32"
"""datasketch's permutation scheme, named because stored hash values carry no trace of it."""
SHINGLE_WORDS = 4
SAME_STORY_THRESHOLD = 0.5
"""Estimated Jaccard similarity of word 4-shingles above which two texts are one story. Two
different articles on the same topic share well under 10% of their 4-shingles; the same wire
story with a new headline, a local intro or a trimmed ending shares well over half."""
SIGNATURE_RELOAD_MARGIN = dt.timedelta(minutes=10)
"""How far before the newest signature it holds a writer looks for ones stored by other writers
(a transaction's ``ingested_at`` is stamped when it is planned, before it commits)."""
DUPLICATE_CONTENT_OVERLAP = 0.6
"""For claims without numbers: share of content words two claims by one speaker must share."""

WriteStatus = Literal["new", "new_version", "unchanged", "failed"]

_HONORIFICS = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady gen general col colonel maj major capt captain lt "
    "sgt adm admiral president prime minister pm secretary senator sen rep gov governor "
    "ambassador spokesman spokeswoman spokesperson chancellor king queen prince princess".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)
_NAME_WORD = re.compile(r"\w[\w'’-]*", re.UNICODE)
"""A word of a name: hyphenated and apostrophe names ("Yong-bok", "O'Brien") stay whole."""


@dataclass
class WriteResult:
    article_id: str
    status: WriteStatus
    entities: int = 0
    relations: int = 0
    claims: int = 0
    previous_version: str | None = None
    same_story: list[tuple[str, float]] = field(default_factory=list)
    resolved: dict[str, str] = field(default_factory=dict)
    """Extracted entity id -> the stored entity it was merged into, where they differ."""
    duplicate_claims: int = 0
    claim_links: int = 0
    error: str | None = None
    """Why the store refused the article (status ``failed``, only from ``write_many``)."""


def fold(text: str) -> str:
    """The key names are compared by: the full-text index's form (lower-case, no accents),
    whitespace collapsed."""
    return " ".join(fold_accents(text).split())


def person_name_parts(name: str) -> tuple[str | None, str]:
    """(given name key or None, surname key) of a person's name, honorifics dropped.

    "John F. Kirby" -> ("john", "kirby"); "Mr Kirby" -> (None, "kirby"); "J. Kirby" -> ("j", "kirby").
    """
    words = [w.rstrip("'’-") for w in _NAME_WORD.findall(fold(name))]
    while len(words) > 1 and words[0] in _HONORIFICS:
        words = words[1:]
    if not words:
        return None, fold(name)
    if len(words) == 1:
        return None, words[0]
    return words[0], words[-1]


def _given_compatible(a: str | None, b: str | None) -> bool:
    """Two given names can be one person's: either missing, equal, or one the other's initial."""
    if a is None or b is None:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    words = _WORD.findall(fold(text))
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, scheme=MINHASH_SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in sorted(shingles(text))])
    return minhash


def relation_id(relation: Relation) -> str:
    """Stable id of an extracted relation: its type, extracted ends, article and offsets."""
    ev = relation.evidence
    key = "|".join(
        [relation.type, relation.source, relation.target, ev.article_id, str(ev.start), str(ev.end)]
    )
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


class StoryIndex:
    """The near-duplicate index: MinHash LSH over the stored articles' signatures.

    Loaded once from the store; the writer adds each article after its transaction commits.
    """

    def __init__(self) -> None:
        self.lsh = MinHashLSH(threshold=SAME_STORY_THRESHOLD, num_perm=NUM_PERM)
        self.signatures: dict[str, MinHash] = {}
        self.urls: dict[str, str | None] = {}
        self.latest_ingested_at: dt.datetime | None = None

    def load(self, rows: Iterable[dict]) -> None:
        for row in rows:
            self.add(row["id"], MinHash(num_perm=NUM_PERM, hashvalues=row["minhash"], scheme=MINHASH_SCHEME), row.get("url"),
                     _utc(row.get("ingested_at")))

    def add(self, article_id: str, minhash: MinHash, url: str | None, ingested_at: dt.datetime | None) -> None:
        """``ingested_at``: when it was stored, or a time no later (the start of the writing)."""
        if ingested_at is not None and (self.latest_ingested_at is None or ingested_at > self.latest_ingested_at):
            self.latest_ingested_at = ingested_at
        if article_id in self.signatures:
            return
        self.lsh.insert(article_id, minhash)
        self.signatures[article_id] = minhash
        self.urls[article_id] = url

    def similar(self, minhash: MinHash) -> list[tuple[str, float]]:
        """Stored articles of the same story, best first, with the estimated similarity."""
        found = []
        for other in self.lsh.query(minhash):
            similarity = minhash.jaccard(self.signatures[other])
            if similarity >= SAME_STORY_THRESHOLD:
                found.append((other, round(float(similarity), 3)))
        return sorted(found, key=lambda pair: (-pair[1], pair[0]))


def _utc(stamp) -> dt.datetime | None:
    """A stored ``ingested_at`` as an aware UTC datetime (ArcadeDB returns it without its zone)."""
    if stamp is None:
        return None
    stamp = stamp.to_native() if hasattr(stamp, "to_native") else stamp
    return stamp.replace(tzinfo=dt.timezone.utc) if stamp.tzinfo is None else stamp.astimezone(dt.timezone.utc)


class GraphWriter:
    """Writes article graphs into one store; keeps the near-duplicate index of that store."""

    def __init__(self, store: GraphStore):
        self.store = store
        self._index: StoryIndex | None = None
        self._lock = threading.Lock()

    @property
    def index(self) -> StoryIndex:
        """The near-duplicate index, brought up to date with articles another process (the API,
        a second ingest) stored since it was loaded."""
        stored = self.store.query("count_signed_articles")[0]["count"]
        if self._index is not None and stored > len(self._index.signatures) and self._index.latest_ingested_at:
            # Only what was stored since the last load: ``ingested_at`` is stamped before a
            # transaction commits, so a writer's slower transaction may carry an earlier stamp
            # than one already seen; the margin covers that, and the count check below the rest.
            since = self._index.latest_ingested_at - SIGNATURE_RELOAD_MARGIN
            self._index.load(self.store.query("article_signatures_since", since=since))
        if self._index is None or stored != len(self._index.signatures):
            # First use, articles deleted (a store emptied under a long-lived writer), or some
            # not found since the last load: read them all.
            self._index = StoryIndex()
            self._index.load(self.store.query("article_signatures"))
        return self._index

    def write(self, graph: ArticleGraph) -> WriteResult:
        """One article in one transaction; raises StoreError naming the article if refused."""
        try:
            return self._write_batch([graph])[0]
        except StoreError as error:
            raise _article_error(graph.article, error) from error

    def write_many(self, graphs: list[ArticleGraph]) -> list[WriteResult]:
        """Several whole articles in one transaction (one statement per kind of row for all of
        them). If the store refuses the batch, each article is written on its own so that only
        the bad one is left out: its result has status ``failed`` and the reason."""
        try:
            return self._write_batch(graphs)
        except StoreError as error:
            if len(graphs) == 1:
                return [WriteResult(graphs[0].article.id, "failed", error=_article_error(graphs[0].article, error).message)]
        results = []
        for graph in graphs:
            try:
                results.append(self._write_batch([graph])[0])
            except StoreError as error:
                results.append(WriteResult(graph.article.id, "failed", error=_article_error(graph.article, error).message))
        return results

    def _write_batch(self, graphs: list[ArticleGraph]) -> list[WriteResult]:
        with self._lock:
            index = self.index
            signatures = [signature(graph.article.text) for graph in graphs]
            # no article of the batch is stamped earlier (a retried transaction stamps again, later)
            started = dt.datetime.now(dt.timezone.utc)
            # The transaction function may be retried: it reads the index but changes nothing
            # outside the store; the index learns the new articles once they are committed.
            results = self.store.write(lambda tx: _write_in_tx(tx, graphs, signatures, index))
            for graph, minhash, result in zip(graphs, signatures, results):
                if result.status in ("new", "new_version"):
                    index.add(graph.article.id, minhash, graph.article.url, started)
            return results


def _article_error(article: Article, error: StoreError) -> StoreError:
    where = article.source_path or repr(article.title)
    return StoreError(
        f"article {article.id} ({where}) was not stored: {error.message}",
        {"article_id": article.id, **error.details},
    )


_writers: "weakref.WeakKeyDictionary[GraphStore, GraphWriter]" = weakref.WeakKeyDictionary()
_writers_lock = threading.Lock()


def writer_for(store: GraphStore) -> GraphWriter:
    """The one writer of a store (it holds that store's near-duplicate index)."""
    with _writers_lock:
        writer = _writers.get(store)
        if writer is None:
            writer = _writers[store] = GraphWriter(store)
        return writer


def write_article_graph(store: GraphStore, graph: ArticleGraph) -> WriteResult:
    """Write one article's graph in one transaction; see the module docstring."""
    return writer_for(store).write(graph)


def write_article_graphs(store: GraphStore, graphs: list[ArticleGraph]) -> list[WriteResult]:
    """Write several articles' graphs in one transaction (each whole or none); the same graph
    as writing them one by one in this order. See :meth:`GraphWriter.write_many`."""
    return writer_for(store).write_many(graphs)


# --- inside the transaction -------------------------------------------------------------------


class _Known:
    """What the store holds that matters to a batch, read once, then updated in memory as each
    article of the batch is planned, so that later articles see earlier ones."""

    def __init__(self, tx, graphs: list[ArticleGraph], index: StoryIndex):
        ids = sorted({g.article.id for g in graphs})
        self.article_ids: set[str] = {row["id"] for row in run(tx, "stored_article_ids", ids=ids)}
        urls = sorted({g.article.url for g in graphs if g.article.url})
        self.latest_by_url: dict[str, str] = {}
        for row in sorted(run(tx, "latest_versions_by_url", urls=urls), key=lambda r: r["id"]) if urls else []:
            self.latest_by_url.setdefault(row["url"], row["id"])
        self.index = index
        self.batch_signatures: dict[str, tuple[MinHash, str | None]] = {}

        entities = [e for g in graphs for e in g.entities]
        self.entities: dict[str, dict] = {}
        entity_ids = sorted({e.id for e in entities})
        if entity_ids:
            self._add_rows(run(tx, "stored_entities", ids=entity_ids))
        surnames = sorted({person_name_parts(e.name)[1] for e in entities if e.type == "Person" and _is_partial_name(e.name)})
        if surnames:
            self._add_rows(run(tx, "persons_by_surname", keys=surnames))
        alias_keys = sorted({k for e in entities if e.type == "Organization" for k in _alias_keys(e.name, e.aliases)})
        if alias_keys:
            self._add_rows(run(tx, "organizations_by_alias_key", keys=alias_keys))

        self.troop_claims: list[Claim] = []
        # Only dated claims are compared across articles (ingest.stance), so the stored ones
        # that can link to this batch lie within the window around its publication dates.
        dates = [g.article.published for g in graphs if g.claims and g.article.published]
        if dates:
            from ingest.stance import WINDOW_DAYS

            new_ids = {c.id for g in graphs for c in g.claims}
            window = dt.timedelta(days=WINDOW_DAYS)
            rows = run(tx, "stored_troop_claims", since=min(dates) - window, until=max(dates) + window)
            self.troop_claims = sorted(
                (claim_from_row(row["claim"], row["quantities"]) for row in rows if row["claim"]["id"] not in new_ids),
                key=lambda c: c.id,
            )
        self.claims_by_article: dict[str, list[dict]] = defaultdict(list)
        self._tx = tx

    def _add_rows(self, rows: list[dict]) -> None:
        for row in rows:
            self.entities.setdefault(row["id"], row)

    def story_partners(self, article: Article, minhash: MinHash, previous: str | None) -> list[tuple[str, float]]:
        """Stored articles and earlier articles of the batch carrying the same story, except
        versions of the same URL (those are linked as versions)."""
        found = dict(self.index.similar(minhash))
        for other, (other_minhash, _) in self.batch_signatures.items():
            similarity = round(float(minhash.jaccard(other_minhash)), 3)
            if similarity >= SAME_STORY_THRESHOLD:
                found[other] = similarity
        def url_of(other: str) -> str | None:
            return self.batch_signatures[other][1] if other in self.batch_signatures else self.index.urls.get(other)

        return sorted(
            ((other, similarity) for other, similarity in found.items()
             if other != previous and other != article.id and (article.url is None or url_of(other) != article.url)),
            key=lambda pair: (-pair[1], pair[0]),
        )

    def load_claims(self, article_ids: Iterable[str]) -> None:
        missing = sorted(set(article_ids) - set(self.claims_by_article))
        if missing:
            for row in run(self._tx, "claims_of_articles", article_ids=missing):
                self.claims_by_article[row["article_id"]].append(row)
            for article_id in missing:
                self.claims_by_article.setdefault(article_id, [])


@dataclass
class _Rows:
    """The rows of every write statement for a batch, keyed so that the last word wins."""

    articles: list[dict] = field(default_factory=list)
    sentences: list[dict] = field(default_factory=list)
    entities: dict[str, tuple[str, dict]] = field(default_factory=dict)
    mentions: list[dict] = field(default_factory=list)
    relations: dict[str, dict[str, dict]] = field(default_factory=lambda: defaultdict(dict))
    claims: list[dict] = field(default_factory=list)
    speakers: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    about: list[dict] = field(default_factory=list)
    quantities: list[dict] = field(default_factory=list)
    counts: list[dict] = field(default_factory=list)
    links: dict[tuple[str, str, str], str] = field(default_factory=dict)
    same_story: list[dict] = field(default_factory=list)
    versions: list[dict] = field(default_factory=list)

    def write(self, tx) -> None:
        if self.articles:
            run(tx, "merge_articles", rows=self.articles)
        if self.sentences:
            run(tx, "merge_sentences", rows=self.sentences)
        by_type: dict[str, list[dict]] = defaultdict(list)
        for entity_id, (entity_type, props) in self.entities.items():
            by_type[entity_type].append({"id": entity_id, "props": props})
        for entity_type, rows in sorted(by_type.items()):
            run(tx, f"merge_entities_{entity_type.lower()}", rows=rows)
        if self.mentions:
            run(tx, "merge_mentions", rows=self.mentions)
        for relation_type, by_id in sorted(self.relations.items()):
            run(tx, f"merge_relations_{relation_type.lower()}", rows=list(by_id.values()))
        if self.claims:
            run(tx, "merge_claims", rows=self.claims)
        for kind, rows in sorted(self.speakers.items()):
            run(tx, f"merge_speaker_{kind.lower()}", rows=rows)
        if self.about:
            run(tx, "merge_claim_about", rows=self.about)
        if self.quantities:
            run(tx, "merge_quantities", rows=self.quantities)
        if self.counts:
            run(tx, "merge_quantity_counts", rows=self.counts)
        by_link: dict[str, list[dict]] = defaultdict(list)
        for (source, link_type, target), reason in sorted(self.links.items()):
            by_link[link_type].append({"source": source, "target": target, "reason": reason})
        for link_type, rows in sorted(by_link.items()):
            run(tx, f"merge_links_{link_type.lower()}", rows=rows)
        if self.same_story:
            run(tx, "merge_same_story", rows=self.same_story)
        if self.versions:
            run(tx, "merge_new_versions", rows=self.versions)
        if self.articles:
            run(tx, "mark_articles_stored", digest=articles_digest(row["id"] for row in self.articles),
                modulus=DIGEST_MODULUS)


DIGEST_MODULUS = 2**61 - 1
"""The store's digest of stored articles is a sum of id hashes modulo this prime (fits Cypher's
64-bit integers while adding)."""


def articles_digest(article_ids: Iterable[str]) -> int:
    """What storing these articles adds to the store's digest (``mark_articles_stored``)."""
    return sum(int.from_bytes(hashlib.sha256(i.encode()).digest()[:8], "big") % DIGEST_MODULUS for i in article_ids) % DIGEST_MODULUS


def _write_in_tx(tx, graphs: list[ArticleGraph], signatures: list[MinHash], index: StoryIndex) -> list[WriteResult]:
    known = _Known(tx, graphs, index)
    rows = _Rows()
    results = [_plan_article(graph, minhash, known, rows) for graph, minhash in zip(graphs, signatures)]
    rows.write(tx)
    return results


def _plan_article(graph: ArticleGraph, minhash: MinHash, known: _Known, rows: _Rows) -> WriteResult:
    """Add one article's rows, resolved against ``known``, and record it in ``known``."""
    article = graph.article
    if article.id in known.article_ids:
        return WriteResult(article.id, "unchanged")
    previous = known.latest_by_url.get(article.url) if article.url else None
    same_story = known.story_partners(article, minhash, previous)

    mapping = _resolve_entities(graph.entities, known)
    entities = _merged_entities(graph.entities, mapping, known.entities, article.published)
    result = WriteResult(
        article.id,
        "new_version" if previous else "new",
        previous_version=previous,
        same_story=same_story,
        resolved={old: new for old, new in mapping.items() if old != new},
        entities=len(entities),
    )

    rows.articles.append({"id": article.id, "props": _article_props(article, minhash)})
    rows.sentences += [
        {"id": f"{article.id}:{s.index}", "article_id": article.id, "props": {"article_id": article.id, "index": s.index, "start": s.start, "end": s.end, "text": s.text}}
        for s in graph.sentences
    ]
    for entity_id, (entity_type, props, mention_props) in entities.items():
        earlier = rows.entities.get(entity_id, (entity_type, {}))[1]
        rows.entities[entity_id] = (entity_type, {**earlier, **props})
        rows.mentions.append({"entity_id": entity_id, "article_id": article.id, "props": mention_props})
        known.entities[entity_id] = {"id": entity_id, **props}

    result.relations = _plan_relations(graph.relations, mapping, rows)

    claims = [_resolved_claim(claim, mapping) for claim in graph.claims]
    story = [other for other, _ in same_story] + ([previous] if previous else [])
    known.load_claims(story)
    duplicates = _duplicate_claims(claims, [row for other in story for row in known.claims_by_article[other]])
    _plan_claims(claims, article, duplicates, rows)
    result.claims, result.duplicate_claims = len(claims), len(duplicates)
    result.claim_links = _plan_claim_links(claims, known.troop_claims, rows)

    rows.same_story += [{"article_id": article.id, "other_id": other, "similarity": sim} for other, sim in same_story]
    if previous:
        rows.versions.append({"article_id": article.id, "previous_id": previous})

    known.article_ids.add(article.id)
    if article.url:
        known.latest_by_url[article.url] = article.id
    known.batch_signatures[article.id] = (minhash, article.url)
    known.claims_by_article[article.id] = [
        {"id": c.id, "article_id": c.article_id, "speaker_key": speaker_key(c), "numbers_key": numbers_key(c.quantities),
         "content_text": c.content.text, "duplicate_of": duplicates.get(c.id)}
        for c in claims
    ]
    # Kept in id order, as the store returns them to a batch that starts later.
    known.troop_claims = sorted(known.troop_claims + [c for c in claims if any(q.is_troop_count for q in c.quantities)], key=lambda c: c.id)
    return result


def _article_props(article: Article, minhash: MinHash) -> dict[str, Any]:
    props = article.model_dump(exclude={"id"})
    props["ingested_at"] = dt.datetime.now(dt.timezone.utc)
    props["minhash"] = [int(v) for v in minhash.hashvalues]
    return _without_none(props)


def _without_none(props: dict[str, Any]) -> dict[str, Any]:
    """``SET n += props`` removes properties set to null: leave what the text does not say alone."""
    return {key: value for key, value in props.items() if value is not None}


# --- entity resolution --------------------------------------------------------------------------


def _resolve_entities(entities: list[Entity], known: _Known) -> dict[str, str]:
    """Extracted entity id -> the id it is stored under."""
    stored = known.entities
    mapping = {e.id: e.id for e in entities}

    # People: a lone surname or an initial joins the one full name with that surname.
    article_people = [e for e in entities if e.type == "Person"]
    for entity in article_people:
        if entity.id in stored or not _is_partial_name(entity.name):
            continue
        given, surname = person_name_parts(entity.name)
        full_names = {
            row["id"]
            for row in stored.values()
            if row.get("type") == "Person" and row.get("surname_key") == surname and row.get("given_key")
            and len(row["given_key"]) > 1 and _given_compatible(given, row["given_key"])
        }
        # A different full name with this surname in the article itself makes a match unsafe.
        in_article = {
            other.id
            for other in article_people
            if other.id != entity.id and not _is_partial_name(other.name) and person_name_parts(other.name)[1] == surname
        }
        if len(full_names) == 1 and not (in_article - full_names):
            mapping[entity.id] = next(iter(full_names))

    # Organisations: one's name is the other's alias.
    for entity in entities:
        if entity.type != "Organization" or entity.id in stored:
            continue
        own_name = fold(entity.name)
        own_keys = set(_alias_keys(entity.name, entity.aliases))
        matches = {
            row["id"]
            for row in stored.values()
            if row.get("type") == "Organization"
            and (own_name in (row.get("alias_keys") or []) or fold(row["name"]) in own_keys)
        }
        if len(matches) == 1:
            mapping[entity.id] = next(iter(matches))
    return mapping


def _is_partial_name(name: str) -> bool:
    given, _ = person_name_parts(name)
    return given is None or len(given) == 1


def _alias_keys(name: str, aliases: Iterable[str]) -> list[str]:
    keys: list[str] = []
    for text in [name, *aliases]:
        key = fold(text)
        if key and key not in keys:
            keys.append(key)
    return keys


def _merged_entities(
    entities: list[Entity], mapping: dict[str, str], stored: dict[str, dict], published: dt.date | None
) -> dict[str, tuple[str, dict[str, Any], dict[str, Any]]]:
    """Resolved id -> (type, node properties, MENTIONED_IN properties)."""
    groups: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        groups[mapping[entity.id]].append(entity)

    merged: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {}
    for entity_id, group in groups.items():
        known = stored.get(entity_id) or {}
        primary = next((e for e in group if e.id == entity_id), group[0])
        name = known.get("name") or primary.name
        entity_type = known.get("type") or primary.type
        stored_aliases = known.get("aliases") or []
        names = [name, *stored_aliases, *(n for e in group for n in [e.name, *e.aliases])]
        aliases: list[str] = []
        seen = {fold(name)}
        for alias in names:
            if fold(alias) not in seen:
                seen.add(fold(alias))
                aliases.append(alias)
        mentions = sorted({(m.start, m.end, m.sentence) for e in group for m in e.mentions})
        dates = [d for d in [published, known.get("first_seen"), known.get("last_seen")] if d]
        props: dict[str, Any] = {
            "name": name,
            "type": entity_type,
            "aliases": aliases,
            "name_key": fold(name),
            "alias_keys": _alias_keys(name, aliases),
            "search_text": " ".join(_alias_keys(name, aliases)),
            "mention_count": (known.get("mention_count") or 0) + max(len(mentions), 1),
            "first_seen": min(dates) if dates else None,
            "last_seen": max(dates) if dates else None,
        }
        if entity_type == "Person":
            given, surname = person_name_parts(name)
            props["given_key"] = given
            props["surname_key"] = surname
        for entity in group:
            for key in ("latitude", "longitude", "country", "geonames_id", "event_kind"):
                value = getattr(entity, key)
                if value is not None:
                    props.setdefault(key, value)
            if entity.affiliation is not None:
                props.setdefault("affiliation", mapping.get(entity.affiliation, entity.affiliation))
            if entity.time is not None:
                for key, value in _time_props("time", entity.time).items():
                    props.setdefault(key, value)
        mention_props = {
            "count": len(mentions),
            "starts": [m[0] for m in mentions],
            "ends": [m[1] for m in mentions],
            "sentences": [m[2] for m in mentions],
        }
        merged[entity_id] = (entity_type, _without_none(props), mention_props)
    return merged


def _time_props(key: str, time: TimeExpression | dict) -> dict[str, Any]:
    time = TimeExpression.model_validate(time) if isinstance(time, dict) else time
    return {f"{key}_text": time.text, f"{key}_start": time.start, f"{key}_end": time.end}


# --- relations ------------------------------------------------------------------------------------


def _relation_props(relation: Relation) -> dict[str, Any]:
    ev = relation.evidence
    props: dict[str, Any] = {
        "article_id": ev.article_id,
        "sentence": ev.sentence,
        "start": ev.start,
        "end": ev.end,
        "evidence_text": ev.text,
        "extractor": ev.extractor,
        "extractor_version": ev.extractor_version,
        "confidence": ev.confidence,
        "claim_id": relation.claim_id,
    }
    for key, value in relation.properties.items():
        if key == "from":
            props["from_id"] = value
        elif isinstance(value, TimeExpression) or (isinstance(value, dict) and "text" in value and set(value) <= set(TimeExpression.model_fields)):
            props.update(_time_props(key, value))
        else:
            props[key] = value
    return _without_none(props)


# relation properties that hold an entity id of the article, so they follow its resolution
_ENTITY_ID_PROPERTIES = ("from_id", "attributed_to")


def _plan_relations(relations: list[Relation], mapping: dict[str, str], rows: "_Rows") -> int:
    ids = set()
    for relation in relations:
        props = _relation_props(relation)
        for key in _ENTITY_ID_PROPERTIES:
            if key in props:
                props[key] = mapping.get(props[key], props[key])
        ids.add(relation_id(relation))
        rows.relations[relation.type][relation_id(relation)] = {
            "id": relation_id(relation),
            "source": mapping.get(relation.source, relation.source),
            "target": mapping.get(relation.target, relation.target),
            "props": props,
        }
    return len(ids)


# --- claims ---------------------------------------------------------------------------------------


def _resolved_claim(claim: Claim, mapping: dict[str, str]) -> Claim:
    """The claim with its entity references pointing at the stored entities."""
    speaker = claim.speaker
    if speaker.entity_id is not None:
        speaker = speaker.model_copy(update={"entity_id": mapping.get(speaker.entity_id, speaker.entity_id)})
    quantities = [
        q.model_copy(update={"unit_entity_id": mapping.get(q.unit_entity_id, q.unit_entity_id)}) if q.unit_entity_id else q
        for q in claim.quantities
    ]
    about = list(dict.fromkeys(mapping.get(e, e) for e in claim.about))
    return claim.model_copy(update={"speaker": speaker, "quantities": quantities, "about": about})


def speaker_key(claim: Claim) -> str:
    return claim.speaker.entity_id or f"text:{fold(claim.speaker.name or claim.speaker.text)}"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def numbers_key(quantities: Iterable[Quantity]) -> str:
    """The numbers a claim gives, order-free: "3000|10000", "5000-7000" for a range."""
    numbers = sorted(
        _number(q.value) if q.value is not None else f"{_number(q.low)}-{_number(q.high)}" for q in quantities
    )
    return "|".join(numbers)


def _content_words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


def _duplicate_claims(claims: list[Claim], earlier: list[dict]) -> dict[str, str]:
    """Claim id -> the earlier claim of the same story it repeats (same speaker, same numbers).

    ``earlier``: the claims of the articles of the same story (SAME_STORY partners and the
    previous version), as rows with ``speaker_key``, ``numbers_key``, ``content_text``."""
    earlier = sorted(earlier, key=lambda row: row["id"])
    duplicates: dict[str, str] = {}
    for claim in claims:
        key, numbers = speaker_key(claim), numbers_key(claim.quantities)
        words = _content_words(claim.content.text)
        for row in earlier:
            if row["speaker_key"] != key or (row["numbers_key"] or "") != numbers:
                continue
            if not numbers:
                other = _content_words(row["content_text"] or "")
                if not words or len(words & other) / len(words | other) < DUPLICATE_CONTENT_OVERLAP:
                    continue
            duplicates[claim.id] = row["duplicate_of"] or row["id"]
            break
    return duplicates


def _claim_props(claim: Claim, article: Article, duplicate_of: str | None) -> dict[str, Any]:
    return _without_none(
        {
            "kind": claim.kind,
            "direct": claim.direct,
            "sentence": claim.sentence,
            "confidence": claim.confidence,
            "article_id": claim.article_id,
            "extractor": claim.extractor,
            "extractor_version": claim.extractor_version,
            "speaker_text": claim.speaker.text,
            "speaker_start": claim.speaker.start,
            "speaker_end": claim.speaker.end,
            "speaker_name": claim.speaker.name,
            "speaker_entity_id": claim.speaker.entity_id,
            "speaker_key": speaker_key(claim),
            "cue_text": claim.cue.text,
            "cue_start": claim.cue.start,
            "cue_end": claim.cue.end,
            "cue_lemma": claim.cue.lemma,
            "cue_negated": claim.cue.negated,
            "content_text": claim.content.text,
            "content_start": claim.content.start,
            "content_end": claim.content.end,
            "about": claim.about,
            "numbers_key": numbers_key(claim.quantities),
            # what the troop table lists: a negated cue ("did not confirm") asserts no number
            "has_troop_count": not claim.cue.negated and any(q.is_troop_count for q in claim.quantities),
            "published": article.published,
            "duplicate_of": duplicate_of,
        }
    )


def _quantity_props(quantity: Quantity, claim_id: str) -> dict[str, Any]:
    props = quantity.model_dump(exclude={"target_time"})
    props["claim_id"] = claim_id
    if quantity.target_time is not None:
        props.update(_time_props("target_time", quantity.target_time))
    return _without_none(props)


def _plan_claims(claims: list[Claim], article: Article, duplicates: dict[str, str], rows: "_Rows") -> None:
    for claim in claims:
        rows.claims.append({
            "id": claim.id,
            "sentence_id": f"{article.id}:{claim.sentence}",
            "props": _claim_props(claim, article, duplicates.get(claim.id)),
        })
        if claim.speaker.entity_id:
            rows.speakers[claim.kind].append({"speaker": claim.speaker.entity_id, "claim_id": claim.id, "article_id": claim.article_id})
        rows.about += [{"claim_id": claim.id, "entity_id": entity_id} for entity_id in claim.about]
        for n, quantity in enumerate(claim.quantities):
            quantity_id = f"{claim.id}:{n}"
            rows.quantities.append({"id": quantity_id, "claim_id": claim.id, "props": _quantity_props(quantity, claim.id)})
            if quantity.unit_entity_id:
                rows.counts.append({"quantity_id": quantity_id, "entity_id": quantity.unit_entity_id})


def claim_from_row(props: dict[str, Any], quantities: list[dict[str, Any]]) -> Claim:
    """A stored claim as the model object :func:`ingest.stance.link_claims` compares."""
    def span(prefix: str) -> dict[str, Any]:
        return {"text": props.get(f"{prefix}_text") or "", "start": props.get(f"{prefix}_start") or 0, "end": props.get(f"{prefix}_end") or 0}

    def quantity(row: dict[str, Any]) -> Quantity:
        fields = {k: row.get(k) for k in Quantity.model_fields if k != "target_time" and row.get(k) is not None}
        if row.get("target_time_text"):
            fields["target_time"] = TimeExpression(text=row["target_time_text"], start=row.get("target_time_start"), end=row.get("target_time_end"))
        return Quantity(**fields)

    ordered = sorted(quantities, key=lambda q: (q.get("start") or 0, q["id"]))
    return Claim(
        id=props["id"],
        kind=props["kind"],
        speaker={**span("speaker"), "name": props.get("speaker_name") or props.get("speaker_text") or "", "entity_id": props.get("speaker_entity_id")},
        cue={**span("cue"), "lemma": props.get("cue_lemma") or "", "negated": bool(props.get("cue_negated"))},
        content=span("content"),
        direct=bool(props.get("direct")),
        quantities=[quantity(q) for q in ordered],
        about=list(props.get("about") or []),
        sentence=props.get("sentence") or 0,
        confidence=props.get("confidence") if props.get("confidence") is not None else 0.0,
        article_id=props["article_id"],
        published=props.get("published"),
        extractor=props.get("extractor") or "",
        extractor_version=props.get("extractor_version") or "",
    )


def _plan_claim_links(claims: list[Claim], known_troop_claims: list[Claim], rows: "_Rows") -> int:
    """Links the extractor put on the claims, and the stance of new troop claims towards the
    troop claims already known (:func:`ingest.stance.link_claims`)."""
    links: dict[tuple[str, str, str], str] = {}
    for claim in claims:
        for link in claim.links:
            links.setdefault((claim.id, link.type, link.target), "extractor")
    if claims and (known_troop_claims or any(q.is_troop_count for c in claims for q in c.quantities)):
        from ingest.stance import link_claims

        for source, link_type, target, reason in link_claims(claims, known_troop_claims):
            links.setdefault((source, link_type, target), reason)
    for key, reason in links.items():
        rows.links.setdefault(key, reason)
    return len(links)
