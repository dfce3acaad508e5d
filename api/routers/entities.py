"""GET /entities (search) and GET /entities/{id} (profile)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api import reads
from api.deps import StoreDep
from api.routers.params import DEFAULT_LIMIT, Limit, Offset
from api.schemas import EntityHit, EntityProfile, Page
from graph.model import EntityType

router = APIRouter(prefix="/entities", tags=["entities"])


@router.get("", response_model=Page[EntityHit], summary="Search entities by name or alias")
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="name or alias; case- and accent-insensitive, the last word may be partly typed")],
    type: EntityType | None = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> Page[EntityHit]:
    return reads.search_entities(store, q, type=type, limit=limit, offset=offset)


@router.get("/{entity_id}", response_model=EntityProfile, summary="Entity profile")
def profile(
    store: StoreDep,
    entity_id: Annotated[str, Path(min_length=1, max_length=200, description="entity id (or name)")],
) -> EntityProfile:
    return reads.entity_profile(store, entity_id)
