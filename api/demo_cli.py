"""``newsgraph demo``: the embedded store, the bundled sample corpus ingested, the API served."""
from __future__ import annotations

import argparse
from urllib.parse import quote


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="start the store, ingest the bundled sample corpus and serve the API",
        description="Start the store (embedded unless NEO4J_URI is set), ingest the bundled "
        "sample corpus (idempotent) and serve the API and network view.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--center", default="North Korea", help="entity the printed view URL centres on")
    parser.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app
    from graph.settings import Settings
    from graph.store import GraphStore
    from ingest.ingest_cli import ingest_paths
    from ingest.sample_corpus import SAMPLE_DIR

    settings = Settings.from_env()
    with GraphStore.open(settings) as store:
        info = store.info()
        print(f"store: {info['agent']} at {info['uri']} (database {info['database']})")
        summary = ingest_paths(store, [SAMPLE_DIR])
        print("\n".join(summary.lines()))
    base = f"http://{args.host}:{args.port}"
    print()
    print("newsgraph is serving. Open:")
    print(f"  landing page + who said what:  {base}/")
    print(f"  network view:                  {base}/view?center={quote(args.center)}&depth=2")
    print(f"  troop-number claims (JSON):    {base}/claims?about=troops")
    print(f"  API docs (OpenAPI):            {base}/docs")
    print("Stop with Ctrl-C; the embedded store keeps running (newsgraph store stop).", flush=True)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")
    return 0
