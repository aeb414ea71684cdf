"""The MCP servers as long-lived stdio subprocesses: started once, watched, restarted.

The SDK owns each subprocess: one `mcp.Client` per server, entered and exited in its own owner task
(the SDK refuses to exit a client from another task). Calls come from any request task. A call
that finds the connection closed tells the owner, which restarts the server with backoff and lists
its tools again; a watchdog ping notices a dead server between calls (a slow answer while calls are
in flight means busy, not dead: those calls have their own deadlines). A call that is safe to repeat
(read-only, or idempotent) is retried once after a crash; any other gets `ServerUnavailable`, which
the orchestrator turns into a localized apology, never a hang.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal

import anyio
from mcp import Client, MCPError, StdioServerParameters
from mcp.types import CallToolResult
from mcp_types.jsonrpc import CONNECTION_CLOSED, REQUEST_TIMEOUT

from server.metrics import observed_call
from shopmcp.logs import request_meta
from shopmcp.settings import PROJECT_ROOT, Settings

__all__ = [
    "SERVER_NAMES",
    "McpPool",
    "ServerError",
    "ServerState",
    "ServerTimeout",
    "ServerUnavailable",
    "server_parameters",
]

logger = logging.getLogger(__name__)

SERVER_NAMES = ("intent", "ecommerce_storefront", "ecommerce_admin", "notifications")

# A Python stdio server starts in about 0.65 s on a 2-core machine; a request arriving during a
# restart waits this long for it before the user gets an apology.
READY_WAIT_SECONDS = 5.0
# The tools answer in milliseconds; e-mail and SMS sends retry providers for a few seconds.
DEFAULT_CALL_TIMEOUT_SECONDS = 15.0
# Backoff between restarts of a crashing server: quick at first, capped so a broken server does
# not spin the CPU.
RESTART_BACKOFF_SECONDS = (0.1, 10.0)
# A dead server is noticed between calls within about this interval.
PING_INTERVAL_SECONDS = 5.0
PING_TIMEOUT_SECONDS = 3.0
# Tools that legitimately run long: an import of a 20,000-row workbook parses for tens of seconds.
TOOL_TIMEOUT_SECONDS = {"create_from_file": 120.0}

Status = Literal["starting", "up", "restarting", "stopped"]


class ServerError(Exception):
    """Root of the pool's errors."""


class ServerUnavailable(ServerError):
    """The server is down (crashed, restarting, or never came up)."""

    def __init__(self, server: str, reason: str) -> None:
        self.server = server
        self.reason = reason
        super().__init__(f"MCP server '{server}' is unavailable: {reason}")


class ServerTimeout(ServerError):
    """The call passed its deadline; the server's handler was cancelled."""

    def __init__(self, server: str, tool: str, seconds: float) -> None:
        self.server = server
        super().__init__(f"{server}.{tool} did not answer within {seconds:.1f} s")


@dataclass(slots=True)
class ServerState:
    name: str
    status: Status = "starting"
    restarts: int = 0
    last_error: str | None = None
    tools: tuple[str, ...] = ()
    since: float = field(default_factory=time.time)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "restarts": self.restarts,
            "last_error": self.last_error,
            "tools": list(self.tools),
            "since": round(self.since, 3),
        }


def server_parameters(settings: Settings) -> dict[str, StdioServerParameters]:
    """How to start each server: this Python, `-m mcp_servers.<name>`, the settings it needs."""
    env = settings.subprocess_env()
    return {
        name: StdioServerParameters(
            command=sys.executable, args=["-m", f"mcp_servers.{name}"], env=env, cwd=PROJECT_ROOT
        )
        for name in SERVER_NAMES
    }


class _Managed:
    """One server: its owner task keeps a Client open and restarts it when it dies."""

    def __init__(self, name: str, params: StdioServerParameters, ping: tuple[float, float]) -> None:
        self.name = name
        self.params = params
        self.ping = ping
        self.in_flight = 0
        self.state = ServerState(name)
        self._client: Client | None = None
        self._ready = anyio.Event()
        self._broken = anyio.Event()
        self._stop = anyio.Event()
        self._closing = False

    async def own(self) -> None:
        delay, cap = RESTART_BACKOFF_SECONDS
        while not self._closing:
            self._broken = anyio.Event()
            try:
                async with Client(self.params) as client:
                    listed = await client.list_tools()
                    self.state.tools = tuple(sorted(t.name for t in listed.tools))
                    self._client = client
                    self.state.status = "up"
                    self.state.since = time.time()
                    self._ready.set()
                    delay = RESTART_BACKOFF_SECONDS[0]
                    logger.info("MCP server %s up with %d tools", self.name, len(listed.tools))
                    async with anyio.create_task_group() as tg:
                        tg.start_soon(self._watchdog, client)
                        await self._broken.wait()
                        tg.cancel_scope.cancel()
            except Exception as exc:  # the server failed to start or died; restart it below
                self.state.last_error = f"{type(exc).__name__}: {exc}"
                logger.warning("MCP server %s stopped: %s", self.name, self.state.last_error)
            finally:
                self._client = None
                if self._ready.is_set():
                    self._ready = anyio.Event()
            if self._closing:
                break
            self.state.status = "restarting"
            self.state.restarts += 1
            with anyio.move_on_after(delay):
                await self._stop.wait()
            delay = min(delay * 2, cap)
        self.state.status = "stopped"

    async def _watchdog(self, client: Client) -> None:
        interval, timeout = self.ping
        while True:
            await anyio.sleep(interval)
            try:
                # ping is gone from the 2026-07-28 protocol; an uncached tools/list is the probe
                with anyio.fail_after(timeout):
                    listed = await client.list_tools(cache_mode="bypass")
                self.state.tools = tuple(sorted(t.name for t in listed.tools))
            except TimeoutError:
                if self.in_flight:  # busy with calls that time out on their own; not dead
                    logger.info("MCP server %s slow to answer while busy", self.name)
                    continue
                self.state.last_error = "no answer to the liveness probe (tools/list)"
                self._broken.set()
                return
            except (MCPError, anyio.ClosedResourceError, anyio.BrokenResourceError):
                self.state.last_error = "no answer to the liveness probe (tools/list)"
                self._broken.set()
                return

    def mark_broken(self, reason: str) -> None:
        """A call saw the connection die: stop handing out this client and let the owner restart."""
        self.state.last_error = reason
        self._client = None
        if self._ready.is_set():
            self._ready = anyio.Event()
        self._broken.set()

    async def client(self, wait: float) -> Client:
        if self._client is None:
            with anyio.move_on_after(wait):
                await self._ready.wait()
        if self._client is None:
            raise ServerUnavailable(self.name, self.state.last_error or self.state.status)
        return self._client

    def close(self) -> None:
        self._closing = True
        self._broken.set()
        self._stop.set()


class McpPool:
    """The four MCP servers, as an async context manager that starts and stops them."""

    def __init__(
        self,
        servers: Mapping[str, StdioServerParameters],
        *,
        call_timeout: float = DEFAULT_CALL_TIMEOUT_SECONDS,
        ready_wait: float = READY_WAIT_SECONDS,
        ping: tuple[float, float] = (PING_INTERVAL_SECONDS, PING_TIMEOUT_SECONDS),
    ) -> None:
        self._servers = {name: _Managed(name, p, ping) for name, p in servers.items()}
        self.call_timeout = call_timeout
        self.ready_wait = ready_wait
        self._tg: anyio.abc.TaskGroup | None = None

    async def __aenter__(self) -> McpPool:
        self._tg = anyio.create_task_group()
        await self._tg.__aenter__()
        for managed in self._servers.values():
            self._tg.start_soon(managed.own, name=f"mcp-{managed.name}")
        with anyio.move_on_after(self.ready_wait * 3):
            for managed in self._servers.values():
                await managed._ready.wait()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for managed in self._servers.values():
            managed.close()
        assert self._tg is not None
        # Each owner leaves its Client, which closes stdin, waits 2 s and then terminates the
        # server's process group: shutdown is bounded by the SDK, and no process is left behind.
        await self._tg.__aexit__(exc_type, exc, tb)

    def states(self) -> dict[str, ServerState]:
        return {name: m.state for name, m in self._servers.items()}

    @observed_call
    async def call(
        self,
        server: str,
        tool: str,
        arguments: dict[str, Any] | None = None,
        *,
        safe_to_retry: bool = False,
        timeout: float | None = None,
    ) -> CallToolResult:
        """Call a tool; a crash retries once when `safe_to_retry`, else raises ServerUnavailable."""
        managed = self._servers.get(server)
        if managed is None:
            raise ServerUnavailable(server, "no such server in the pool")
        seconds = timeout or TOOL_TIMEOUT_SECONDS.get(tool, self.call_timeout)
        for attempt in (1, 2):
            client = await managed.client(self.ready_wait)
            managed.in_flight += 1
            try:
                return await client.call_tool(
                    tool, arguments or {}, read_timeout_seconds=seconds, meta=request_meta()
                )
            except MCPError as exc:
                if exc.error.code == REQUEST_TIMEOUT:
                    raise ServerTimeout(server, tool, seconds) from exc
                if exc.error.code != CONNECTION_CLOSED:
                    raise
                managed.mark_broken("connection closed during a call")
                if not (safe_to_retry and attempt == 1):
                    raise ServerUnavailable(server, "it stopped during the call") from exc
            except (anyio.ClosedResourceError, anyio.BrokenResourceError) as exc:
                managed.mark_broken("connection closed during a call")
                if not (safe_to_retry and attempt == 1):
                    raise ServerUnavailable(server, "it stopped during the call") from exc
            finally:
                managed.in_flight -= 1
        raise AssertionError("unreachable")
