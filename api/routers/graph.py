"""GET /subgraph, GET /paths, GET /timeline: the graph around and between entities."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi.concurrency import run_in_threadpool

from api import reads
from api.graph_index import SUBGRAPH_EDGE_TYPES, current_index, graph_index
from api.deps import MAX_DEPTH, MAX_HOPS, MAX_SUBGRAPH_NODES, LoopStoreDep, StoreDep
from api.routers.params import DEFAULT_LIMIT, check_dates, EntityRefParam, Limit, Offset, Since, Until
from api.schemas import Page, PathsOut, TimelineItem
from graph.errors import InputError
from graph.model import ENTITY_TYPES, Subgraph

router = APIRouter(tags=["graph"])

EdgeType = Literal[SUBGRAPH_EDGE_TYPES]  # type: ignore[valid-type]
NodeType = Literal[(*ENTITY_TYPES, "Claim")]  # type: ignore[valid-type]


@dataclass(frozen=True)
class SubgraphParams:
    centers: list[str]
    depth: int
    limit: int
    filters: reads.SubgraphFilters


async def subgraph_params(
    center: Annotated[list[str], Query(min_length=1, max_length=10, description="entity ids or names (repeat for several)")],
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="hops from the centers; a claim node is a hop")] = 1,
    rel_types: Annotated[list[EdgeType] | None, Query(description="edge types to follow (default all)")] = None,
    node_types: Annotated[list[NodeType] | None, Query(description="node types to include besides the centers (default all)")] = None,
    since: Since = None,
    until: Until = None,
    source: Annotated[str | None, Query(min_length=1, max_length=200, description="only evidence from this outlet")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_SUBGRAPH_NODES, description=f"at most this many nodes (<= {MAX_SUBGRAPH_NODES})")] = 200,
) -> SubgraphParams:
    """The query parameters of ``GET /subgraph`` (and ``GET /view``), checked. Async: it does
    no I/O, so FastAPI runs it on the event loop instead of handing it to a worker thread."""
    check_dates(since, until)
    for ref in center:
        if not ref.strip() or len(ref) > 200:
            raise InputError(f"center {ref[:50]!r} must be an entity id or name of 1 to 200 characters", {"center": ref[:200]})
    filters = reads.SubgraphFilters(
        rel_types=rel_types, node_types=node_types, since=since, until=until, source=source, min_confidence=min_confidence,
    )
    return SubgraphParams(centers=center, depth=depth, limit=limit, filters=filters)


SubgraphParamsDep = Annotated[SubgraphParams, Depends(subgraph_params)]


@router.get("/subgraph", response_model=Subgraph, summary="The graph around one or more entities")
async def subgraph(store: LoopStoreDep, params: SubgraphParamsDep) -> Response:
    # On the event loop: with the graph in memory (api/graph_index.py) a subgraph costs a small
    # query and a ms or two of Python, less than handing it to a worker thread; only rebuilding
    # the index goes to one. The JSON is assembled from pieces serialised once; response_model
    # still documents it.
    index, digest = current_index(store)
    if index is None:
        index = await run_in_threadpool(graph_index, store, digest)
    return Response(reads.subgraph_json(store, params.centers, depth=params.depth, limit=params.limit,
                                        filters=params.filters, index=index), media_type="application/json")


def subgraph_model(store: StoreDep, params: SubgraphParamsDep) -> Subgraph:
    """The subgraph of the request as a model (for ``GET /view``)."""
    return reads.subgraph(store, params.centers, depth=params.depth, limit=params.limit, filters=params.filters)


@router.get("/paths", response_model=PathsOut, summary="Shortest paths between two entities")
def paths(
    store: StoreDep,
    from_: Annotated[str, Query(alias="from", min_length=1, max_length=200, description="entity id or name")],
    to: EntityRefParam,
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 4,
    limit: Annotated[int, Query(ge=1, le=50, description="at most this many paths")] = 10,
) -> PathsOut:
    return reads.shortest_paths(store, from_, to, max_hops=max_hops, limit=limit)


@router.get("/timeline", response_model=Page[TimelineItem], summary="Dated claims, relations and events of an entity")
def timeline(
    store: StoreDep,
    entity: EntityRefParam,
    since: Since = None,
    until: Until = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> Page[TimelineItem]:
    check_dates(since, until)
    return reads.timeline(store, entity, since=since, until=until, limit=limit, offset=offset)
