"""End-to-end cost of a message, and the share of each hop (issue 5).

The same messages go (1) through the engine alone, (2) through the intent MCP server over stdio
(`analyze_intent`), and (3) through the whole server (`POST /api/message`: orchestrator, intent
server, validate_mapping, storefront, SQLite, formatter). Throughput is measured with concurrent
users for a bounded number of requests, on loopback only.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest
from mcp import Client, StdioServerParameters

from benchmarks.conftest import note, record
from engine import load_patterns
from shopmcp.settings import PROJECT_ROOT, Settings
from tests.e2e.conftest import RunningServer, _Inbox, smtp_server, start_server, stop_server
from tests.e2e.load import warm_up

MESSAGES = [
    ("en", "Do you have iPhone?"),
    ("en", "what's in my cart?"),
    ("es", "¿tienen auriculares?"),
    ("fr", "vous avez des casques ?"),
    ("de", "habt ihr Kopfhörer?"),
    ("en", "how much is the iphone 15"),
]
SEQUENTIAL_REQUESTS = 200
CONCURRENT_USERS = 16
CONCURRENT_REQUESTS = 400
WARM_SECONDS = 60.0
WARM_MIN_SECONDS = 15.0
"""The background build of every RE2 program takes a few seconds of a busy core."""


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[RunningServer]:
    inbox = _Inbox()
    with smtp_server(inbox) as smtp_port:
        running = start_server(tmp_path_factory.mktemp("bench"), smtp_port, inbox)
        try:
            if not request.config.getoption("benchmark_disable"):
                warm_up(running.url, minimum=WARM_MIN_SECONDS, limit=WARM_SECONDS)
            yield running
        finally:
            stop_server(running)


def _enabled(benchmark) -> bool:  # type: ignore[no-untyped-def]
    return not getattr(benchmark, "disabled", False)


def test_message_through_the_engine_alone(benchmark) -> None:  # type: ignore[no-untyped-def]
    engine = load_patterns(Settings.from_env().patterns_dir)
    engine.compile_all()
    for _, text in MESSAGES:  # a running server has built these programs long ago
        engine.recognize(text)
    samples = []
    for i in range(SEQUENTIAL_REQUESTS if _enabled(benchmark) else 6):
        _, text = MESSAGES[i % len(MESSAGES)]
        started = time.perf_counter()
        engine.recognize(text)
        samples.append(time.perf_counter() - started)
    record("hop: engine.recognize", samples)
    benchmark.pedantic(lambda: engine.recognize(MESSAGES[0][1]), rounds=1, iterations=1)


def test_message_through_the_intent_server_over_stdio(benchmark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings.from_env()
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "mcp_servers.intent"],
        env={**settings.subprocess_env(), "SHOPMCP_DATA_DIR": str(tmp_path)},
        cwd=PROJECT_ROOT,
    )
    count = SEQUENTIAL_REQUESTS if _enabled(benchmark) else 6

    async def run() -> list[float]:
        samples = []
        with anyio.fail_after(120):
            async with Client(params) as client:
                # the server builds its RE2 programs in the background after it starts; measure
                # once a whole round of the messages answers quickly (or after 60 s regardless)
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    started = time.perf_counter()
                    for _, text in MESSAGES:
                        await client.call_tool("analyze_intent", {"message": text})
                    if time.perf_counter() - started < 0.005 * len(MESSAGES):
                        break
                for i in range(count):
                    _, text = MESSAGES[i % len(MESSAGES)]
                    started = time.perf_counter()
                    await client.call_tool("analyze_intent", {"message": text})
                    samples.append(time.perf_counter() - started)
        return samples

    samples = asyncio.run(run())
    record("hop: analyze_intent over stdio", samples)
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)


def test_post_api_message_sequential_latency(benchmark, server: RunningServer) -> None:  # type: ignore[no-untyped-def]
    samples = []
    count = SEQUENTIAL_REQUESTS if _enabled(benchmark) else 6
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for i in range(count):
            _, text = MESSAGES[i % len(MESSAGES)]
            body = {"userId": f"bench-{i % 20}", "message": text, "clientType": "web-storefront"}
            started = time.perf_counter()
            response = client.post("/api/message", json=body)
            samples.append(time.perf_counter() - started)
            assert response.status_code in (200, 429)
    record("POST /api/message (sequential)", samples)
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)


def test_post_api_message_throughput_with_concurrent_users(
    benchmark, server: RunningServer
) -> None:  # type: ignore[no-untyped-def]
    total = CONCURRENT_REQUESTS if _enabled(benchmark) else 16
    samples: list[float] = []
    statuses: list[int] = []

    async def user(n: int, client: httpx.AsyncClient) -> None:
        uid = f"load-{n}-{uuid.uuid4().hex[:6]}"
        for i in range(total // CONCURRENT_USERS):
            _, text = MESSAGES[(n + i) % len(MESSAGES)]
            started = time.perf_counter()
            response = await client.post(
                "/api/message", json={"userId": uid, "message": text, "clientType": "mobile"}
            )
            samples.append(time.perf_counter() - started)
            statuses.append(response.status_code)

    async def run() -> float:
        limits = httpx.Limits(max_connections=CONCURRENT_USERS)
        async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as client:
            started = time.perf_counter()
            async with anyio.create_task_group() as tg:
                for n in range(CONCURRENT_USERS):
                    tg.start_soon(user, n, client)
            return time.perf_counter() - started

    elapsed = asyncio.run(run())
    record(f"POST /api/message ({CONCURRENT_USERS} concurrent users)", samples)
    throughput = len(samples) / elapsed
    benchmark.extra_info.update(
        throughput_rps=round(throughput, 1), errors=sum(s != 200 for s in statuses)
    )
    note(
        f"throughput: {throughput:.1f} requests/s over {len(samples)} requests from "
        f"{CONCURRENT_USERS} concurrent users ({elapsed:.1f} s)"
    )
    assert all(s == 200 for s in statuses), sorted(set(statuses))
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
