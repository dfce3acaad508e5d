"""POST /cypher: read-only Cypher for power users (off unless NEWSGRAPH_ENABLE_CYPHER=1)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, StoreDep
from api.schemas import CypherIn, CypherOut
from graph.errors import Forbidden

router = APIRouter(tags=["cypher"])


@router.post("/cypher", response_model=CypherOut, summary="Run one read-only Cypher statement")
async def cypher(body: CypherIn, request: Request, settings: SettingsDep, store: StoreDep) -> CypherOut:
    """One statement, with parameters. Writes, schema commands, ``LOAD CSV``, procedures that are
    not on the read-only allow-list and several statements are refused; the statement runs in a
    transaction that is always rolled back, with a row cap and a wall-clock limit."""
    if not settings.enable_cypher:
        raise Forbidden("POST /cypher is disabled on this server (set NEWSGRAPH_ENABLE_CYPHER=1 to enable it)")
    runner = request.app.state.cypher_runner
    result = await run_in_threadpool(
        runner.run, store, body.query, body.parameters, row_cap=settings.cypher_row_cap, timeout=settings.cypher_timeout,
    )
    return CypherOut(columns=result.columns, rows=result.rows, truncated=result.truncated,
                     row_cap=settings.cypher_row_cap, elapsed_ms=result.elapsed_ms)
