"""``newsgraph extract FILE... [--published YYYY-MM-DD] --json``: extract without storing.

With ``--json`` it prints one JSON object per article, one per line (JSON Lines): the
``ArticleGraph`` as ``model_dump(mode="json")`` without the article text (format in
docs/EXTRACT_FORMAT.md).  Without it, a short readable listing.  Exit code 0 when every input
was read, 2 when some inputs were skipped (named on stderr), 1 when nothing could be read.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from graph.errors import InputError
from graph.model import ArticleGraph


def graph_json(graph: ArticleGraph) -> dict[str, Any]:
    """The extract format of one article: the graph minus ``article.text``."""
    data = graph.model_dump(mode="json")
    data["article"].pop("text", None)
    return data


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="extract entities, relations and claims from articles and print them (nothing stored)",
        description="Read articles (files, folders, - for stdin), extract entities, relations and "
        "claims, print them. Offsets are character offsets into the article text as the reader "
        "normalised it (see docs/EXTRACT_FORMAT.md).",
    )
    parser.add_argument("paths", nargs="+", metavar="FILE", help="file, folder or - (stdin)")
    parser.add_argument("--published", help="publication date (YYYY-MM-DD) for every article read")
    parser.add_argument("--source", help="outlet name for every article read")
    parser.add_argument("--json", action="store_true", help="JSON Lines: one object per article")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from ingest.extract import extract_articles
    from ingest.readers import ReadResult, read_path, read_stdin

    result = ReadResult()
    for path in args.paths:
        if path == "-":
            result.extend(read_stdin(sys.stdin.buffer, published=args.published, source=args.source))
        else:
            result.extend(read_path(path, published=args.published, source=args.source))
    for skipped in result.skipped:
        print(f"newsgraph: skipped {skipped}", file=sys.stderr)
    for warning in result.warnings:
        print(f"newsgraph: warning {warning}", file=sys.stderr)
    if not result.articles:
        raise InputError(
            "no article could be read from " + ", ".join(args.paths),
            {"skipped": [str(s) for s in result.skipped]},
        )
    for graph in extract_articles(result.articles):
        if args.json:
            print(json.dumps(graph_json(graph), ensure_ascii=False))
        else:
            _print_listing(graph)
    return 2 if result.skipped else 0


def _print_listing(graph: ArticleGraph) -> None:
    article = graph.article
    print(f"# {article.title}  [{article.id}]")
    for entity in graph.entities:
        extra = f" ({entity.latitude:.3f}, {entity.longitude:.3f})" if entity.latitude is not None else ""
        aliases = f" aka {', '.join(entity.aliases)}" if entity.aliases else ""
        print(f"  {entity.type:<12} {entity.id}{extra}{aliases}  x{len(entity.mentions)}")
    for relation in graph.relations:
        print(f"  {relation.source} -[{relation.type}]-> {relation.target}")
    for claim in graph.claims:
        print(f"  {claim.kind:<9} {claim.speaker.name!r}: {claim.content.text[:80]!r}")
    print()
