"""GET /health: the store is reachable, and the versions in use."""
from __future__ import annotations

import platform
from importlib import metadata
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.schemas import HealthOut

router = APIRouter(tags=["health"])


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


@router.get("/health", response_model=HealthOut, summary="Store reachable, versions")
def health(
    store: StoreDep,
    counts: Annotated[bool, Query(description="also count nodes and relationships (slow on big graphs)")] = False,
) -> HealthOut:
    store.query("store_ping")
    info = {k: v for k, v in store.info().items() if k not in {"pid"}}
    versions = {
        "newsgraph": _version("newsgraph"),
        "python": platform.python_version(),
        "fastapi": _version("fastapi"),
        "neo4j_driver": _version("neo4j"),
        "store_server": str(info.get("server_version", "")),
    }
    return HealthOut(status="ok", store=info, versions=versions, counts=store.counts() if counts else None)
