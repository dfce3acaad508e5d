"""Data derived from the store and held in memory until the store's digest of stored articles
changes: every write transaction that stores articles (in any process) updates that digest
(``mark_articles_stored``), so reading it first (one indexed lookup) tells a request whether
what it holds is current, and an ingest by any process shows in the next request. Used by the
subgraph's graph index (api/graph_index.py); the claim index (api/claim_index.py) follows the
same rule."""
from __future__ import annotations

import threading
import weakref
from typing import Callable, Generic, TypeVar

from graph.store import GraphStore

T = TypeVar("T")


class PerDigest(Generic[T]):
    """What ``build(store, digest)`` makes, held per store and rebuilt when the digest changes.
    The digest is read before the data, so what is held is never older than its digest."""

    def __init__(self, build: Callable[[GraphStore, int | None], T]):
        self._build = build
        self._held: "weakref.WeakKeyDictionary[GraphStore, tuple[int | None, T]]" = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def held(self, store: GraphStore) -> tuple[T | None, int | None]:
        """What is held for ``store`` if it is current (else None), and the store's digest now."""
        digest = store.query_once("api_store_digest")[0]["digest"]
        held = self._held.get(store)
        return (held[1] if held is not None and held[0] == digest else None), digest

    def get(self, store: GraphStore, digest: int | None = None) -> T:
        """The current data of ``store``: the one held, unless the digest (``digest`` if just
        read by :meth:`held`) changed since it was built; then built once, while concurrent
        callers wait for it."""
        if digest is None:
            value, digest = self.held(store)
            if value is not None:
                return value
        with self._lock:
            held = self._held.get(store)
            if held is None or held[0] != digest:
                held = self._held[store] = (digest, self._build(store, digest))
            return held[1]
