"""`shopmcp eval conversations URL [FILE ...]`: run a conversation corpus and print its figures."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path

import httpx

from shopmcp.evaluation.corpus import CorpusError, load_corpus
from shopmcp.evaluation.report import (
    compare_known,
    figures,
    read_known,
    render_failures,
    render_table,
    to_json,
    write_known,
)
from shopmcp.evaluation.runner import REQUEST_TIMEOUT, run_conversation

__all__ = ["eval_main"]

DEFAULT_CORPUS = Path("tests/conversations")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shopmcp eval conversations",
        description="Run scripted shopper conversations against a running server over HTTP.",
    )
    parser.add_argument("url", help="the server, e.g. http://localhost:3300")
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        help=f"corpus files or directories (default: {DEFAULT_CORPUS})",
    )
    parser.add_argument(
        "--json", metavar="FILE", help="write the full report as JSON ('-': stdout)"
    )
    parser.add_argument("--show-failures", action="store_true", help="print every failed turn")
    parser.add_argument("--locale", action="append", help="only these locales")
    parser.add_argument("--client", action="append", help="only these client types")
    parser.add_argument("--only", action="append", metavar="ID", help="only these conversations")
    parser.add_argument(
        "--known-failures",
        metavar="FILE",
        type=Path,
        help="exit 1 on a failure not in FILE or a listed failure that now passes",
    )
    parser.add_argument(
        "--write-known-failures",
        metavar="FILE",
        type=Path,
        help="write this run's failures to FILE",
    )
    return parser


def eval_main(argv: list[str]) -> int:
    if not argv or argv[0] != "conversations":
        print(
            "usage: shopmcp eval conversations URL [FILE ...] [options]  (--help for options)",
            file=sys.stderr,
        )
        return 2
    args = _parser().parse_args(argv[1:])
    try:
        conversations = load_corpus(args.files or [DEFAULT_CORPUS])
    except (CorpusError, OSError) as exc:
        print(f"shopmcp eval: {exc}", file=sys.stderr)
        return 2
    conversations = [
        c
        for c in conversations
        if (not args.locale or c.locale in args.locale)
        and (not args.client or c.client in args.client)
        and (not args.only or c.id in args.only)
    ]
    if not conversations:
        print("shopmcp eval: no conversation to run", file=sys.stderr)
        return 2
    run = uuid.uuid4().hex[:8]
    results = []
    with httpx.Client(base_url=args.url.rstrip("/"), timeout=REQUEST_TIMEOUT) as client:
        try:
            client.get("/health")
        except httpx.HTTPError as exc:
            print(f"shopmcp eval: cannot reach {args.url}: {exc}", file=sys.stderr)
            return 2
        for conversation in conversations:
            results.append(run_conversation(client, conversation, run))
    report = to_json(results, run)
    if args.json == "-":
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        if args.json:
            Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
        if args.show_failures:
            print(render_failures(results))
        print(render_table(figures(results)))
    unavailable = sum(r.unavailable() for r in results)
    if unavailable:
        print(
            f"shopmcp eval: the server was unavailable on {unavailable} turn(s): "
            "these figures measure an outage, not the assistant",
            file=sys.stderr,
        )
    if args.write_known_failures:
        if unavailable:
            print(f"shopmcp eval: {args.write_known_failures} not written", file=sys.stderr)
            return 2
        write_known(args.write_known_failures, results)
    if args.known_failures:
        new, fixed = compare_known(results, read_known(args.known_failures))
        for turn in new:
            print(f"new failure: {turn}", file=sys.stderr)
        for turn in fixed:
            print(f"now passes (remove it from {args.known_failures}): {turn}", file=sys.stderr)
        return 1 if new or fixed else 0
    return 0 if not report["failures"] else 1


def conversations_main(argv: list[str]) -> int:
    """`shopmcp eval conversations ...` as dispatched by shopmcp.eval_cli."""
    return eval_main(["conversations", *argv])
