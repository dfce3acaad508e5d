"""``newsgraph view``: write the network view of a subgraph to an HTML file.

Same parameters as ``GET /subgraph`` (and ``GET /view``), read by the same function; the page is
the one ``GET /view`` serves, self-contained, so it opens offline from the file."""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from graph.errors import InputError

DEFAULT_API_URL = "http://127.0.0.1:8000"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive integer")
    return value


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 1")
    return value


def register(subparsers) -> None:
    # Limits and type names are checked in the handler (against the API's own), so that
    # `newsgraph --help` does not import the API.
    parser = subparsers.add_parser(
        "view",
        help="write the interactive network around entities to an HTML file",
        description="Write the network view (the page GET /view serves) of the subgraph around one "
        "or more entities to a self-contained HTML file that opens offline. Same parameters as "
        "GET /subgraph.",
    )
    parser.add_argument("--center", action="append", required=True, metavar="ENTITY",
                        help="entity id or name (repeat for several)")
    parser.add_argument("--depth", type=_positive_int, default=1,
                        help="hops from the centers (at most 3); a claim node is a hop (default 1)")
    parser.add_argument("--rel-type", dest="rel_types", action="append", metavar="TYPE",
                        help="edge type to follow, e.g. DEPLOYED_TO, STATED, ABOUT (repeat; default all)")
    parser.add_argument("--node-type", dest="node_types", action="append", metavar="TYPE",
                        help="node type to include besides the centers, e.g. Person, Claim (repeat; default all)")
    parser.add_argument("--since", type=_date, help="only evidence on or after this date (YYYY-MM-DD)")
    parser.add_argument("--until", type=_date, help="only evidence on or before this date (YYYY-MM-DD)")
    parser.add_argument("--source", help="only evidence from this outlet")
    parser.add_argument("--min-confidence", type=_confidence, help="only edges at least this confident (0 to 1)")
    parser.add_argument("--limit", type=_positive_int, default=200,
                        help="at most this many nodes, up to 1000 (default 200)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the HTML file to write")
    parser.add_argument("--api-url", default=DEFAULT_API_URL,
                        help=f"where the page's article and re-centre links point (default {DEFAULT_API_URL})")
    parser.set_defaults(handler=_handle)


def check_arguments(args: argparse.Namespace) -> None:
    """The checks GET /subgraph makes on its query parameters, for the same values here."""
    from api.deps import MAX_DEPTH, MAX_SUBGRAPH_NODES
    from api.graph_index import SUBGRAPH_EDGE_TYPES
    from graph.model import ENTITY_TYPES

    if args.depth > MAX_DEPTH:
        raise InputError(f"--depth {args.depth} is over the limit of {MAX_DEPTH}", {"depth": args.depth})
    if args.limit > MAX_SUBGRAPH_NODES:
        raise InputError(f"--limit {args.limit} is over the limit of {MAX_SUBGRAPH_NODES}", {"limit": args.limit})
    for option, values, known in (
        ("--rel-type", args.rel_types, SUBGRAPH_EDGE_TYPES),
        ("--node-type", args.node_types, (*ENTITY_TYPES, "Claim")),
    ):
        for value in values or ():
            if value not in known:
                raise InputError(f"{option} {value!r} is not one of {', '.join(known)}", {"option": option, "value": value})


def write_view(store, args: argparse.Namespace) -> tuple[Path, int, int]:
    """Read the subgraph as GET /view does, render it, write it; returns (path, nodes, edges)."""
    import asyncio

    from api.routers.graph import subgraph_model, subgraph_params
    from api.routers.view import view_title
    from api.view import render_network

    check_arguments(args)
    # subgraph_params is a coroutine function (FastAPI runs it on the event loop); it awaits nothing.
    params = asyncio.run(subgraph_params(
        center=args.center, depth=args.depth, rel_types=args.rel_types, node_types=args.node_types,
        since=args.since, until=args.until, source=args.source, min_confidence=args.min_confidence, limit=args.limit,
    ))
    subgraph = subgraph_model(store, params)
    query = {"center": args.center, "depth": [str(args.depth)]}
    for key in ("rel_types", "node_types"):
        if getattr(args, key):
            query[key] = getattr(args, key)
    for key in ("since", "until", "source", "min_confidence"):
        if getattr(args, key) is not None:
            query[key] = [str(getattr(args, key))]
    if args.limit != 200:
        query["limit"] = [str(args.limit)]
    title, center_ids = view_title(subgraph, args.center)
    api_url = args.api_url.rstrip("/")
    html = render_network(subgraph, title, article_base=f"{api_url}/articles/", view_base=f"{api_url}/view",
                          query=query, centers=center_ids)
    output: Path = args.output
    if output.is_dir():
        raise InputError(f"{output} is a directory: give a file name for the HTML page", {"output": str(output)})
    try:
        output.write_text(html, encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write {output}: {error.strerror}", {"output": str(output)}) from None
    return output, len(subgraph.nodes), len(subgraph.edges)


def _handle(args: argparse.Namespace) -> int:
    from graph.store import GraphStore

    check_arguments(args)  # before the store is opened (and perhaps started)
    with GraphStore.open() as store:
        output, nodes, edges = write_view(store, args)
    print(f"wrote {output}: {nodes} nodes, {edges} edges")
    return 0
