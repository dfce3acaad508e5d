"""The graph store: one code path over the official ``neo4j`` driver, for the embedded ArcadeDB
server (the default) and a real Neo4j 5 at ``NEO4J_URI``.

Every call names the database (a pooled connection would otherwise keep the last one used),
runs in a managed transaction, and returns plain Python values::

    with GraphStore.open() as store:
        store.apply_schema()
        store.execute("some_write", id="x")
        rows = store.query("some_read", id="x")
"""
from __future__ import annotations

import contextlib
import datetime as dt
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import urlsplit

import neo4j
import neo4j.exceptions
import neo4j.graph
import neo4j.time

from graph import dialect as dialects
from graph import embedded, queries
from graph.errors import ConfigError, StoreAuthError, StoreError, StoreUnavailable
from graph.settings import Settings

T = TypeVar("T")

CONNECT_TIMEOUT_S = 5.0
"""Connection and verification together stay under the 10 s the user waits at most."""

TRANSACTION_RETRY_S = 15.0
"""How long a managed write transaction retries transient errors (conflicting writers, a restart)."""

READ_RETRY_S = 1.0
"""How long a read retries: once, a second later (a stale pooled connection, a server that just
restarted). Reads do not conflict with writers, and a store that is gone should be a 503 within
a couple of seconds, not after the 15 s writes may take."""

BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

ARCADEDB_HTTP_PORT = 2480
"""ArcadeDB's default HTTP port, for a non-embedded ArcadeDB reached at NEO4J_URI."""

_WRITE_CLAUSE = re.compile(r"(?<![.$])\b(CREATE|MERGE|SET|DELETE|REMOVE|DROP|FOREACH|LOAD\s+CSV)\b", re.IGNORECASE)
_IN_TRANSACTIONS = re.compile(r"\bIN\s+(?:\S+\s+CONCURRENT\s+)?TRANSACTIONS\b", re.IGNORECASE)
_LITERALS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*")


_AS_IS = frozenset({str, int, float, bool, type(None), bytes})


def plain(value: Any) -> Any:
    """A driver value as plain Python: temporal types to ``datetime``, nodes and relationships
    to their property dicts, paths to ``{"nodes": [...], "relationships": [...]}``."""
    # Exact type checks first: this runs on every value of every row, and rows of scalars,
    # lists and maps are most of what comes back (isinstance chains cost more than decoding).
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is list:
        return [item if type(item) in _AS_IS else plain(item) for item in value]
    if kind is dict:
        return {key: item if type(item) in _AS_IS else plain(item) for key, item in value.items()}
    if isinstance(value, (neo4j.time.Date, neo4j.time.DateTime, neo4j.time.Time)):
        return value.to_native()
    if isinstance(value, neo4j.time.Duration):
        return dt.timedelta(days=value.days + 30 * value.months, seconds=value.seconds, microseconds=value.nanoseconds // 1000)
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [plain(node) for node in value.nodes], "relationships": [plain(rel) for rel in value.relationships]}
    if isinstance(value, (neo4j.graph.Node, neo4j.graph.Relationship)):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def run(tx: neo4j.ManagedTransaction | neo4j.Session, name: str, /, **params: Any) -> list[dict]:
    """Run the named query inside ``tx`` (or as an auto-commit statement of a session); rows as
    plain dicts."""
    text = queries.load(name)
    if needs_autocommit(text):
        raise StoreError(f"query {name!r} uses CALL {{...}} IN TRANSACTIONS, which Neo4j refuses inside a transaction", {"name": name})
    result = tx.run(text, params)
    return [plain(dict(zip(record.keys(), record.values()))) for record in result]


def _refuse_writes(name: str) -> None:
    if writes(queries.load(name)):
        raise StoreError(f"query {name!r} writes; run it with execute()", {"name": name})


def writes(text: str) -> bool:
    """True when a statement has a write clause (outside strings and comments)."""
    return bool(_WRITE_CLAUSE.search(_LITERALS.sub(" ", text)))


def needs_autocommit(text: str) -> bool:
    """True for ``CALL {...} IN TRANSACTIONS``: Neo4j runs it only outside a transaction, while
    ArcadeDB accepts it anywhere, so it would pass here and fail on Neo4j; run() refuses it."""
    return bool(_IN_TRANSACTIONS.search(_LITERALS.sub(" ", text)))


BACKGROUND_JOIN_S = 30.0
"""How long :meth:`GraphStore.close` waits for background work to reach its next check."""


class GraphStore:
    settings: Settings
    database: str
    dialect: dialects.Dialect
    driver: neo4j.Driver

    def __init__(self, settings: Settings, server: embedded.ServerState | None = None):
        """Use :meth:`open`."""
        self.settings = settings
        self.database = settings.neo4j_database
        self.server = server
        """The embedded server's state (pid, ports), None for a server at NEO4J_URI."""
        self._home = settings.home.resolve()
        self._reconnecting = threading.Lock()
        self.closing = threading.Event()
        """Set by :meth:`close`: background work (:meth:`in_background`) stops at its next check."""
        self._background: list[threading.Thread] = []
        self._connect()

    @classmethod
    def open(cls, settings: Settings | None = None, *, start: bool = True) -> "GraphStore":
        """Connect, starting (or reusing) the embedded server when ``NEO4J_URI`` is unset; with
        ``start=False`` only a running one is used. Raises StoreUnavailable naming the URI, or
        StoreAuthError, within 10 s of a dead URI."""
        settings = settings or Settings.from_env()
        if not settings.embedded:
            return cls(settings)
        server = embedded.ensure_running(settings.home, settings.neo4j_database) if start else embedded.running_state(settings.home)
        if server is None:
            raise StoreUnavailable(f"the embedded store in {settings.home} is not running", {"home": str(settings.home)})
        return cls(settings, server)

    def _connect(self) -> None:
        self._watch = embedded.ServerWatch(self.server.pid, self._home) if self.server is not None else None
        if self.server is not None:
            uri, user, password = self.server.uri, "root", embedded.root_password(self.settings.home)
            http_url = self.server.http_url
        else:
            uri, user, password = self.settings.neo4j_uri, self.settings.neo4j_user, self.settings.neo4j_password
            http_url = f"http://{urlsplit(uri).hostname or '127.0.0.1'}:{ARCADEDB_HTTP_PORT}"
        try:
            self.driver = connect(uri, user, password, self.database)
        except StoreAuthError as error:
            if self.server is None:
                raise
            path = self.settings.home / embedded.PASSWORD_FILE
            raise StoreAuthError(f"{error.message} (the password in {path} no longer matches the store's)", error.details) from error
        self.uri = uri
        self.agent = self.driver.get_server_info().agent
        self.dialect = dialects.for_agent(self.agent, http_url=http_url, user=user, password=password)

    def in_background(self, name: str, work: Callable[[], None]) -> None:
        """Run ``work`` in a daemon thread that :meth:`close` waits for: the driver must not be
        closed under a query in flight. ``work`` should check :attr:`closing` between queries."""
        self._background = [thread for thread in self._background if thread.is_alive()]
        thread = threading.Thread(target=work, name=name, daemon=True)
        self._background.append(thread)
        thread.start()

    def close(self) -> None:
        self.closing.set()
        for thread in self._background:
            thread.join(timeout=BACKGROUND_JOIN_S)
        self.driver.close()
        if self._watch is not None:
            self._watch.close()

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- statements ----------------------------------------------------------------------------

    def _session(self, **config: Any) -> neo4j.Session:
        """A session on our database. An embedded server that died (kill -9) since the last call
        is noticed here (its pid is gone) and restarted on the same data before going on; one
        stopped on purpose (its state file removed) stays stopped."""
        if self._watch is not None and not self._watch.alive():
            with self._reconnecting:
                if not embedded.pid_is_server(self.server.pid, self._home):
                    if embedded.read_state(self.settings.home) is None:
                        raise StoreUnavailable(
                            f"the embedded store in {self.settings.home} was stopped; `newsgraph store start` starts it again",
                            {"home": str(self.settings.home), "uri": self.uri},
                        )
                    self.driver.close()
                    self._watch.close()
                    self.server = embedded.ensure_running(self.settings.home, self.database)
                    self._connect()
        return self.driver.session(database=self.database, **config)

    def read(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        """Run ``work`` in one managed read transaction."""
        with self._session(max_transaction_retry_time=READ_RETRY_S) as session, _translate_errors(self.uri):
            return session.execute_read(work)

    def write(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        """Run ``work`` in one managed write transaction: all of it commits, or none."""
        with self._session() as session, _translate_errors(self.uri):
            return session.execute_write(work)

    def query(self, name: str, /, **params: Any) -> list[dict]:
        """Run a named read query. ArcadeDB does not enforce read mode, so a statement with a
        write clause is refused here for every server alike."""
        _refuse_writes(name)
        return self.read(lambda tx: run(tx, name, **params))

    def query_once(self, name: str, /, **params: Any) -> list[dict]:
        """A named read query as one auto-commit statement, not retried: one round trip to the
        server where a transaction takes three (begin, run and pull, commit). For the small
        lookup every API request makes first (the store digest), where the round trips were
        most of its cost."""
        _refuse_writes(name)
        with self._session(default_access_mode=neo4j.READ_ACCESS) as session, _translate_errors(self.uri):
            return run(session, name, **params)

    def execute(self, name: str, /, **params: Any) -> list[dict]:
        """Run a named write query in its own transaction."""
        return self.write(lambda tx: run(tx, name, **params))

    # -- schema and introspection ----------------------------------------------------------------

    def apply_schema(self) -> None:
        """Constraints and indexes of ``cypher/schema.cypher`` (idempotent), then the dialect's
        full-text indexes. Schema statements each run in their own transaction."""
        for statement in queries.in_file("schema.cypher"):
            self.execute(statement.name)
        self.dialect.create_fulltext_indexes(self)

    def counts(self) -> dict:
        nodes = {row["label"]: row["count"] for row in self.query("store_count_nodes_by_label")}
        relationships = {row["type"]: row["count"] for row in self.query("store_count_relationships_by_type")}
        return {"nodes": nodes, "relationships": relationships}

    def info(self) -> dict:
        info = {
            "uri": self.uri,
            "agent": self.agent,
            "server_version": dialects.server_version(self.agent),
            "dialect": self.dialect.name,
            "database": self.database,
            "embedded": self.server is not None,
        }
        if self.server is not None:
            info.update(home=str(self.settings.home), pid=self.server.pid, http_url=self.server.http_url, package_version=self.server.version)
        return info

    def fulltext(self, index: str, text: str, limit: int = 10) -> list[dict]:
        """Nodes of a full-text index matching the words of ``text``, best first:
        ``[{"id", "name", "labels", "score"}]``. Text without words matches nothing."""
        lucene = dialects.fulltext_query(text)
        if not lucene:
            return []
        return self.query("store_fulltext_nodes", index=index, query=lucene, limit=int(limit))


@contextlib.contextmanager
def _translate_errors(uri: str) -> Iterator[None]:
    """Driver exceptions as our errors, naming the URI, on one line."""
    try:
        yield
    except neo4j.exceptions.AuthError as error:
        raise StoreAuthError(f"the graph store at {uri} refused the credentials: {_one_line(error.message)}", {"uri": uri}) from error
    except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired) as error:
        raise StoreUnavailable(f"the graph store at {uri} is unavailable: {_one_line(str(error))}", {"uri": uri}) from error
    except neo4j.exceptions.Neo4jError as error:
        raise StoreError(
            f"the graph store at {uri} refused a statement: {_one_line(error.message)}", {"uri": uri, "code": error.code}
        ) from error
    except neo4j.exceptions.DriverError as error:
        raise StoreError(f"the graph store at {uri} failed: {_one_line(str(error))}", {"uri": uri}) from error


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def connect(uri: str, user: str, password: str | None, database: str) -> neo4j.Driver:
    """A verified driver, or StoreUnavailable/StoreAuthError naming the URI within 10 s."""
    scheme = urlsplit(uri).scheme
    if scheme not in BOLT_SCHEMES:
        raise ConfigError(
            f"the graph store URI {uri!r} is not usable: the scheme must be one of {', '.join(BOLT_SCHEMES)}", {"uri": uri}
        )
    auth = neo4j.basic_auth(user, password) if password is not None else None
    try:
        driver = neo4j.GraphDatabase.driver(
            uri,
            auth=auth,
            connection_timeout=CONNECT_TIMEOUT_S,
            connection_acquisition_timeout=CONNECT_TIMEOUT_S,
            max_transaction_retry_time=TRANSACTION_RETRY_S,
        )
    except (ValueError, neo4j.exceptions.ConfigurationError) as error:
        raise ConfigError(f"the graph store URI {uri!r} is not usable: {error}", {"uri": uri}) from error
    try:
        with _translate_errors(uri):
            driver.verify_connectivity()
            # Also proves the database exists (Neo4j answers DatabaseNotFound otherwise).
            driver.execute_query(queries.load("store_ping"), database_=database)
    except (ValueError, OSError) as error:  # the driver's own address resolution
        driver.close()
        raise StoreUnavailable(f"the graph store at {uri} is unavailable: {_one_line(str(error))}", {"uri": uri}) from error
    except Exception:
        driver.close()
        raise
    return driver
