"""Read-only Cypher for ``POST /cypher``.

The embedded store does not enforce READ access mode or driver timeouts, so this module does:

1. Up front, on the statement with comments, strings and quoted names blanked out: one statement
   only; no clause that writes or administers (``CREATE``, ``MERGE``, ``SET``, ``DELETE``, ``REMOVE``,
   ``DROP``, ``LOAD CSV``, ``FOREACH``, ``IN TRANSACTIONS``, ...); procedures only from a short
   allow-list of read-only ones; namespaced functions only from the temporal and spatial
   namespaces (``apoc.*`` and friends can write or reach files and the network).
2. At run time: an explicit transaction (READ access mode, which a real Neo4j enforces too) that is
   rolled back whatever happens; a statement whose summary counters show any update is refused.
3. A wall-clock limit: rows are pulled in a worker thread and the request gives up at the limit;
   at most ``MAX_CONCURRENT`` statements run at once, so runaway queries cannot pile up.
"""
from __future__ import annotations

import concurrent.futures
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import neo4j
import neo4j.exceptions
import neo4j.graph
import neo4j.spatial
import neo4j.time

from graph.errors import InvalidQuery, NewsgraphError, QueryRefused, QueryTimeout, StoreUnavailable

MAX_CONCURRENT = 2


class CypherBusy(NewsgraphError):
    code = "NG123"
    http_status = 429

WRITE_KEYWORDS = frozenset({
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "LOAD", "CSV", "FOREACH",
    "ALTER", "GRANT", "REVOKE", "DENY", "RENAME", "START", "STOP", "TERMINATE", "USE", "SHOW",
    "ENABLE", "TRANSACTIONS", "PERIODIC", "COMMIT", "INSERT", "IMPORT", "EXPORT", "DEALLOCATE",
    "REALLOCATE", "ADMINISTRATOR", "DATABASE", "DATABASES",
})

READ_ONLY_PROCEDURES = frozenset({
    "db.labels",
    "db.relationshiptypes",
    "db.propertykeys",
    "db.schema.visualization",
    "db.schema.nodetypeproperties",
    "db.schema.reltypeproperties",
    "db.index.fulltext.querynodes",
    "db.index.fulltext.queryrelationships",
    "dbms.components",
})

FUNCTION_NAMESPACES = frozenset({"date", "datetime", "localdatetime", "localtime", "time", "duration", "point"})

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_DOTTED = rf"{_NAME}(?:\s*\.\s*{_NAME})*"
_CALL = re.compile(rf"\bCALL\s+(?P<target>\{{|\(|`|{_DOTTED})", re.IGNORECASE)
_NAMESPACED_FUNCTION = re.compile(rf"(?<![\w.$])(?P<name>{_NAME}(?:\s*\.\s*{_NAME})+)\s*\(")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUOTED_CALL = re.compile(r"`[^`]*`\s*(?:\.|\()")


def blank_out(text: str) -> str:
    """The statement with comments, string literals and backticked names replaced by spaces or
    placeholders, so that the checks only see Cypher structure. Raises QueryRefused on an
    unterminated comment, string or name."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        pair = text[i:i + 2]
        if pair == "//":
            end = text.find("\n", i)
            i = n if end == -1 else end
            out.append(" ")
        elif pair == "/*":
            end = text.find("*/", i + 2)
            if end == -1:
                raise QueryRefused("the statement has an unterminated /* comment", {"position": i})
            out.append(" ")
            i = end + 2
        elif char in "'\"":
            j = i + 1
            while j < n and text[j] != char:
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise QueryRefused("the statement has an unterminated string literal", {"position": i})
            out.append("''")
            i = j + 1
        elif char == "`":
            end = text.find("`", i + 1)
            while end != -1 and text[end + 1:end + 2] == "`":  # `` escapes a backtick inside a name
                end = text.find("`", end + 2)
            if end == -1:
                raise QueryRefused("the statement has an unterminated `quoted name`", {"position": i})
            out.append("`q`")
            i = end + 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def check_statement(text: str) -> str:
    """Refuse, before running it, a statement that could write or reach outside the graph.
    Returns the statement to run (a trailing semicolon removed)."""
    structure = blank_out(text).strip()
    if ";" in structure:
        if structure.rstrip(";").count(";") or not structure.endswith(";"):
            raise QueryRefused("only one statement per request: remove the ';' separated statements")
        structure = structure.rstrip(";").rstrip()
        text = text.rstrip().rstrip(";")
    if not structure:
        raise QueryRefused("the statement is empty once comments are removed")
    for word in _WORD.findall(structure):
        if word.upper() in WRITE_KEYWORDS:
            raise QueryRefused(
                f"{word.upper()} is not allowed: POST /cypher is read-only", {"keyword": word.upper()}
            )
    if _QUOTED_CALL.search(structure):
        raise QueryRefused("quoted procedure or function names are not allowed on the read-only endpoint")
    for match in _CALL.finditer(structure):
        target = match.group("target")
        if target in {"{", "("}:
            continue  # a subquery: its clauses are checked like the rest of the statement
        name = re.sub(r"\s+", "", target)
        if name.lower() not in READ_ONLY_PROCEDURES:
            raise QueryRefused(
                f"procedure {name} is not on the read-only allow-list",
                {"procedure": name, "allowed": sorted(READ_ONLY_PROCEDURES)},
            )
    for match in _NAMESPACED_FUNCTION.finditer(structure):
        name = re.sub(r"\s+", "", match.group("name"))
        preceding = structure[:match.start()].rstrip()
        if re.search(r"\bCALL$", preceding, re.IGNORECASE):
            continue  # a procedure, checked above
        namespace = name.split(".")[0].lower()
        if namespace not in FUNCTION_NAMESPACES:
            raise QueryRefused(
                f"function {name} is not allowed on the read-only endpoint "
                f"(namespaced functions only from {', '.join(sorted(FUNCTION_NAMESPACES))})",
                {"function": name},
            )
    return text


def to_json(value: Any) -> Any:
    """A value from the driver as JSON: nodes, relationships and paths as dicts, temporal values
    as ISO strings."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, neo4j.graph.Node):
        return {"element_id": value.element_id, "labels": sorted(value.labels),
                "properties": to_json(dict(value))}
    if isinstance(value, neo4j.graph.Relationship):
        return {"element_id": value.element_id, "type": value.type,
                "start": value.start_node.element_id if value.start_node else None,
                "end": value.end_node.element_id if value.end_node else None,
                "properties": to_json(dict(value))}
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [to_json(n) for n in value.nodes],
                "relationships": [to_json(r) for r in value.relationships]}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, neo4j.spatial.Point):
        return {"srid": value.srid, "coordinates": list(value)}
    if isinstance(value, (neo4j.time.Date, neo4j.time.DateTime, neo4j.time.Time)):
        return value.iso_format()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


@dataclass
class CypherResult:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    elapsed_ms: float


class ReadOnlyRunner:
    """Runs checked statements against one store with a row cap and a wall-clock limit."""

    def __init__(self, max_concurrent: int = MAX_CONCURRENT):
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=max_concurrent, thread_name_prefix="cypher")

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def run(self, store, text: str, parameters: dict[str, Any], *, row_cap: int, timeout: float) -> CypherResult:
        statement = check_statement(text)
        if not self._slots.acquire(blocking=False):
            raise CypherBusy(
                f"{MAX_CONCURRENT} read-only Cypher statements are already running; retry shortly",
                {"retry": True},
            )
        deadline = time.monotonic() + timeout
        cancelled = threading.Event()
        started = time.perf_counter()
        try:
            future = self._pool.submit(self._work, store, statement, parameters, row_cap, timeout, deadline, cancelled)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        try:
            columns, rows, truncated = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except concurrent.futures.TimeoutError:
            cancelled.set()
            raise QueryTimeout(
                f"the statement ran past the {timeout:g} s limit and was abandoned (rolled back)",
                {"timeout_seconds": timeout},
            ) from None
        return CypherResult(columns, rows, truncated, round((time.perf_counter() - started) * 1000, 2))

    @staticmethod
    def _work(store, statement, parameters, row_cap, timeout, deadline, cancelled):
        try:
            with store.driver.session(database=store.database, default_access_mode=neo4j.READ_ACCESS) as session:
                tx = session.begin_transaction(timeout=timeout)
                try:
                    result = tx.run(statement, parameters)
                    columns = list(result.keys())
                    rows: list[list[Any]] = []
                    truncated = False
                    for record in result:
                        if cancelled.is_set() or time.monotonic() > deadline:
                            raise QueryTimeout("the statement ran past its time limit")
                        if len(rows) == row_cap:
                            truncated = True
                            break
                        rows.append([to_json(v) for v in record.values()])
                    summary = result.consume()
                    counters = summary.counters
                    if counters.contains_updates or counters.contains_system_updates:
                        raise QueryRefused(
                            "the statement tried to change the graph and was rolled back: POST /cypher is read-only",
                            {"counters": {k: v for k, v in vars(counters).items() if v and not k.startswith("_")}},
                        )
                    return columns, rows, truncated
                finally:
                    tx.rollback()
        except (OverflowError, ValueError, TypeError) as error:
            # The driver refuses parameter values Bolt cannot carry (integers beyond 64 bits, ...).
            raise InvalidQuery(f"a parameter cannot be sent to the store: {error}", {"parameters": sorted(parameters)}) from None
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired) as error:
            raise StoreUnavailable(f"the graph store stopped answering: {error}") from None
        except neo4j.exceptions.ClientError as error:
            raise InvalidQuery(
                f"the store rejected the statement: {error.message or error}",
                {"neo4j_code": error.code},
            ) from None
        except neo4j.exceptions.Neo4jError as error:
            raise InvalidQuery(
                f"the statement failed in the store: {error.message or error}", {"neo4j_code": error.code}
            ) from None
