"""Settings of the API and its dependencies: the one GraphStore (owned by the app's lifespan),
the API key check for writes."""
from __future__ import annotations

import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool

from graph.errors import ConfigError, Forbidden, StoreUnavailable, Unauthorized
from graph.settings import Settings
from graph.store import GraphStore

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
MAX_OFFSET = 100_000
MAX_DEPTH = 3
MAX_SUBGRAPH_NODES = 1000
MAX_HOPS = 6
MAX_BATCH_ARTICLES = 20


def _number_env(env, name: str, default, kind: type):
    """A number from the environment (``kind`` int or float), the default when unset."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return kind(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not {'an integer' if kind is int else 'a number'}", {"variable": name}) from None


@dataclass(frozen=True)
class ApiSettings:
    graph: Settings
    api_key: str | None = None
    """Key required in ``X-API-Key`` for writes; writes are refused when it is not configured."""
    enable_cypher: bool = False
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = 2_000_000
    cypher_row_cap: int = 1000
    cypher_timeout: float = 5.0
    """Wall-clock seconds for one ``POST /cypher`` statement."""
    store_retry_interval: float = 5.0
    """After a failed connection, requests answer 503 at once for this long before retrying."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "ApiSettings":
        env = os.environ if environ is None else environ
        origins = tuple(o.strip() for o in (env.get("NEWSGRAPH_CORS_ORIGINS") or "").split(",") if o.strip())
        return cls(
            graph=Settings.from_env(environ),
            api_key=env.get("NEWSGRAPH_API_KEY") or None,
            enable_cypher=(env.get("NEWSGRAPH_ENABLE_CYPHER") or "").strip().lower() in {"1", "true", "yes", "on"},
            cors_origins=origins,
            max_body_bytes=_number_env(env, "NEWSGRAPH_MAX_BODY_BYTES", 2_000_000, int),
            cypher_row_cap=_number_env(env, "NEWSGRAPH_CYPHER_ROW_CAP", 1000, int),
            cypher_timeout=_number_env(env, "NEWSGRAPH_CYPHER_TIMEOUT", 5.0, float),
        )


@dataclass
class StoreHolder:
    """The app's one GraphStore. Opened by the lifespan; when the store cannot be reached the app
    still starts and answers 503, retrying the connection at most every ``retry_interval`` s."""

    settings: Settings
    retry_interval: float
    store: GraphStore | None = None
    owned: bool = True
    last_error: StoreUnavailable | None = None
    _last_attempt: float = float("-inf")
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self) -> GraphStore:
        if self.store is not None:
            if self.last_error is not None and time.monotonic() - self._last_attempt < self.retry_interval:
                raise self.last_error  # the store just failed: answer 503 at once, not after the driver's retries
            return self.store
        with self._lock:
            if self.store is not None:
                return self.store
            if self.last_error is not None and time.monotonic() - self._last_attempt < self.retry_interval:
                raise self.last_error
            self.connect()
            if self.store is None:
                assert self.last_error is not None
                raise self.last_error
            return self.store

    def connect(self) -> None:
        from graph.errors import NewsgraphError

        self._last_attempt = time.monotonic()
        try:
            self.store = GraphStore.open(self.settings)
            self.last_error = None
        except NewsgraphError as error:
            target = self.settings.neo4j_uri or f"the embedded store in {self.settings.home}"
            self.last_error = StoreUnavailable(
                f"the graph store is not reachable ({target}): {error.message}",
                {"store": target, "cause": error.code},
            )

    def mark_down(self, error: StoreUnavailable) -> None:
        """The store stopped answering during a request: for ``retry_interval`` s, further requests
        get 503 at once; the next one after that tries the store again."""
        self.last_error = error
        self._last_attempt = time.monotonic()

    def close(self) -> None:
        if self.store is not None and self.owned:
            self.store.close()
        self.store = None


def get_settings(request: Request) -> ApiSettings:
    return request.app.state.settings


def get_store(request: Request) -> GraphStore:
    return request.app.state.store_holder.get()


async def get_store_on_loop(request: Request) -> GraphStore:
    """:func:`get_store` for endpoints that run on the event loop: the connected store at once
    (no hand-off to a worker thread); connecting, or answering 503 while the store is down,
    still happens in a worker thread, so a slow connection never blocks the loop."""
    holder: StoreHolder = request.app.state.store_holder
    if holder.store is not None and holder.last_error is None:
        return holder.store
    return await run_in_threadpool(holder.get)


SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
LoopStoreDep = Annotated[GraphStore, Depends(get_store_on_loop)]


def require_api_key(
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="the key configured in NEWSGRAPH_API_KEY")] = None,
) -> None:
    if not settings.api_key:
        raise Forbidden("writes are disabled: no API key is configured (set NEWSGRAPH_API_KEY on the server)")
    if not x_api_key:
        raise Unauthorized("this endpoint writes to the graph and needs the API key in the X-API-Key header")
    if not secrets.compare_digest(x_api_key.encode(), settings.api_key.encode()):
        raise Unauthorized("the X-API-Key header does not match the configured API key")


ApiKeyDep = Annotated[None, Depends(require_api_key)]
