"""One log format for every process of shopmcp, and the request id that ties their lines together.

The server (its own loggers, uvicorn's access and error logs, Litestar's) and each MCP subprocess
install the same root handler on stderr through `configure()`. The MCP subprocesses write to the
server's own stderr (the SDK passes it through), and `Settings.subprocess_env` hands them
`SHOPMCP_LOG_FORMAT`, so one stream holds one format:

- `plain` (default), a line for people:
  `2026-12-04T18:01:02.123Z INFO 4242 server.orchestrator [7f3a…] MCP call failed: … key=value`
- `json`, one object per line for machines, with `ts`, `level`, `logger`, `msg`, `request_id`,
  `pid`, any `extra=` fields, and `exc` (the traceback) when there is one.

The request id lives in a contextvar. The HTTP layer binds it per request (server/observe.py),
the MCP pool sends it in each tool call's `_meta` under `REQUEST_ID_META_KEY`, and the MCP
servers bind it again around the call (`RequestIdMiddleware`), so a message can be followed
from the access line through the orchestrator into every server that worked on it.
"""

from __future__ import annotations

import json
import logging
import logging.config
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal

__all__ = [
    "LOG_FORMATS",
    "LOG_LEVELS",
    "REQUEST_ID_META_KEY",
    "JsonFormatter",
    "LogFormat",
    "PlainFormatter",
    "RequestIdMiddleware",
    "accept_request_id",
    "bound_request_id",
    "configure",
    "current_request_id",
    "dict_config",
    "request_meta",
]

LogFormat = Literal["plain", "json"]
LOG_FORMATS: tuple[LogFormat, ...] = ("plain", "json")
LOG_LEVELS = ("debug", "info", "warning", "error")
REQUEST_ID_META_KEY = "shopmcp/request_id"
"""The tool call's `_meta` key carrying the request id, prefixed like the SDK's own keys."""

# Our own code; SHOPMCP_LOG_LEVEL=debug opens these, not every library's chatter.
OWN_LOGGERS = ("shopmcp", "server", "mcp_servers", "engine", "commerce")
# Letters, digits and the separators ids commonly use (UUIDs, W3C and AWS trace ids). Anything
# else, or longer, is replaced: a header must not be able to forge log lines or bloat them.
_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,127}")
_request_id: ContextVar[str | None] = ContextVar("shopmcp_request_id", default=None)
# The attributes every LogRecord has; the rest came from `extra=` and are the line's fields.
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn's coloured copy of the message
    "request_id",
}


def current_request_id() -> str | None:
    """The id of the request this code is working for, if any."""
    return _request_id.get()


def accept_request_id(raw: str | None) -> str:
    """`raw` when it is an acceptable id (an incoming `X-Request-ID`), else a new one."""
    if raw is not None and _REQUEST_ID_RE.fullmatch(raw):
        return raw
    return uuid.uuid4().hex


@contextmanager
def bound_request_id(request_id: str | None) -> Iterator[str | None]:
    """Every log line written inside the block carries `request_id`."""
    token = _request_id.set(request_id)
    try:
        yield request_id
    finally:
        _request_id.reset(token)


def request_meta() -> dict[str, Any] | None:
    """The `_meta` of an MCP tool call made for the current request (None outside one)."""
    request_id = _request_id.get()
    return None if request_id is None else {REQUEST_ID_META_KEY: request_id}


def _timestamp(created: float) -> str:
    seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created))
    return f"{seconds}.{int(created % 1 * 1000):03d}Z"


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    """The record's `extra=` fields; an access line also gets its method, path and status."""
    fields = {k: v for k, v in vars(record).items() if k not in _RECORD_FIELDS}
    if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) == 5:
        client, method, path, _, status = record.args
        fields.update(client=client, method=method, path=path, status=status)
    return fields


class PlainFormatter(logging.Formatter):
    """`ts LEVEL pid logger [request id] message key=value …`, tracebacks on the lines after."""

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None) or _request_id.get()
        parts = [_timestamp(record.created), record.levelname, str(record.process), record.name]
        if request_id:
            parts.append(f"[{request_id}]")
        parts.append(record.getMessage())
        if record.name != "uvicorn.access":  # its fields are already the message
            parts += [f"{k}={v}" for k, v in _fields(record).items()]
        line = " ".join(parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line; newlines inside values are escaped, so a line is a record."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": _timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or _request_id.get(),
            "pid": record.process,
        }
        for key, value in _fields(record).items():
            entry.setdefault(key, value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def dict_config(log_format: str = "plain", level: str = "info") -> dict[str, Any]:
    """The `logging.config.dictConfig` of a shopmcp process; uvicorn takes it as `log_config`.

    One stderr handler on the root logger. uvicorn's and Litestar's loggers lose their own
    handlers and propagate to it; `level` applies to shopmcp's loggers, libraries stay at INFO
    or above.
    """
    if log_format not in LOG_FORMATS:
        raise ValueError(f"log format {log_format!r}; use one of {', '.join(LOG_FORMATS)}")
    if level.lower() not in LOG_LEVELS:
        raise ValueError(f"log level {level!r}; use one of {', '.join(LOG_LEVELS)}")
    own = level.upper()
    libraries = own if logging.getLevelName(own) >= logging.INFO else "INFO"
    formatter = JsonFormatter if log_format == "json" else PlainFormatter
    inherit = {"handlers": [], "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"shopmcp": {"()": f"{__name__}.{formatter.__name__}"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "shopmcp",
            }
        },
        "root": {"level": libraries, "handlers": ["stderr"]},
        "loggers": {
            **{name: {"level": own, "handlers": [], "propagate": True} for name in OWN_LOGGERS},
            **{
                name: dict(inherit)
                for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "litestar")
            },
        },
    }


def configure(log_format: str = "plain", level: str = "info") -> None:
    """Install the shopmcp log format for this process (entry points call it once)."""
    logging.config.dictConfig(dict_config(log_format, level))
    # a library's warning becomes a line in the same format, not a bare print to stderr
    logging.captureWarnings(True)


class RequestIdMiddleware:
    """MCP server middleware: the calling request's id (from `_meta`) on every line of the call.

    Each tool call also gets one DEBUG line on `logger_name` with its duration
    (`SHOPMCP_LOG_LEVEL=debug`).
    """

    def __init__(self, logger_name: str = __name__) -> None:
        self._logger = logging.getLogger(logger_name)

    async def __call__(self, ctx: Any, call_next: Callable[[Any], Awaitable[Any]]) -> Any:
        meta = ctx.meta or {}
        raw = meta.get(REQUEST_ID_META_KEY) if isinstance(meta, dict) else None
        request_id = raw if isinstance(raw, str) and _REQUEST_ID_RE.fullmatch(raw) else None
        if ctx.method != "tools/call":
            with bound_request_id(request_id):
                return await call_next(ctx)
        tool = (ctx.params or {}).get("name")
        with bound_request_id(request_id):
            started = time.perf_counter()
            try:
                return await call_next(ctx)
            finally:
                ms = round((time.perf_counter() - started) * 1000, 2)
                self._logger.debug(
                    "tools/call %s %.2f ms", tool, ms, extra={"tool": tool, "ms": ms}
                )
