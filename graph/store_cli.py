"""``newsgraph store start|stop|status|init``: the graph store by hand."""
from __future__ import annotations

import argparse
import json

STATUS_NOT_RUNNING = 3
"""Exit status of ``store status`` when the embedded store is not running (as systemctl)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    store = subparsers.add_parser("store", help="start, stop, inspect or initialise the graph store")
    commands = store.add_subparsers(dest="store_command", metavar="ACTION", required=True)

    start = commands.add_parser("start", help="start the embedded store of NEWSGRAPH_HOME (or reuse the running one)")
    start.set_defaults(handler=start_command)

    stop = commands.add_parser("stop", help="stop the embedded store of NEWSGRAPH_HOME")
    stop.set_defaults(handler=stop_command)

    status = commands.add_parser(
        "status",
        help="whether the store runs, where, which server, and what it holds",
        description=f"Exit status 0 when the store answers, {STATUS_NOT_RUNNING} when the embedded store is not running, 1 on errors.",
    )
    status.add_argument("--json", action="store_true", help="print one JSON object")
    status.set_defaults(handler=status_command)

    init = commands.add_parser("init", help="apply cypher/schema.cypher (constraints, indexes, full-text index); idempotent")
    init.set_defaults(handler=init_command)


def start_command(args: argparse.Namespace) -> int:
    from graph.settings import Settings
    from graph.store import GraphStore

    settings = Settings.from_env()
    with GraphStore.open(settings) as store:
        info = store.info()
    if info["embedded"]:
        print(f"embedded store running at {info['uri']} (pid {info['pid']}, home {info['home']})")
    else:
        print(f"NEO4J_URI is set: using the server at {info['uri']}; nothing to start")
    return 0


def stop_command(args: argparse.Namespace) -> int:
    from graph import embedded
    from graph.settings import Settings

    settings = Settings.from_env()
    if not settings.embedded:
        print(f"NEO4J_URI is set ({settings.neo4j_uri}): that server is not ours to stop")
        return 0
    stopped = embedded.stop(settings.home)
    if stopped is None:
        print(f"embedded store not running (home {settings.home})")
    else:
        print(f"embedded store stopped (was pid {stopped.pid} at {stopped.uri}, home {settings.home})")
    return 0


def status_command(args: argparse.Namespace) -> int:
    from graph import embedded
    from graph.settings import Settings
    from graph.store import GraphStore

    settings = Settings.from_env()
    if settings.embedded and embedded.running_state(settings.home) is None:
        report = {"running": False, "embedded": True, "home": str(settings.home), "database": settings.neo4j_database}
        exit_status = STATUS_NOT_RUNNING
    else:
        with GraphStore.open(settings, start=False) as store:
            report = {"running": True, **store.info(), **store.counts()}
        exit_status = 0
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        print(format_status(report))
    return exit_status


def format_status(report: dict) -> str:
    if not report["running"]:
        return f"embedded store: not running\nhome:     {report['home']}"
    lines = [
        f"store:    running ({'embedded ArcadeDB' if report['embedded'] else 'server at NEO4J_URI'})",
        f"uri:      {report['uri']}",
        f"database: {report['database']}",
        f"server:   {report['agent']} (version {report['server_version']}, dialect {report['dialect']})",
    ]
    if report["embedded"]:
        lines += [f"home:     {report['home']}", f"pid:      {report['pid']}"]
    for title, counts in (("nodes", report["nodes"]), ("relationships", report["relationships"])):
        lines.append(f"{title}:{'' if counts else ' none'}")
        width = max((len(name) for name in counts), default=0)
        lines += [f"  {name:<{width}}  {count:>9,}" for name, count in sorted(counts.items())]
    return "\n".join(lines)


def init_command(args: argparse.Namespace) -> int:
    from graph.settings import Settings
    from graph.store import GraphStore

    with GraphStore.open(Settings.from_env()) as store:
        store.apply_schema()
        indexes = store.query("store_show_indexes")
        constraints = store.query("store_show_constraints")
        uri = store.uri
    print(f"schema applied at {uri}: {len(constraints)} constraints, {len(indexes)} indexes")
    return 0
