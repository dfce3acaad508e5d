"""``newsgraph serve`` (the REST API under uvicorn) and the CLI mirrors of its main reads:
``newsgraph who-said``, ``newsgraph entity``, ``newsgraph subgraph``. The mirrors call the same
functions as the API (api/reads.py) and print a table, or the API's JSON with ``--json``."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import socket
import sys
from typing import Any

from graph.model import CLAIM_KINDS

WHO_SAID_LIMIT = 200


def register(subparsers) -> None:
    serve = subparsers.add_parser("serve", help="serve the REST API (and the network view) with uvicorn")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    serve.add_argument("--workers", type=_positive, default=1,
                       help="API processes sharing the port (default 1); each holds its own driver and claim index")
    serve.set_defaults(handler=_serve)

    who = subparsers.add_parser("who-said", help="who said what: claims with speaker, number, date, outlet and quote")
    who.add_argument("--about", help="entity id or name the claims are about; 'troops' for troop numbers")
    who.add_argument("--speaker", help="speaker entity id or name")
    who.add_argument("--kind", choices=CLAIM_KINDS)
    who.add_argument("--since", type=_date, help="YYYY-MM-DD")
    who.add_argument("--until", type=_date, help="YYYY-MM-DD")
    who.add_argument("--limit", type=int, default=WHO_SAID_LIMIT, help=f"at most this many rows (default {WHO_SAID_LIMIT})")
    who.add_argument("--json", action="store_true", help="print the rows as JSON (the shape of GET /claims)")
    who.set_defaults(handler=_who_said)

    entity = subparsers.add_parser("entity", help="profile of an entity: names, roles, counts, neighbours")
    entity.add_argument("ref", metavar="NAME_OR_ID")
    entity.add_argument("--json", action="store_true", help="print the profile as JSON (the shape of GET /entities/{id})")
    entity.set_defaults(handler=_entity)

    sub = subparsers.add_parser("subgraph", help="the graph around entities (the shape of GET /subgraph)")
    sub.add_argument("--center", action="append", required=True, help="entity id or name (repeat for several)")
    sub.add_argument("--depth", type=int, default=1, choices=[1, 2, 3])
    sub.add_argument("--limit", type=int, default=200, help="at most this many nodes (default 200)")
    sub.add_argument("--json", action="store_true", help="print JSON (otherwise a list of nodes and edges)")
    sub.set_defaults(handler=_subgraph)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    if args.workers == 1:
        uvicorn.run(create_app(), host=args.host, port=args.port, log_level=args.log_level)
        return 0
    from uvicorn.supervisors import Multiprocess

    # Worker processes build the app themselves (from the environment); the first to open the
    # embedded store starts it, the others wait on its lock and find it running.
    config = uvicorn.Config("api.app:create_app", factory=True, workers=args.workers, host=args.host, port=args.port,
                            log_level=args.log_level)
    Multiprocess(config, sockets=[tcp_listener(config)]).run()
    return 0


def tcp_listener(config) -> socket.socket:
    """The socket uvicorn binds for its workers, marked as TCP. uvicorn leaves its protocol 0,
    and asyncio sets TCP_NODELAY on accepted connections only when the listener says TCP: without
    it every keep-alive response after the first waits some 40 ms for the client's delayed ACK
    (uvicorn issue 3149; one process, bound by asyncio itself, is not affected)."""
    bound = config.bind_socket()
    listener = socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
    listener.set_inheritable(True)
    return listener


def _open_store():
    from graph.store import GraphStore

    return GraphStore.open()


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def _who_said(args: argparse.Namespace) -> int:
    from api import reads
    from api.tables import kind_label, number_text, shown_quantities, speaker_label

    filters = reads.ClaimFilters(about=args.about, speaker=args.speaker, kind=args.kind, since=args.since, until=args.until)
    with _open_store() as store:
        page = reads.list_claims(store, filters, limit=max(1, min(args.limit, 1000)))
    if args.json:
        _print_json(page.model_dump(mode="json"))
        return 0
    troops_only = (args.about or "").strip().lower() == reads.TROOPS
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Who said what ({page.total} claims{', first ' + str(len(page.items)) if page.total > len(page.items) else ''})")
    for column in ("speaker", "kind", "number", "date", "outlet", "quote"):
        table.add_column(column, overflow="fold")
    for row in page.items:
        table.add_row(
            speaker_label(row), kind_label(row), "; ".join(number_text(q) for q in shown_quantities(row, troops_only)),
            row.article.published.isoformat() if row.article.published else "",
            row.article.outlet or "", row.content.text,
        )
    Console(width=max(Console().width, 160)).print(table)
    return 0


def _entity(args: argparse.Namespace) -> int:
    from api import reads

    with _open_store() as store:
        profile = reads.entity_profile(store, args.ref)
    if args.json:
        _print_json(profile.model_dump(mode="json"))
        return 0
    lines = [f"{profile.name}  [{profile.type}]  {profile.id}"]
    if profile.aliases:
        lines.append(f"  also: {', '.join(profile.aliases)}")
    for role in profile.roles:
        lines.append(f"  role: {', '.join(p for p in (role.title, role.organization.name if role.organization else None) if p)}")
    if profile.affiliation:
        lines.append(f"  belongs to: {profile.affiliation.name}")
    if profile.latitude is not None:
        lines.append(f"  at: {profile.latitude:.4f}, {profile.longitude:.4f} ({profile.country or '?'})")
    lines.append(f"  mentions: {profile.mentions} in {profile.articles} articles; "
                 f"claims made: {profile.claims_made}; claims about: {profile.claims_about}")
    if profile.first_seen:
        lines.append(f"  seen: {profile.first_seen} to {profile.last_seen}")
    for neighbour in profile.top_neighbours:
        lines.append(f"  - {neighbour.entity.name} [{neighbour.entity.type}]: {neighbour.relations} ({', '.join(neighbour.types)})")
    print("\n".join(lines))
    return 0


def _subgraph(args: argparse.Namespace) -> int:
    from api import reads
    from api.deps import MAX_SUBGRAPH_NODES

    with _open_store() as store:
        graph = reads.subgraph(store, args.center, depth=args.depth, limit=max(1, min(args.limit, MAX_SUBGRAPH_NODES)))
    if args.json:
        _print_json(graph.model_dump(mode="json"))
        return 0
    labels = {node.id: node.label for node in graph.nodes}
    print(f"{len(graph.nodes)} nodes, {len(graph.edges)} edges{' (truncated)' if graph.truncated else ''}")
    for node in graph.nodes:
        print(f"  [{node.type}] {node.label}  ({node.id})")
    for edge in graph.edges:
        print(f"  {labels.get(edge.source, edge.source)} -{edge.type}-> {labels.get(edge.target, edge.target)}"
              f"  ({len(edge.evidence)} evidence)")
    return 0
