"""The ``newsgraph`` command. Each area registers its own subcommands from its own module
(``register(subparsers)``, each subparser setting ``handler``). Heavy imports happen inside
handlers so that ``newsgraph --help`` stays fast."""
from __future__ import annotations

import argparse
import importlib
import sys

from graph.errors import NewsgraphError

COMMAND_MODULES = (
    "graph.store_cli",  # store start|stop|status|init
    "ingest.extract_cli",  # extract
    "ingest.ingest_cli",  # ingest
    "api.serve_cli",  # serve, who-said, entity, subgraph
    "api.view_cli",  # view
    "api.demo_cli",  # demo
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsgraph",
        description="Turn news articles into a knowledge graph of actors, units, places, events and claims.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as missing:
            if missing.name != module_name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except NewsgraphError as error:
        print(f"newsgraph: error {error.code}: {error.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsgraph: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
