"""One log format for every process, and the request id that follows a message."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import anyio
import pytest
from mcp import Client
from mcp.server import MCPServer

from shopmcp.logs import (
    REQUEST_ID_META_KEY,
    JsonFormatter,
    PlainFormatter,
    RequestIdMiddleware,
    accept_request_id,
    bound_request_id,
    current_request_id,
    dict_config,
    request_meta,
)
from shopmcp.settings import PROJECT_ROOT


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO, logging.StreamHandler[io.StringIO]]]:
    """A logger of its own with a handler writing to a string (the root logger is pytest's)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("tests.shopmcp.captured")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream, handler
    logger.removeHandler(handler)


def test_a_json_line_is_one_object_with_the_request_id_the_extras_and_the_traceback(
    captured: tuple[logging.Logger, io.StringIO, logging.StreamHandler[io.StringIO]],
) -> None:
    logger, stream, handler = captured
    handler.setFormatter(JsonFormatter())
    with bound_request_id("req-42"):
        try:
            raise ValueError("broken\nin two lines")
        except ValueError:
            logger.exception("it failed for %s", "ana", extra={"tool": "search_products"})
    (line,) = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "tests.shopmcp.captured"
    assert entry["msg"] == "it failed for ana"
    assert entry["request_id"] == "req-42" and entry["tool"] == "search_products"
    assert entry["ts"].endswith("Z") and isinstance(entry["pid"], int)
    assert "ValueError: broken\nin two lines" in entry["exc"]


def test_a_line_outside_a_request_has_a_null_request_id(
    captured: tuple[logging.Logger, io.StringIO, logging.StreamHandler[io.StringIO]],
) -> None:
    logger, stream, handler = captured
    handler.setFormatter(JsonFormatter())
    logger.info("started")
    assert json.loads(stream.getvalue())["request_id"] is None


def test_the_plain_line_reads_time_level_pid_logger_request_id_message_and_fields(
    captured: tuple[logging.Logger, io.StringIO, logging.StreamHandler[io.StringIO]],
) -> None:
    logger, stream, handler = captured
    handler.setFormatter(PlainFormatter())
    with bound_request_id("req-7"):
        logger.warning("slow call", extra={"ms": 812.5})
    ts, level, pid, name, request_id, rest = stream.getvalue().rstrip("\n").split(" ", 5)
    assert ts.endswith("Z") and level == "WARNING" and pid.isdigit()
    assert name == "tests.shopmcp.captured" and request_id == "[req-7]"
    assert rest == "slow call ms=812.5"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        pytest.param("7f3a2b9c-1d4e-4f00-9a1b-2c3d4e5f6a7b", True, id="uuid"),
        pytest.param("Root=1-67891233-abcdef012345678912345678", True, id="aws-trace-id"),
        pytest.param("a" * 128, True, id="128-characters"),
        pytest.param("a" * 129, False, id="too-long"),
        pytest.param("two words", False, id="space"),
        pytest.param("forged\n{}", False, id="newline"),
        pytest.param("-leading-dash", False, id="leading-separator"),
        pytest.param("", False, id="empty"),
        pytest.param(None, False, id="absent"),
    ],
)
def test_an_incoming_request_id_is_kept_only_when_it_is_safe_to_log(
    given: str | None, kept: bool
) -> None:
    accepted = accept_request_id(given)
    assert (accepted == given) is kept
    if not kept:
        assert len(accepted) == 32 and int(accepted, 16) >= 0


def test_the_request_id_is_bound_for_the_block_only() -> None:
    assert current_request_id() is None and request_meta() is None
    with bound_request_id("outer"):
        with bound_request_id("inner"):
            assert request_meta() == {REQUEST_ID_META_KEY: "inner"}
        assert current_request_id() == "outer"
    assert current_request_id() is None


def test_a_bad_format_or_level_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="plain, json"):
        dict_config("yaml")
    with pytest.raises(ValueError, match="debug, info, warning, error"):
        dict_config("json", "verbose")


def test_configure_puts_uvicorn_litestar_warnings_and_our_lines_in_one_json_format() -> None:
    """In a process of its own, as `shopmcp serve` and each MCP server run it."""
    script = textwrap.dedent(
        """
        import logging, warnings
        from shopmcp.logs import bound_request_id, configure
        configure("json", "info")
        access = logging.getLogger("uvicorn.access")
        with bound_request_id("req-1"):
            access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/health", "1.1", 200)
            logging.getLogger("litestar").error("Uncaught exception")
            logging.getLogger("server.orchestrator").debug("hidden at info")
        logging.getLogger("uvicorn.error").info("Started server process [1]")
        warnings.warn("old API", DeprecationWarning, stacklevel=1)
        """
    )
    done = subprocess.run(
        [sys.executable, "-W", "always", "-c", script],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=True,
    )
    entries = [json.loads(line) for line in done.stderr.splitlines()]
    assert [e["logger"] for e in entries] == [
        "uvicorn.access",
        "litestar",
        "uvicorn.error",
        "py.warnings",
    ]
    access = entries[0]
    assert access["request_id"] == "req-1"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/health", 200)
    assert entries[1]["request_id"] == "req-1" and entries[2]["request_id"] is None
    assert "DeprecationWarning: old API" in entries[3]["msg"]


@pytest.mark.anyio
async def test_an_mcp_tool_call_logs_under_the_callers_request_id() -> None:
    """The id travels in the call's `_meta`; the server binds it around the call, for async
    tools and for sync tools, which the SDK runs on a worker thread."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.shopmcp.tools")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    server = MCPServer("logged")

    @server.tool()
    async def on_the_loop() -> str:
        logger.info("async tool")
        return "ok"

    @server.tool()
    def on_a_thread() -> str:
        logger.info("sync tool")
        return "ok"

    server.middleware.append(RequestIdMiddleware("tests.shopmcp.tools"))
    try:
        with anyio.fail_after(10):
            async with Client(server) as client:  # entered outside any request
                with bound_request_id("req-mcp"):
                    await client.call_tool("on_the_loop", {}, meta=request_meta())
                    await client.call_tool("on_a_thread", {}, meta=request_meta())
                await client.call_tool("on_the_loop", {})
    finally:
        logger.removeHandler(handler)
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(e["msg"], e["request_id"]) for e in entries if "tool" not in e] == [
        ("async tool", "req-mcp"),
        ("sync tool", "req-mcp"),
        ("async tool", None),
    ]
    timings = [e for e in entries if "tool" in e]
    assert [(e["tool"], e["request_id"]) for e in timings] == [
        ("on_the_loop", "req-mcp"),
        ("on_a_thread", "req-mcp"),
        ("on_the_loop", None),
    ]
    assert all(e["level"] == "DEBUG" and e["ms"] >= 0 for e in timings)
