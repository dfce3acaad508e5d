"""Cypher lives in ``cypher/*.cypher`` as named blocks, aiosql style::

    -- name: entity_by_id
    -- Optional description lines.
    MATCH (e:Entity {id: $id}) RETURN e

Queries are called by name with parameters only; nothing is ever formatted into a statement.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from graph.errors import QueryNotFound

_NAME_LINE = re.compile(r"^--\s*name:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    file: str
    line: int
    doc: str
    text: str


def parse(text: str, file: str = "<string>") -> list[NamedQuery]:
    """Split one ``.cypher`` file into its named blocks."""
    queries: list[NamedQuery] = []
    current: dict | None = None

    def close() -> None:
        if current is not None:
            body = "\n".join(current["body"]).strip().rstrip(";").strip()
            queries.append(NamedQuery(current["name"], file, current["line"], "\n".join(current["doc"]), body))

    for number, line in enumerate(text.splitlines(), start=1):
        match = _NAME_LINE.match(line.strip())
        if match:
            close()
            current = {"name": match.group(1), "line": number, "doc": [], "body": []}
        elif current is None:
            continue
        elif line.strip().startswith("--") and not current["body"]:
            current["doc"].append(line.strip()[2:].strip())
        else:
            current["body"].append(line)
    close()
    return queries


@cache
def all_queries() -> dict[str, NamedQuery]:
    found: dict[str, NamedQuery] = {}
    for entry in sorted(resources.files("cypher").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".cypher"):
            continue
        for query in parse(entry.read_text(encoding="utf-8"), entry.name):
            if query.name in found:
                raise ValueError(f"query name {query.name!r} defined twice: {found[query.name].file} and {entry.name}")
            found[query.name] = query
    return found


def load(name: str) -> str:
    """The text of the named query."""
    try:
        return all_queries()[name].text
    except KeyError:
        raise QueryNotFound(f"no Cypher query named {name!r} in cypher/*.cypher", {"name": name}) from None


def in_file(file: str) -> list[NamedQuery]:
    """The queries of one file, in order (the schema is applied this way)."""
    return [q for q in all_queries().values() if q.file == file]
