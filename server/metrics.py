"""What `/metrics` shows: counters and histograms of this server process, in Prometheus text.

One `METRICS` per process, like a Prometheus client's default registry: the routes count refused
requests, `message()` wraps the answering of each message, `observed_call` wraps
`McpPool.call`, and the conversation store counts Redis failures. Gauges that live elsewhere are
read when scraped: each MCP server's state from the pool, and the notifications outbox's queue
from its SQLite file (read-only, on the status index, well under a millisecond).

Labels are bounded sets (channels, locales, intents of the contract, sources, server and tool
names, error codes); never a user, a message or an id.
"""

from __future__ import annotations

import functools
import logging
import re
import sqlite3
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from mcp.types import CallToolResult

from server.types import InboundMessage, Reply

__all__ = [
    "METRICS",
    "OUTBOX_FILENAME",
    "SOURCES",
    "Histogram",
    "Metrics",
    "observed_call",
    "outbox_depth",
    "redis_failed",
]

logger = logging.getLogger(__name__)

SOURCES = ("pattern", "fuzzy", "model", "ai", "none")
"""Who understood a message: the engine's patterns, its typo-tolerant matching, a local model,
the AI fallback, or nobody (the shopper was offered suggestions). `error` is also counted: a store
or MCP failure that the shopper got an apology for."""
ANSWERED_BY = {
    "pattern": "local",
    "fuzzy": "local",
    "model": "local",
    "ai": "ai",
    "none": "none",
    "error": "error",
}
OUTBOX_FILENAME = "outbox.sqlite3"
"""The notifications server's outbox in the data dir (mcp_servers/notifications/server.py)."""
# MCP tools answer in about a millisecond over stdio; sends and AI answers take seconds.
MCP_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
MESSAGE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
_CODE_RE = re.compile(r"([a-z][a-z0-9_]{1,48}): ")


class Histogram:
    """Cumulative buckets, sum and count per label tuple."""

    def __init__(self, buckets: tuple[float, ...]) -> None:
        self.buckets = buckets
        self._series: dict[tuple[str, ...], tuple[list[int], list[float]]] = {}

    def observe(self, labels: tuple[str, ...], value: float) -> None:
        counts, total = self._series.setdefault(labels, ([0] * (len(self.buckets) + 1), [0.0]))
        counts[bisect_left(self.buckets, value)] += 1
        total[0] += value

    def samples(self) -> Iterator[tuple[tuple[str, ...], str, str, float]]:
        """(labels, suffix, le, value) in exposition order."""
        for labels, (counts, total) in sorted(self._series.items()):
            running = 0
            for bound, n in zip((*self.buckets, float("inf")), counts, strict=True):
                running += n
                yield labels, "_bucket", "+Inf" if bound == float("inf") else f"{bound:g}", running
            yield labels, "_sum", "", total[0]
            yield labels, "_count", "", running


@dataclass(slots=True)
class _Seen:
    """The message being answered, as far as the metrics care."""

    inbound: InboundMessage
    source: str = "none"
    reply: Reply | None = None


_message: ContextVar[_Seen | None] = ContextVar("shopmcp_message", default=None)


class _Pool(Protocol):
    def states(self) -> Mapping[str, Any]: ...


@dataclass(slots=True)
class Metrics:
    messages: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    """(channel, locale, intent, source) -> messages answered."""
    answered: Counter[str] = field(default_factory=Counter)
    """local | ai | none | error -> messages answered."""
    errors: Counter[str] = field(default_factory=Counter)
    """reason -> requests refused or failed at the edge."""
    seconds_total: float = 0.0
    message_seconds: Histogram = field(default_factory=lambda: Histogram(MESSAGE_BUCKETS))
    mcp_seconds: Histogram = field(default_factory=lambda: Histogram(MCP_BUCKETS))
    mcp_errors: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    """(server, tool, code) -> tool calls that failed."""
    shop_errors: Counter[str] = field(default_factory=Counter)
    """code -> tool errors of the shop's servers (storefront, admin)."""
    redis_errors: Counter[str] = field(default_factory=Counter)
    """operation -> Redis calls that failed."""
    started: float = field(default_factory=time.time)

    @contextmanager
    def message(self, inbound: InboundMessage) -> Iterator[_Seen]:
        """Count the message answered inside the block (set `.reply` on what it yields)."""
        seen = _Seen(inbound)
        token = _message.set(seen)
        started = time.perf_counter()
        try:
            yield seen
        finally:
            _message.reset(token)
            seconds = time.perf_counter() - started
            self.seconds_total += seconds
            self.message_seconds.observe((inbound.client_type,), seconds)
        if seen.reply is not None:
            reply = seen.reply
            source = seen.source if reply.intent != "unknown" else "none"
            if reply.data.get("error") == "service_unavailable":
                source = "error"  # the shopper got an apology: not understood is not the point
            self.messages[(inbound.client_type, reply.locale, reply.intent, source)] += 1
            self.answered[ANSWERED_BY.get(source, "local")] += 1
            if logger.isEnabledFor(logging.DEBUG):
                ms = round(seconds * 1000, 2)
                fields = {"channel": inbound.client_type, "locale": reply.locale, "source": source}
                logger.debug("answered %s in %.2f ms", reply.intent, ms, extra={**fields, "ms": ms})

    def mcp_result(self, server: str, tool: str, result: CallToolResult) -> None:
        if result.is_error:
            code = _error_code(result)
            self.mcp_errors[(server, tool, code)] += 1
            if server.startswith("ecommerce_"):
                self.shop_errors[code] += 1
            return
        seen = _message.get()
        if tool == "analyze_intent" and seen is not None:
            source = (result.structured_content or {}).get("source", "none")
            seen.source = source if source in SOURCES else "other"

    def render(self, pool: _Pool | None = None, outbox: Path | None = None) -> str:
        out = _Exposition()
        out.counter(
            "messages_total",
            "Messages answered.",
            ("channel", "locale", "intent", "source"),
            self.messages,
        )
        out.counter(
            "messages_answered_total",
            "Messages by who understood them: local (pattern, fuzzy, model), ai, none or error.",
            ("by",),
            {(k,): v for k, v in self.answered.items()},
        )
        out.counter(
            "errors_total",
            "Requests refused or failed, by reason.",
            ("reason",),
            {(k,): v for k, v in self.errors.items()},
        )
        out.counter(
            "message_seconds_total", "Time spent answering messages.", (), {(): self.seconds_total}
        )
        out.histogram(
            "message_duration_seconds",
            "Time to answer one message.",
            ("channel",),
            self.message_seconds,
        )
        out.histogram(
            "mcp_call_duration_seconds",
            "MCP tool call latency.",
            ("server", "tool"),
            self.mcp_seconds,
        )
        out.counter(
            "mcp_call_errors_total",
            "MCP tool calls that failed, by error code.",
            ("server", "tool", "code"),
            self.mcp_errors,
        )
        out.counter(
            "shop_errors_total",
            "Errors of the shop's servers (storefront, admin), by code.",
            ("code",),
            {(k,): v for k, v in self.shop_errors.items()},
        )
        out.counter(
            "redis_errors_total",
            "Redis calls that failed, by operation.",
            ("operation",),
            {(k,): v for k, v in self.redis_errors.items()},
        )
        if pool is not None:
            states = pool.states()
            up = {(n,): int(s.status == "up") for n, s in states.items()}
            out.gauge("mcp_up", "Whether each MCP server is up.", ("server",), up)
            restarts = {(n,): s.restarts for n, s in states.items()}
            out.counter("mcp_restarts_total", "Restarts of each MCP server.", ("server",), restarts)
        depth = outbox_depth(outbox) if outbox is not None else None
        if depth is not None:
            out.gauge(
                "outbox_messages",
                "Outbox messages being sent (the queue) or failed.",
                ("status",),
                {(k,): v for k, v in depth.items()},
            )
        return out.text()


METRICS = Metrics()

_Call = TypeVar("_Call", bound=Callable[..., Awaitable[CallToolResult]])


def observed_call(call: _Call) -> _Call:
    """Decorates `McpPool.call`: latency per server and tool, failures by code."""

    @functools.wraps(call)
    async def timed(self: Any, server: str, tool: str, *args: Any, **kwargs: Any) -> CallToolResult:
        started = time.perf_counter()
        try:
            result = await call(self, server, tool, *args, **kwargs)
        except Exception as exc:
            METRICS.mcp_errors[(server, tool, _snake(type(exc).__name__))] += 1
            raise
        finally:
            METRICS.mcp_seconds.observe((server, tool), time.perf_counter() - started)
        METRICS.mcp_result(server, tool, result)
        return result

    return timed  # type: ignore[return-value]


def redis_failed(operation: str) -> None:
    """Count a failed Redis call (the caller goes on to handle the failure)."""
    METRICS.redis_errors[operation] += 1


def outbox_depth(path: Path) -> dict[str, int] | None:
    """Outbox rows `sending` (the queue) and `failed`; None without an outbox yet."""
    if not path.exists():
        return None
    try:
        with closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
        ) as db:
            rows = db.execute(
                "SELECT status, count(*) FROM outbox WHERE status IN ('sending', 'failed') "
                "GROUP BY status"
            ).fetchall()
    except sqlite3.Error:
        return None  # being created, or locked for longer than a scrape should wait
    return {"sending": 0, "failed": 0, **{str(s): int(n) for s, n in rows}}


def _error_code(result: CallToolResult) -> str:
    """The stable code of a failed call: structured `code`, else the `code: message` prefix."""
    content = result.structured_content or {}
    code = content.get("code")
    if isinstance(code, str) and re.fullmatch(r"[a-z][a-z0-9_]{1,48}", code):
        return code
    for block in result.content:
        found = _CODE_RE.match(getattr(block, "text", "") or "")
        if found:
            return found.group(1)
    return "error"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class _Exposition:
    """Prometheus text format 0.0.4."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def _head(self, name: str, help_: str, kind: str) -> str:
        full = f"shopmcp_{name}"
        self._lines += [f"# HELP {full} {help_}", f"# TYPE {full} {kind}"]
        return full

    def _series(
        self, name: str, labels: tuple[str, ...], values: Mapping[tuple[Any, ...], float]
    ) -> None:
        for key, value in sorted(values.items()):
            self._lines.append(f"{name}{_labels(labels, key)} {_number(value)}")

    def counter(
        self,
        name: str,
        help_: str,
        labels: tuple[str, ...],
        values: Mapping[tuple[Any, ...], float],
    ) -> None:
        self._series(self._head(name, help_, "counter"), labels, values)

    def gauge(
        self,
        name: str,
        help_: str,
        labels: tuple[str, ...],
        values: Mapping[tuple[Any, ...], float],
    ) -> None:
        self._series(self._head(name, help_, "gauge"), labels, values)

    def histogram(
        self, name: str, help_: str, labels: tuple[str, ...], histogram: Histogram
    ) -> None:
        full = self._head(name, help_, "histogram")
        for key, suffix, le, value in histogram.samples():
            names, values = (labels, key) if not le else ((*labels, "le"), (*key, le))
            self._lines.append(f"{full}{suffix}{_labels(names, values)} {_number(value)}")

    def text(self) -> str:
        return "\n".join(self._lines) + "\n"


def _labels(names: tuple[str, ...], values: tuple[Any, ...]) -> str:
    if not names:
        return ""
    escaped = (
        str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") for v in values
    )
    return "{" + ",".join(f'{n}="{v}"' for n, v in zip(names, escaped, strict=True)) + "}"


def _number(value: float) -> str:
    return str(value) if isinstance(value, int) else repr(float(value))
