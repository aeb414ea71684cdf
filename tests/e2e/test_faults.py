"""Faults during a conversation: a killed MCP server, Redis going away and coming back."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import RunningServer, _Inbox, free_port, start_server, stop_server
from tests.redis_server import start_redis
from tests.server.procs import kill, server_pids

pytestmark = pytest.mark.slow


def test_a_killed_storefront_server_mid_conversation_loses_nothing(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        server.say(c, user, "Do you have iPhone?")
        server.say(c, user, "add the first one")
        kill(server_pids(server.data_dir, "ecommerce_storefront"))
        # read-only: retried once on the restarted server
        basket = server.say(c, user, "what's in my cart?")
        assert basket["intent"] == "get_basket"
        assert basket["data"]["basket"]["item_count"] == 1
        health = c.get("/health").json()
    assert health["servers"]["ecommerce_storefront"]["restarts"] >= 1
    assert health["servers"]["ecommerce_storefront"]["status"] == "up"


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[int, list[subprocess.Popen[bytes]]]]:
    port = free_port()
    processes = [start_redis(port, tmp_path)]
    yield port, processes
    for p in processes:
        p.terminate()
        p.wait(timeout=10)


def test_redis_going_away_gives_a_clear_answer_and_recovery_when_it_returns(
    own_redis: tuple[int, list[subprocess.Popen[bytes]]],
    tmp_path: Path,
    smtp: tuple[_Inbox, int],
    user: str,
) -> None:
    port, processes = own_redis
    inbox, smtp_port = smtp
    running = start_server(
        tmp_path / "shop", smtp_port, inbox, REDIS_URL=f"redis://127.0.0.1:{port}/0"
    )
    try:
        with running.client() as c:
            assert running.say(c, user, "Do you have iPhone?")["intent"] == "search_products"
            processes[0].terminate()
            processes[0].wait(timeout=10)
            down = running.say(c, user, "add the first one")
            assert down["data"] == {"error": "service_unavailable"}
            assert c.get("/health").json()["redis"] == "down"
            seen = c.get("/metrics").text  # an operator sees the outage, not "not understood"
            assert re.search(r'shopmcp_redis_errors_total\{operation="load"\} [1-9]', seen)
            assert 'shopmcp_messages_answered_total{by="error"} 1' in seen
            processes.append(start_redis(port, tmp_path))
            back = running.say(c, user, "Do you have iPhone?")
            assert back["intent"] == "search_products"
            assert c.get("/health").json()["redis"] == "up"
    finally:
        stop_server(running)


def test_a_user_sending_too_fast_is_rate_limited_with_retry_after(
    server: RunningServer, user: str
) -> None:
    with server.client() as c:
        codes = [
            c.post("/api/message", json={"userId": user, "message": "hi", "clientType": "sms"})
            for _ in range(32)
        ]
    limited = [r for r in codes if r.status_code == 429]
    assert limited, [r.status_code for r in codes]
    assert int(limited[0].headers["Retry-After"]) >= 1
