"""GET /claims (who said what) and GET /claims/conflicts."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool

from api import reads
from api.deps import LoopStoreDep, StoreDep
from api.routers.params import DEFAULT_LIMIT, check_dates, Limit, Offset, OptionalText, Since, Until
from api.schemas import ClaimRow, ConflictGroup, Page
from graph.errors import InputError
from graph.model import ClaimKind

router = APIRouter(prefix="/claims", tags=["claims"])


@router.get("", response_model=Page[ClaimRow], summary="Who said what")
async def list_claims(
    store: LoopStoreDep,
    about: Annotated[str | None, Query(min_length=1, max_length=200, description="entity id or name the claims are about; 'troops' selects claims giving a troop number")] = None,
    speaker: Annotated[str | None, Query(min_length=1, max_length=200, description="speaker entity id or name (also matches unresolved speakers by text)")] = None,
    kind: ClaimKind | None = None,
    min_value: Annotated[float | None, Query(ge=0, le=1e12, description="a quantity of the claim reaches at least this")] = None,
    max_value: Annotated[float | None, Query(ge=0, le=1e12, description="a quantity of the claim is at most this")] = None,
    since: Since = None,
    until: Until = None,
    article: OptionalText = None,
    include_duplicates: Annotated[bool, Query(description="also list the copies of a claim in near-duplicate articles")] = False,
    order: Literal["asc", "desc"] = "asc",
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> Response:
    if min_value is not None and max_value is not None and min_value > max_value:
        raise InputError(f"min_value {min_value:g} is greater than max_value {max_value:g}", {"min_value": min_value, "max_value": max_value})
    check_dates(since, until)
    filters = reads.ClaimFilters(
        about=about, speaker=speaker, kind=kind, min_value=min_value, max_value=max_value, since=since,
        until=until, article=article, include_duplicates=include_duplicates, descending=order == "desc",
    )
    # On the event loop when the claim index holds everything the page needs (one digest read
    # and a ms or two of Python, less than handing it to a worker thread); otherwise, as after
    # an ingest, in a worker thread. The rows are JSON already: sent as they are, not validated
    # again (response_model still documents them).
    body, digest = reads.held_claims_json(store, filters, limit=limit, offset=offset)
    if body is None:
        body = await run_in_threadpool(reads.list_claims_json, store, filters, limit=limit, offset=offset, digest=digest)
    return Response(body, media_type="application/json")


@router.get("/conflicts", response_model=Page[ConflictGroup], summary="Claims that disagree")
def conflicts(
    store: StoreDep,
    about: Annotated[str | None, Query(min_length=1, max_length=200, description="entity id or name; 'troops' keeps groups giving troop numbers")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[ConflictGroup]:
    return reads.claim_conflicts(store, about=about, limit=limit, offset=offset)
