"""The process manager against real stdio subprocesses of the intent server."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest
from mcp import StdioServerParameters

from server.pool import McpPool, ServerUnavailable
from shopmcp.settings import PROJECT_ROOT, Settings
from tests.engine.conftest import MINI_EN
from tests.server.procs import kill, server_pids

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "patterns" / "en").mkdir(parents=True)
    (tmp_path / "patterns" / "en" / "all.intents").write_text(MINI_EN, encoding="utf-8")
    return Settings(data_dir=tmp_path / "data", patterns_dir=tmp_path / "patterns")


def _params(settings: Settings) -> dict[str, StdioServerParameters]:
    return {
        "intent": StdioServerParameters(
            command=sys.executable,
            args=["-m", "mcp_servers.intent"],
            env=settings.subprocess_env(),
            cwd=PROJECT_ROOT,
        )
    }


@pytest.fixture
async def pool(settings: Settings) -> AsyncIterator[McpPool]:
    async with McpPool(_params(settings), ready_wait=15) as p:
        yield p


async def _analyze(pool: McpPool, *, safe: bool) -> str:
    result = await pool.call(
        "intent", "analyze_intent", {"message": "checkout", "locale": "en"}, safe_to_retry=safe
    )
    assert result.structured_content is not None
    return str(result.structured_content["intent"])


async def test_the_pool_starts_each_server_once_and_lists_its_tools(
    pool: McpPool, settings: Settings
) -> None:
    state = pool.states()["intent"]
    assert state.status == "up"
    assert state.tools == ("analyze_intent", "get_suggestions", "validate_mapping")
    assert len(server_pids(settings.data_dir, "intent")) == 1
    assert await _analyze(pool, safe=True) == "get_payment_link"


async def test_a_killed_server_is_restarted_and_a_safe_call_is_retried(
    pool: McpPool, settings: Settings
) -> None:
    kill(server_pids(settings.data_dir, "intent"))
    with anyio.fail_after(30):
        assert await _analyze(pool, safe=True) == "get_payment_link"
    assert pool.states()["intent"].restarts == 1
    assert len(server_pids(settings.data_dir, "intent")) == 1


async def test_a_call_that_is_not_safe_to_repeat_fails_clearly_after_a_crash(
    pool: McpPool, settings: Settings
) -> None:
    kill(server_pids(settings.data_dir, "intent"))
    with anyio.fail_after(30), pytest.raises(ServerUnavailable, match="'intent' is unavailable"):
        await _analyze(pool, safe=False)
    with anyio.fail_after(30):
        assert await _analyze(pool, safe=True) == "get_payment_link"


async def test_shutdown_leaves_no_server_process(settings: Settings) -> None:
    with anyio.fail_after(30):
        async with McpPool(_params(settings), ready_wait=15):
            assert len(server_pids(settings.data_dir, "intent")) == 1
    assert server_pids(settings.data_dir, "intent") == []


async def test_a_server_that_cannot_start_is_reported_not_hung(tmp_path: Path) -> None:
    broken = {
        "intent": StdioServerParameters(
            command=sys.executable, args=["-c", "import sys; sys.exit(3)"], cwd=PROJECT_ROOT
        )
    }
    with anyio.fail_after(30):
        async with McpPool(broken, ready_wait=1) as pool:
            with pytest.raises(ServerUnavailable):
                await pool.call("intent", "analyze_intent", {"message": "x"})
            assert pool.states()["intent"].status in {"restarting", "starting"}
            assert pool.states()["intent"].last_error


BUSY_SERVER = """
import time
from mcp.server import MCPServer

server = MCPServer("busy")


@server.tool()
async def block(seconds: float) -> str:
    time.sleep(seconds)  # holds the event loop, as a CPU-bound step would
    return "done"


server.run()
"""


async def test_a_server_busy_with_a_call_is_not_killed_by_the_liveness_probe() -> None:
    busy = {
        "busy": StdioServerParameters(
            command=sys.executable, args=["-c", BUSY_SERVER], cwd=PROJECT_ROOT
        )
    }
    # probes every 0.2 s that time out after 0.3 s: the 2 s call misses several of them
    with anyio.fail_after(60):
        async with McpPool(busy, ready_wait=15, ping=(0.2, 0.3)) as pool:
            result = await pool.call("busy", "block", {"seconds": 2.0})
            assert not result.is_error and result.structured_content == {"result": "done"}
            assert pool.states()["busy"].restarts == 0
            assert pool.states()["busy"].status == "up"
