"""`shopmcp serve` (the server on PORT, default 3300) and `shopmcp chat` (a terminal chat with it)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid

from shopmcp.settings import Settings, SettingsError

__all__ = ["chat_main", "serve_main"]


def serve_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="shopmcp serve", description="Run the HTTP server.")
    parser.add_argument("--host", default=None, help="address to bind (default SHOPMCP_HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (default PORT, else 3300)")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="server processes behind the port (default SHOPMCP_WORKERS, else 1); "
        "each runs its own MCP servers, and more than one needs REDIS_URL",
    )
    args = parser.parse_args(argv)
    # The options stand for their variables, so that payment links (SHOPMCP_PUBLIC_URL's default)
    # and every worker process, which reads the environment, see the same address.
    if args.host:
        os.environ["SHOPMCP_HOST"] = args.host
    if args.port:
        os.environ["PORT"] = str(args.port)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"shopmcp serve: {exc}", file=sys.stderr)
        return 2
    workers = args.workers or settings.workers
    if workers < 1:
        print(f"shopmcp serve: --workers {workers} must be at least 1", file=sys.stderr)
        return 2
    if workers > 1 and not settings.redis_url:
        print(
            f"shopmcp serve: {workers} workers need REDIS_URL: without it each worker keeps its own "
            "conversations and rate limits, so a shopper's next message may land in a worker that "
            "never saw the last one; set REDIS_URL=redis://host:6379/0 or run one worker",
            file=sys.stderr,
        )
        return 2
    import uvicorn

    from server.app import create_app
    from server.connections import uvicorn_options
    from shopmcp.logs import configure, dict_config

    configure(settings.log_format, settings.log_level)
    # uvicorn applies the same configuration in each worker process it starts
    logs = {"log_config": dict_config(settings.log_format, settings.log_level)}
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    host, port = settings.host, settings.port
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, **uvicorn_options(settings), **logs)
    else:  # each worker process builds its own app (and MCP servers) from the environment
        uvicorn.run(
            "server.app:app_from_env",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            **uvicorn_options(settings),
            **logs,
        )
    return 0


def chat_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="shopmcp chat", description="Chat with a running server.")
    try:
        local_url = Settings.from_env().local_url
    except SettingsError as exc:
        print(f"shopmcp chat: {exc}", file=sys.stderr)
        return 2
    parser.add_argument(
        "--url",
        default=local_url,
        help=f"the server's address (default {local_url}, from SHOPMCP_HOST and PORT)",
    )
    parser.add_argument(
        "--user", default=f"cli-{uuid.uuid4().hex[:8]}", help="user id (default: a new one)"
    )
    parser.add_argument(
        "--client", default="web-storefront", help="channel, e.g. whatsapp (default web-storefront)"
    )
    parser.add_argument("--locale", default=None, help="en, es, fr or de (default: detected)")
    parser.add_argument("--admin-key", default=None, help="ADMIN_API_KEY, for admin intents")
    args = parser.parse_args(argv)
    import httpx

    headers = {"Authorization": f"Bearer {args.admin_key}"} if args.admin_key else {}
    print(f"chatting with {args.url} as {args.user} ({args.client}); Ctrl-D to quit")
    with httpx.Client(base_url=args.url, timeout=30, headers=headers) as client:
        while True:
            try:
                line = input("you> ")
            except EOFError:
                print()
                return 0
            if not line.strip():
                continue
            body = {"userId": args.user, "message": line, "clientType": args.client}
            if args.locale:
                body["locale"] = args.locale
            started = time.perf_counter()
            try:
                response = client.post("/api/message", json=body)
            except httpx.HTTPError as exc:
                print(f"! cannot reach {args.url}: {exc}")
                continue
            ms = (time.perf_counter() - started) * 1000
            data = response.json()
            if response.status_code != 200:
                print(f"! {response.status_code}: {data.get('error')}")
                continue
            print(f"shop> {data['response']}")
            print(
                f"      [{data['intent']} {json.dumps(data['slots'], ensure_ascii=False)} · {data['locale']} · {ms:.0f} ms]"
            )
