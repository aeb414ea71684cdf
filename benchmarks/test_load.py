"""Many shoppers at once over POST and the WebSocket, in four locales (issue 7).

Each configuration starts the real server (`shopmcp serve`, its MCP subprocesses, a real Redis, an
SMTP server in the test), then `USERS` shoppers each hold `CONVERSATIONS` whole conversations in a
row (tests/e2e/load.py: search, add the second result, basket, payment link by e-mail, thanks),
half over POST and half over the WebSocket. Reported: throughput, median and p99 per transport,
failures, the resident memory of every process, and what the answered turns left behind (turns
in Redis, basket lines, e-mails); the benchmark fails if any was lost or any turn failed.

With --benchmark-disable (`make test`) a small run checks that the benchmark itself works.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.conftest import note, record
from tests.e2e.conftest import _Inbox, smtp_server, start_server, stop_server
from tests.e2e.load import drive, memory, survivors, warm_up

CONFIGURATIONS = {"1 worker": (), "2 workers": ("--workers", "2")}
USERS = 32
CONVERSATIONS = 3
WARM_USERS = 4
WARM_SECONDS = 30.0


@pytest.fixture
def smtp() -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox()
    with smtp_server(inbox) as port:
        yield inbox, port


@pytest.mark.parametrize("configuration", list(CONFIGURATIONS))
def test_conversations_under_load(
    benchmark, tmp_path: Path, smtp: tuple[_Inbox, int], configuration: str
) -> None:  # type: ignore[no-untyped-def]
    enabled = not getattr(benchmark, "disabled", False)
    users, conversations = (USERS, CONVERSATIONS) if enabled else (WARM_USERS, 1)
    inbox, smtp_port = smtp
    server = start_server(tmp_path, smtp_port, inbox, *CONFIGURATIONS[configuration])
    try:
        if enabled:
            warm_up(server.url, limit=WARM_SECONDS)
        report = asyncio.run(drive(server.url, users=users, conversations_per_user=conversations))
        used = memory(server.data_dir, server.process.pid, server.env["REDIS_URL"])
    finally:
        stop_server(server)
    left = survivors(
        report, server.env["REDIS_URL"], server.data_dir, {m["To"] for m in inbox.messages}
    )

    record(f"load, {configuration}: POST /api/message", report.of("http"))
    record(f"load, {configuration}: WebSocket message", report.of("ws"))
    note(f"load, {configuration}: {report.summary()}")
    note(
        f"load, {configuration}: resident memory: "
        + ", ".join(f"{name} {size / 2**20:.0f} MiB" for name, size in used.items())
    )
    note(
        f"load, {configuration}: lost {left.lost} of {left.turns_expected} turns, "
        f"{left.basket_lines_expected} basket lines, {left.emails_expected} e-mails"
    )
    benchmark.extra_info.update(
        throughput=round(report.throughput, 1), failures=len(report.failures), lost=left.lost
    )
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
    assert not report.failures, report.failures[:10]
    assert left.lost == 0, (left.turns_lost[:5], left.basket_lines_lost[:5], left.emails_lost[:5])
    assert left.basket_lines_expected == len(report.conversations)
