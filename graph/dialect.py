"""What differs between the servers we speak Bolt to, chosen by what the server reports.

``driver.get_server_info().agent`` is ``"Neo4j/5.26.0"`` for Neo4j and
``"Neo4j/5.26.0 compatible (ArcadeDB 26.10.2)"`` for ArcadeDB. Everything else in the code is one
Cypher path; the differences found so far:

- Full-text indexes: ArcadeDB rejects ``CREATE FULLTEXT INDEX`` ("Only standard, RANGE and TEXT
  index types are supported"). It makes one with SQL over its HTTP API (the type and a typed
  property must exist first); ``db.index.fulltext.queryNodes`` then finds it by the same name.
- ArcadeDB does not enforce READ access mode nor driver query timeouts: GraphStore.query checks
  statements for write clauses itself (see ``graph.store``), for both servers alike.
- ArcadeDB keeps a multi-label node as a composite type (``Entity~Person``, subtype of
  ``Entity`` and ``Person``); ``labels(n)``, label matching and unique constraints on ``Entity``
  behave like Neo4j's. Dynamic labels do not: ``MERGE``/``CREATE (n:$($label))`` silently make
  a node without labels and ``MERGE (n:Entity {id: $id}) SET n:$($label)`` fails; write static
  labels (one statement per type).
- ArcadeDB accepts ``CALL {...} IN TRANSACTIONS`` inside a transaction, Neo4j does not:
  ``graph.store.run`` refuses such statements on both.
- ``SHOW PROCEDURES`` answers nothing and ``dbms.procedures()`` is unknown on ArcadeDB; an
  unknown full-text index name gives a generic "Error executing procedure".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.store import GraphStore


@dataclass(frozen=True)
class FulltextIndex:
    name: str
    label: str
    property: str


FULLTEXT_INDEXES: tuple[FulltextIndex, ...] = (FulltextIndex("entity_search", "Entity", "search_text"),)
"""Full-text indexes of the schema; Neo4j creates each with the named query
``store_create_fulltext_<name>`` in ``cypher/store.cypher``."""

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case and strip accents: the form ``search_text`` is stored in."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def fulltext_query(text: str) -> str:
    """A Lucene query for user text: its words (no operators or syntax survive), the last one
    also as a prefix so that partly typed names match. Empty when the text has no words."""
    words = _WORD.findall(fold(text))
    if not words:
        return ""
    return " ".join([*words, f"{words[-1]}*"])


class Dialect:
    name = "neo4j"

    def create_fulltext_indexes(self, store: "GraphStore") -> None:
        for index in FULLTEXT_INDEXES:
            store.execute(f"store_create_fulltext_{index.name}")


class ArcadeDBDialect(Dialect):
    name = "arcadedb"

    def __init__(self, http_url: str, user: str, password: str | None):
        self.http_url = http_url
        self.user = user
        self.password = password

    def sql(self, database: str, command: str) -> dict:
        from graph.embedded import http_command

        return http_command(
            self.http_url, self.password or "", f"/api/v1/command/{database}", {"language": "sql", "command": command}, user=self.user
        )

    def create_fulltext_indexes(self, store: "GraphStore") -> None:
        # Names come from FULLTEXT_INDEXES above, never from input.
        for index in FULLTEXT_INDEXES:
            self.sql(store.database, f"CREATE VERTEX TYPE `{index.label}` IF NOT EXISTS")
            self.sql(store.database, f"CREATE PROPERTY `{index.label}`.`{index.property}` IF NOT EXISTS STRING")
            self.sql(store.database, f"CREATE INDEX `{index.name}` IF NOT EXISTS ON `{index.label}` (`{index.property}`) FULL_TEXT")


_ARCADEDB_AGENT = re.compile(r"\(ArcadeDB ([^)]+)\)")
_NEO4J_AGENT = re.compile(r"Neo4j/(\S+)")


def server_version(agent: str) -> str:
    """The server's own version from its Bolt agent string."""
    if match := _ARCADEDB_AGENT.search(agent):
        return match.group(1)
    if match := _NEO4J_AGENT.search(agent):
        return match.group(1)
    return agent


def for_agent(agent: str, *, http_url: str, user: str, password: str | None) -> Dialect:
    if "ArcadeDB" in agent:
        return ArcadeDBDialect(http_url, user, password)
    return Dialect()
