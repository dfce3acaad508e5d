"""Every named statement in cypher/*.cypher passes Neo4j's own linter
(npm @neo4j-cypher/language-support, pinned in tools/cypher-lint), so what runs on the embedded
ArcadeDB is also valid Neo4j 5 Cypher. Needs `make lint-deps` (part of `make test`)."""
from __future__ import annotations

import json
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

from graph import queries

ROOT = Path(__file__).resolve().parents[1]
LINT_DIR = ROOT / "tools" / "cypher-lint"
BROKEN = Path(__file__).parent / "data" / "broken.cypher"


def lint(statements: list[queries.NamedQuery]) -> dict[str, list[dict]]:
    """Diagnostics per statement name, from tools/cypher-lint/lint.mjs."""
    if shutil.which("node") is None:
        pytest.fail("node is not installed: the Cypher linter needs Node.js 20")
    if not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        pytest.fail(f"the Cypher linter is not installed in {LINT_DIR / 'node_modules'}: run `make lint-deps`")
    payload = json.dumps([{"name": q.name, "file": q.file, "text": q.text} for q in statements])
    done = subprocess.run(
        ["node", "lint.mjs"], cwd=LINT_DIR, input=payload, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"lint.mjs failed: {done.stderr}"
    return {row["name"]: row["diagnostics"] for row in json.loads(done.stdout)}


@cache
def project_diagnostics() -> dict[str, list[dict]]:
    return lint(list(queries.all_queries().values()))


def statement_line(query: queries.NamedQuery) -> int:
    """Line of the file where the statement starts (after the name and description lines)."""
    return query.line + 1 + (query.doc.count("\n") + 1 if query.doc else 0)


def errors_of(diagnostics: list[dict]) -> list[dict]:
    return [d for d in diagnostics if d["severity"] == "error"]


CYPHER_FILES = sorted({query.file for query in queries.all_queries().values()})


def test_there_are_statements_to_lint():
    assert "schema.cypher" in CYPHER_FILES and "store.cypher" in CYPHER_FILES


@pytest.mark.parametrize("file", CYPHER_FILES)
def test_every_named_statement_passes_the_neo4j_linter(file):
    diagnostics = project_diagnostics()
    statements = [q for q in queries.all_queries().values() if q.file == file]
    failures = [
        f"cypher/{q.file}:{statement_line(q) + d['line'] - 1} {q.name}: {d['message']}"
        for q in statements
        for d in errors_of(diagnostics[q.name])
    ]
    assert not failures, "Neo4j's linter rejects:\n" + "\n".join(failures)


def test_the_linter_rejects_broken_statements():
    statements = queries.parse(BROKEN.read_text(encoding="utf-8"), BROKEN.name)
    diagnostics = lint(statements)
    assert errors_of(diagnostics["valid_control"]) == []
    broken = [q.name for q in statements if q.name.startswith("broken_")]
    assert len(broken) == 5
    accepted = [name for name in broken if not errors_of(diagnostics[name])]
    assert accepted == [], f"the linter accepted broken statements: {accepted}"
    messages = {name: " ".join(d["message"] for d in diagnostics[name]) for name in broken}
    assert "apoc.create.addLabels" in messages["broken_unknown_procedure"]
    assert "made_up_function" in messages["broken_unknown_function"]
    assert "one statement" in messages["broken_two_statements"]
