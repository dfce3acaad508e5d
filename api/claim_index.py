"""The who-said-what table's filters and time order, held in memory.

Cutting one page of ``GET /claims`` in Cypher means filtering and sorting every claim of the
store for each request (80-130 ms on 15k claims, docs/PERFORMANCE.md). The fields the filters and
the order look at are small, so they are loaded once into a list sorted by time and kept until
the store's digest of stored articles changes (api/derived.py: any process's ingest shows in
the next request). Claims are only ever added with their article, so a new digest is the only
change the index has to notice. A page then costs a pass over the candidate claims in memory
plus the rows themselves.

The rows are kept too, as the JSON the API sends (``ClaimRow``): a request renders the rows of its
page that are not held yet (one ``api_claim_rows`` query), and after every rebuild a background
thread renders all the others, a batch at a time, so that in the steady state a page is served
from memory whatever is asked, on the event loop (``routers/claims.py``); an unfiltered page
used to cost 8-15 ms of API CPU, most of it decoding and validating the rows. Everything a row shows (speaker, subjects, stance links,
copies in near-duplicate articles) changes only when articles are stored, that is with the
digest. The entity references of the filters (``about``, ``speaker``) are resolved once per
digest too.

The filters mean exactly what they meant as Cypher (``ClaimFilters``): null-valued properties
never match a condition on them, and the order is Neo4j's (published, article, position, id;
missing values last, and first when descending)."""
from __future__ import annotations

import bisect
import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from graph.store import GraphStore

log = logging.getLogger(__name__)

RenderRows = Callable[[GraphStore, list[str]], dict[str, bytes]]
"""Claim ids to their rows of the who-said-what table as JSON (claims not found are left out).
Given the store on each call: an index holding the store would keep it alive, as the index is
held per store in a weak dictionary (api/derived.py)."""
ROW_BATCH = 500
"""Claims rendered per query by the background warm-up."""
MAX_REFERENCES = 10_000
"""Resolved filter references held per index; past that the memo starts again."""


@dataclass(frozen=True, slots=True)
class IndexedQuantity:
    troops: bool
    high: float | None
    """coalesce(high, value): the largest number the quantity allows."""
    low: float | None
    """coalesce(low, value): the smallest."""
    time_start: dt.date | None
    time_end: dt.date | None
    """coalesce(target_time_end, target_time_start)."""


@dataclass(frozen=True, slots=True)
class IndexedClaim:
    id: str
    published: dt.date | None
    article_id: str | None
    kind: str | None
    duplicate: bool
    troops: bool
    speaker_id: str | None
    speaker_text: str
    """Lower-cased speaker name, or the speaker's words when unresolved."""
    about: frozenset[str]
    quantities: tuple[IndexedQuantity, ...]


def _null_last(value):
    return (value is None, value)


@dataclass(frozen=True)
class ClaimQuery:
    """The filters of one ``GET /claims`` request, with references already resolved to ids."""

    include_duplicates: bool = False
    kind: str | None = None
    article: str | None = None
    troops: bool = False
    speaker_ids: list[str] | None = None
    speaker_text: str | None = None
    about_ids: list[str] | None = None
    min_value: float | None = None
    max_value: float | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    descending: bool = False


class ClaimIndex:
    """Every claim's filter fields, in time order, as of one digest of the stored articles."""

    def __init__(self, digest: int | None, claims: list[IndexedClaim], render: RenderRows):
        self.digest = digest
        self.claims = claims
        self._render = render
        self.warm = False
        """Every claim's row is held (set by :meth:`warm_up`)."""
        self._rows: dict[str, bytes] = {}
        self._references: dict[tuple[str, str], list[str]] = {}
        self._originals = [i for i, c in enumerate(claims) if not c.duplicate]
        self._by_kind: dict[str, list[int]] = defaultdict(list)
        self._by_article: dict[str, list[int]] = defaultdict(list)
        self._by_about: dict[str, list[int]] = defaultdict(list)
        self._by_speaker_id: dict[str, list[int]] = defaultdict(list)
        self._by_speaker_text: dict[str, list[int]] = defaultdict(list)
        self._troops: list[int] = []
        self._quantified: list[int] = []
        self._timed: list[int] = []
        """Claims with a quantity that has a target time."""
        self._published = [c.published for c in claims if c.published is not None]
        """Publication dates of the dated claims, which come first in the order."""
        for position, claim in enumerate(claims):
            if claim.kind is not None:
                self._by_kind[claim.kind].append(position)
            if claim.article_id is not None:
                self._by_article[claim.article_id].append(position)
            for entity_id in claim.about:
                self._by_about[entity_id].append(position)
            if claim.speaker_id is not None:
                self._by_speaker_id[claim.speaker_id].append(position)
            self._by_speaker_text[claim.speaker_text].append(position)
            if claim.troops:
                self._troops.append(position)
            if claim.quantities:
                self._quantified.append(position)
            if any(q.time_start is not None for q in claim.quantities):
                self._timed.append(position)

    @classmethod
    def load(cls, store: GraphStore, digest: int | None, render: RenderRows) -> "ClaimIndex":
        """The index as of ``digest``, its rows (made by ``render``) then warmed up in the background."""
        quantities: dict[str, list[IndexedQuantity]] = defaultdict(list)
        for row in store.query("api_claim_index_quantities"):
            quantities[row["claim_id"]].append(IndexedQuantity(
                troops=row["troops"] is True, high=row["high"], low=row["low"],
                time_start=row["time_start"], time_end=row["time_end"],
            ))
        rows = store.query("api_claim_index")
        rows.sort(key=lambda r: (_null_last(r["published"]), _null_last(r["article_id"]), _null_last(r["start"]), r["id"]))
        claims = [
            IndexedClaim(
                id=row["id"], published=row["published"], article_id=row["article_id"], kind=row["kind"],
                duplicate=row["duplicate"], troops=row["troops"] is True, speaker_id=row["speaker_id"],
                speaker_text=(row["speaker_text"] or "").lower(), about=frozenset(row["about"] or ()),
                quantities=tuple(quantities.get(row["id"], ())),
            )
            for row in rows
        ]
        index = cls(digest, claims, render)
        store.in_background("claim-rows-warm-up", lambda: index.warm_up(store))
        return index

    def rows(self, store: GraphStore, ids: list[str]) -> list[bytes]:
        """The JSON rows of these claims, in the order given, rendering those not held yet."""
        missing = [i for i in ids if i not in self._rows]
        if missing:
            self._rows.update(self._render(store, missing))
        return [self._rows[i] for i in ids if i in self._rows]

    def warm_up(self, store: GraphStore) -> None:
        """Render every claim's row ahead of the requests, a batch at a time, in a background
        thread (:meth:`load` starts it); it stops once the store's digest has moved on, as the
        index is then replaced, or the store is closing. A failure (the store gone) only ends
        the warm-up: requests render what is missing themselves."""
        try:
            for start in range(0, len(self.claims), ROW_BATCH):
                if store.closing.is_set() or store.query_once("api_store_digest")[0]["digest"] != self.digest:
                    return
                ids = [c.id for c in self.claims[start:start + ROW_BATCH] if c.id not in self._rows]
                if ids:
                    self._rows.update(self._render(store, ids))
            self.warm = True
        except Exception as error:  # noqa: BLE001 - see the docstring
            log.info("claim rows warm-up stopped: %s", error)

    def has_reference(self, kind: str, ref: str) -> bool:
        return (kind, ref) in self._references

    def reference(self, kind: str, ref: str, resolve: Callable[[str], list[str]]) -> list[str]:
        """Entity ids a filter reference stands for (``kind`` 'about' or 'speaker'), resolved once."""
        key = (kind, ref)
        ids = self._references.get(key)
        if ids is None:
            if len(self._references) >= MAX_REFERENCES:
                self._references.clear()
            ids = self._references[key] = resolve(ref)
        return ids

    def page(self, query: ClaimQuery, *, offset: int, limit: int) -> tuple[list[str], int]:
        """Ids of one page of the claims matching ``query`` in time order, and how many match."""
        positions, settled = self._candidates(query)
        claims = self.claims
        for name, test in _tests(query).items():
            if name not in settled:
                positions = [p for p in positions if test(claims[p])]
        if query.descending:
            positions = positions[::-1]
        return [claims[p].id for p in positions[offset:offset + limit]], len(positions)

    def _candidates(self, query: ClaimQuery) -> tuple[list[int], set[str]]:
        """Positions (ascending) of a superset of the matches, from the most selective lookup,
        and the conditions all of them meet already."""
        options: list[tuple[list[int], set[str]]] = [
            (self._originals, {"duplicates"}) if not query.include_duplicates else (list(range(len(self.claims))), set())
        ]
        if query.kind is not None:
            options.append((self._by_kind.get(query.kind, []), {"kind"}))
        if query.article is not None:
            options.append((self._by_article.get(query.article, []), {"article"}))
        if query.troops:
            options.append((self._troops, {"troops"}))
        if query.about_ids is not None:
            options.append((_union(self._by_about.get(i, []) for i in query.about_ids), {"about"}))
        if query.speaker_ids is not None:
            by_text = (ps for text, ps in self._by_speaker_text.items() if query.speaker_text is not None and query.speaker_text in text)
            options.append((_union([*(self._by_speaker_id.get(i, []) for i in query.speaker_ids), *by_text]), {"speaker"}))
        if query.min_value is not None or query.max_value is not None:
            options.append((self._quantified, set()))
        if query.since is not None or query.until is not None:
            options.append((self._dated(query), {"dates"}))
        return min(options, key=lambda option: len(option[0]))

    def _dated(self, query: ClaimQuery) -> list[int]:
        """Positions of the claims meeting the date condition: those published in the range (a
        stretch of the order, found by bisection) and those with a target time in it."""
        start = bisect.bisect_left(self._published, query.since) if query.since is not None else 0
        end = bisect.bisect_right(self._published, query.until) if query.until is not None else len(self._published)
        dates = _tests(ClaimQuery(since=query.since, until=query.until, include_duplicates=True))["dates"]
        targeted = [p for p in self._timed if not start <= p < end and dates(self.claims[p])]
        return sorted([*range(start, end), *targeted]) if targeted else list(range(start, end))


def _union(lists) -> list[int]:
    merged: set[int] = set()
    for positions in lists:
        merged.update(positions)
    return sorted(merged)


def _tests(query: ClaimQuery) -> dict[str, Callable[[IndexedClaim], bool]]:
    """The conditions of ``query`` as predicates by name (none for a condition not given)."""
    tests: dict[str, Callable[[IndexedClaim], bool]] = {}
    if not query.include_duplicates:
        tests["duplicates"] = lambda c: not c.duplicate
    if query.kind is not None:
        tests["kind"] = lambda c: c.kind == query.kind
    if query.article is not None:
        tests["article"] = lambda c: c.article_id == query.article
    if query.troops:
        tests["troops"] = lambda c: c.troops
    if query.speaker_ids is not None:
        ids, text = set(query.speaker_ids), query.speaker_text
        tests["speaker"] = lambda c: c.speaker_id in ids or (text is not None and text in c.speaker_text)
    if query.about_ids is not None:
        about = set(query.about_ids)
        tests["about"] = lambda c: not about.isdisjoint(c.about)
    if query.min_value is not None or query.max_value is not None:
        low, high, troops = query.min_value, query.max_value, query.troops

        def in_range(q: IndexedQuantity) -> bool:
            return ((not troops or q.troops)
                    and (low is None or (q.high is not None and q.high >= low))
                    and (high is None or (q.low is not None and q.low <= high)))

        tests["values"] = lambda c: any(in_range(q) for q in c.quantities)
    if query.since is not None or query.until is not None:
        since, until = query.since, query.until

        def published_in(c: IndexedClaim) -> bool:
            return ((since is None or (c.published is not None and c.published >= since))
                    and (until is None or (c.published is not None and c.published <= until)))

        def targets_in(q: IndexedQuantity) -> bool:
            return (q.time_start is not None
                    and (since is None or (q.time_end is not None and q.time_end >= since))
                    and (until is None or q.time_start <= until))

        tests["dates"] = lambda c: published_in(c) or any(targets_in(q) for q in c.quantities)
    return tests
