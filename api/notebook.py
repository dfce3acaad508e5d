"""The network view inline in a Jupyter notebook: the self-contained page ``GET /view`` serves
(pyvis data, vis-network inlined, nothing loaded from elsewhere) inside an ``<iframe srcdoc>``,
so the page's own scripts and Content-Security-Policy apply as they do in a browser tab and the
notebook needs neither a server nor the network to draw it."""
from __future__ import annotations

import html

from api import reads
from api.routers.view import view_title
from api.view import render_network
from api.view_cli import DEFAULT_API_URL
from graph.store import GraphStore

FRAME_HEIGHT_PX = 640


def network_frame(store: GraphStore, center: str | list[str], *, depth: int = 1, limit: int = 200,
                  api_url: str = DEFAULT_API_URL, height: int = FRAME_HEIGHT_PX) -> str:
    """HTML of an iframe showing the network around ``center`` (entity ids or names) to ``depth``
    hops, at most ``limit`` nodes; evidence links point at the API at ``api_url``. Display it
    with ``IPython.display.HTML``."""
    centers = [center] if isinstance(center, str) else list(center)
    subgraph = reads.subgraph(store, centers, depth=depth, limit=limit)
    title, center_ids = view_title(subgraph, centers)
    base = api_url.rstrip("/")
    page = render_network(subgraph, title, article_base=f"{base}/articles/", view_base=f"{base}/view",
                          query={"center": centers, "depth": [str(depth)]}, centers=center_ids)
    # allow-scripts without allow-same-origin: the page runs in an origin of its own, apart from
    # the notebook's.
    return (f'<iframe title="{html.escape(title)}" sandbox="allow-scripts allow-popups" '
            f'style="width: 100%; height: {int(height)}px; border: 1px solid #ddd" '
            f'srcdoc="{html.escape(page, quote=True)}"></iframe>')
