"""GET /view (the network view as HTML) and GET / (the landing page).

``/view`` takes exactly the parameters of ``GET /subgraph``: both depend on
``subgraph_params``, so FastAPI reads and validates the same query parameters, and the page shows
the same subgraph the JSON endpoint returns."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.routers.graph import subgraph_model
from api.view import landing_csp, network_csp, render_landing, render_network
from graph.model import GraphNode, Subgraph

router = APIRouter(tags=["view"])


def view_title(subgraph: Subgraph, centers: list[str]) -> tuple[str, list[str]]:
    """'Around John Kirby and Russia', and the node ids of the centres (given as ids or names)."""
    names, ids = [], []
    for ref in centers:
        folded = ref.strip().casefold()
        node = next((n for n in subgraph.nodes if n.id == ref), None) or next(
            (n for n in subgraph.nodes if n.type != "Claim" and folded in _names(n)), None
        )
        names.append(node.label if node else ref)
        if node:
            ids.append(node.id)
    return "Around " + " and ".join(names), ids


def _names(node: GraphNode) -> set[str]:
    return {name.casefold() for name in [node.label, *(node.properties.get("aliases") or [])] if isinstance(name, str)}


@router.get(
    "/view",
    response_class=HTMLResponse,
    summary="The subgraph as an interactive network (HTML)",
    description="Same parameters as `GET /subgraph`. A self-contained page: vis-network is inlined, "
    "nothing is loaded from elsewhere.",
)
def view(request: Request, subgraph: Annotated[Subgraph, Depends(subgraph_model)]) -> HTMLResponse:
    title, center_ids = view_title(subgraph, request.query_params.getlist("center"))
    query = {key: request.query_params.getlist(key) for key in request.query_params.keys()}
    root = request.scope.get("root_path", "")
    html = render_network(
        subgraph, title, article_base=f"{root}/articles/", view_base=f"{root}/view", query=query, centers=center_ids,
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": network_csp()})


@router.get("/", response_class=HTMLResponse, summary="Landing page: entity search, who said what about troop numbers")
def landing(request: Request) -> HTMLResponse:
    html = render_landing(root=request.scope.get("root_path", ""), openapi_path=request.app.openapi_url or "/openapi.json")
    return HTMLResponse(html, headers={"Content-Security-Policy": landing_csp()})
