"""One settings object, read from the environment."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _default_home() -> Path:
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "newsgraph"


@dataclass(frozen=True)
class Settings:
    neo4j_uri: str | None
    """Bolt URI of a real Neo4j (or other Bolt server); None means the embedded store."""
    neo4j_user: str
    neo4j_password: str | None
    neo4j_database: str
    home: Path
    """Data directory: the embedded store, its password and state file live here."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        home = env.get("NEWSGRAPH_HOME")
        return cls(
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_user=env.get("NEO4J_USER") or ("neo4j" if env.get("NEO4J_URI") else "root"),
            neo4j_password=env.get("NEO4J_PASSWORD") or None,
            neo4j_database=env.get("NEO4J_DATABASE") or ("neo4j" if env.get("NEO4J_URI") else "newsgraph"),
            home=Path(home).expanduser().resolve() if home else _default_home(),
        )

    @property
    def embedded(self) -> bool:
        return self.neo4j_uri is None
