"""`shopmcp serve --workers 2`: two server processes behind one port, sharing Redis."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shopmcp.settings import PROJECT_ROOT
from tests.e2e.conftest import RunningServer, _Inbox, start_server, stop_server
from tests.e2e.load import drive, survivors
from tests.server.procs import server_pids

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_workers(
    tmp_path_factory: pytest.TempPathFactory, smtp: tuple[_Inbox, int]
) -> Iterator[RunningServer]:
    inbox, port = smtp
    running = start_server(tmp_path_factory.mktemp("workers"), port, inbox, "--workers", "2")
    yield running
    stop_server(running)


def test_each_worker_runs_its_own_mcp_servers(two_workers: RunningServer) -> None:
    for name in ("intent", "ecommerce_storefront", "ecommerce_admin", "notifications"):
        assert len(server_pids(two_workers.data_dir, name)) == 2, name


def test_conversations_continue_whichever_worker_answers(two_workers: RunningServer) -> None:
    # every request on a fresh connection, so the kernel spreads a conversation over both workers
    report = asyncio.run(drive(two_workers.url, users=8, conversations_per_user=2, fresh=True))
    assert not report.failures, report.failures[:5]
    mailed = {m["To"] for m in two_workers.inbox.messages}
    left = survivors(report, two_workers.env["REDIS_URL"], two_workers.data_dir, mailed)
    assert left.lost == 0 and left.basket_lines_expected == 16


def test_a_payment_link_made_by_one_worker_opens_on_the_other(
    two_workers: RunningServer, user: str
) -> None:
    with two_workers.client() as c:
        two_workers.say(c, user, "Do you have iPhone?")
        two_workers.say(c, user, "add the first one")
        url = two_workers.say(c, user, "send me the payment link")["data"]["payment_link"]["url"]
    pages = [httpx.get(url, timeout=30) for _ in range(8)]  # fresh connections: both workers
    assert [p.status_code for p in pages] == [200] * 8


def test_more_than_one_worker_without_redis_is_refused_with_the_fix(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "shopmcp", "serve", "--workers", "2"],
        cwd=PROJECT_ROOT,
        env={**env, "SHOPMCP_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "REDIS_URL" in done.stderr and "one worker" in done.stderr
