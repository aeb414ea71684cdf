"""/metrics: Prometheus text of what this process answered, called and failed at."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import anyio
import pytest
import redis.asyncio as aioredis
from mcp.types import CallToolResult, TextContent
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from mcp_servers.notifications import OUTBOX_FILENAME as NOTIFICATIONS_OUTBOX
from mcp_servers.notifications.outbox import Draft, Outbox
from server.dedupe import Dedupe
from server.metrics import (
    METRICS,
    OUTBOX_FILENAME,
    Histogram,
    Metrics,
    observed_call,
    outbox_depth,
)
from server.ratelimit import Limit, RateLimiter
from server.store import RedisStore, StoreUnavailable
from server.types import InboundMessage, Reply

SAMPLE_RE = re.compile(r'^(shopmcp_[a-z_]+)(\{(?:[a-z_]+="(?:[^"\\]|\\.)*",?)*\})? (\S+)$')


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def samples(text: str) -> dict[str, float]:
    """`name{labels}` -> value, checking that every line is a comment or a valid sample."""
    found: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("# HELP shopmcp_") or line.startswith("# TYPE shopmcp_"):
            continue
        match = SAMPLE_RE.match(line)
        assert match, f"not a Prometheus sample: {line!r}"
        found[match.group(1) + (match.group(2) or "")] = float(match.group(3))
    return found


def analysis(source: str) -> CallToolResult:
    return CallToolResult(content=[], structured_content={"source": source}, is_error=False)


def failure(text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


def answer(metrics: Metrics, channel: str, source: str, intent: str, locale: str) -> None:
    inbound = InboundMessage(user_id="u", text="...", client_type=channel)  # type: ignore[arg-type]
    with metrics.message(inbound) as seen:
        metrics.mcp_result("intent", "analyze_intent", analysis(source))
        seen.reply = Reply(response="", intent=intent, locale=locale, conversation_id="c")


def test_a_message_is_counted_by_channel_locale_intent_and_who_understood_it() -> None:
    metrics = Metrics()
    answer(metrics, "whatsapp", "fuzzy", "add_to_basket", "es")
    answer(metrics, "whatsapp", "fuzzy", "add_to_basket", "es")
    answer(metrics, "mobile", "ai", "search_products", "de")
    answer(metrics, "web-storefront", "none", "unknown", "en")
    found = samples(metrics.render())
    key = 'shopmcp_messages_total{channel="whatsapp",locale="es",intent="add_to_basket",source="fuzzy"}'
    assert found[key] == 2
    key = (
        'shopmcp_messages_total{channel="mobile",locale="de",intent="search_products",source="ai"}'
    )
    assert found[key] == 1
    assert found['shopmcp_messages_answered_total{by="local"}'] == 2
    assert found['shopmcp_messages_answered_total{by="ai"}'] == 1
    assert found['shopmcp_messages_answered_total{by="none"}'] == 1
    assert found['shopmcp_message_duration_seconds_count{channel="whatsapp"}'] == 2


def test_an_apology_for_a_failure_counts_as_an_error_not_as_not_understood() -> None:
    metrics = Metrics()
    inbound = InboundMessage(user_id="u", text="...", client_type="mobile")
    with metrics.message(inbound) as seen:
        metrics.mcp_result("intent", "analyze_intent", analysis("pattern"))
        seen.reply = Reply(
            response="",
            intent="unknown",
            locale="en",
            conversation_id="c",
            data={"error": "service_unavailable"},
        )
    assert metrics.messages == {("mobile", "en", "unknown", "error"): 1}
    assert metrics.answered == {"error": 1}


def test_a_message_that_failed_is_timed_but_not_counted_as_answered() -> None:
    metrics = Metrics()
    inbound = InboundMessage(user_id="u", text="...", client_type="sms")
    with pytest.raises(LookupError), metrics.message(inbound):
        raise LookupError("the orchestrator broke")
    found = samples(metrics.render())
    assert not any(k.startswith("shopmcp_messages_total") for k in found)
    assert found['shopmcp_message_duration_seconds_count{channel="sms"}'] == 1


def test_an_analysis_outside_a_message_counts_nothing() -> None:
    metrics = Metrics()
    metrics.mcp_result("intent", "analyze_intent", analysis("pattern"))  # the startup probe
    assert not metrics.messages and not metrics.answered


def test_a_failed_shop_call_is_counted_by_its_error_code() -> None:
    metrics = Metrics()
    metrics.mcp_result("ecommerce_storefront", "add_to_basket", failure("out_of_stock: 2 left"))
    metrics.mcp_result("ecommerce_admin", "delete_product", failure("Error executing tool"))
    structured = CallToolResult(
        content=[], structured_content={"code": "backend_unavailable"}, is_error=True
    )
    metrics.mcp_result("ecommerce_storefront", "search_products", structured)
    metrics.mcp_result("notifications", "send_sms", failure("invalid_recipient: +1"))
    found = samples(metrics.render())
    assert found['shopmcp_shop_errors_total{code="out_of_stock"}'] == 1
    assert found['shopmcp_shop_errors_total{code="error"}'] == 1
    assert found['shopmcp_shop_errors_total{code="backend_unavailable"}'] == 1
    assert 'shopmcp_shop_errors_total{code="invalid_recipient"}' not in found
    key = 'shopmcp_mcp_call_errors_total{server="notifications",tool="send_sms",code="invalid_recipient"}'
    assert found[key] == 1


def test_a_histogram_counts_each_value_in_its_bucket_and_every_bucket_above() -> None:
    histogram = Histogram((0.01, 0.1, 1))
    for value in (0.005, 0.01, 0.05, 3):
        histogram.observe(("intent", "analyze_intent"), value)
    rows = [(suffix, le, value) for _, suffix, le, value in histogram.samples()]
    assert rows == [
        ("_bucket", "0.01", 2),
        ("_bucket", "0.1", 3),
        ("_bucket", "1", 3),
        ("_bucket", "+Inf", 4),
        ("_sum", "", pytest.approx(3.065)),
        ("_count", "", 4),
    ]


def test_label_values_are_escaped() -> None:
    metrics = Metrics()
    metrics.errors['say "hi"\\\n'] += 1
    assert 'shopmcp_errors_total{reason="say \\"hi\\"\\\\\\n"} 1' in metrics.render()


@pytest.mark.anyio
async def test_an_observed_call_is_timed_and_its_exception_counted_by_type() -> None:
    class Pool:
        @observed_call
        async def call(self, server: str, tool: str) -> CallToolResult:
            if tool == "broken":
                raise TimeoutError("no answer")
            return analysis("pattern")

    before = METRICS.mcp_errors[("test-server", "broken", "timeout_error")]
    await Pool().call("test-server", "fine")
    with pytest.raises(TimeoutError):
        await Pool().call("test-server", "broken")
    found = samples(METRICS.render())
    assert found['shopmcp_mcp_call_duration_seconds_count{server="test-server",tool="fine"}'] >= 1
    assert METRICS.mcp_errors[("test-server", "broken", "timeout_error")] == before + 1


def test_the_outbox_queue_is_read_from_the_notifications_outbox(tmp_path: Path) -> None:
    assert OUTBOX_FILENAME == NOTIFICATIONS_OUTBOX
    path = tmp_path / OUTBOX_FILENAME
    assert outbox_depth(path) is None
    outbox = Outbox.open(path)
    try:
        draft = Draft(channel="sms", recipient="+34612345678", body="hola")
        first, _ = outbox.claim(draft, "k1")
        outbox.claim(Draft(channel="sms", recipient="+34612345678", body="adiós"), "k2")
        assert outbox_depth(path) == {"sending": 2, "failed": 0}
        outbox.finish(first.id, "failed", attempts=3, error="provider down")
        assert outbox_depth(path) == {"sending": 1, "failed": 1}
        found = samples(Metrics().render(outbox=path))
    finally:
        outbox.close()
    assert found['shopmcp_outbox_messages{status="sending"}'] == 1
    assert found['shopmcp_outbox_messages{status="failed"}'] == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.anyio
async def test_redis_failures_are_counted_by_operation() -> None:
    # no retries: redis-py's default backoff would only make the test slower
    client = aioredis.Redis(host="127.0.0.1", port=_closed_port(), retry=Retry(NoBackoff(), 0))
    before = dict(METRICS.redis_errors)
    try:
        with anyio.fail_after(10):
            store = RedisStore(client)
            with pytest.raises(StoreUnavailable):
                await store.load("metrics-user")
            assert await RateLimiter(client).check([Limit("user", "metrics-user", 30, 60)]) is None
            assert await store.ping() is False
            assert await Dedupe(client).first_time("sms:SM-metrics") is True
    finally:
        await client.aclose()
    for operation in ("load", "rate_limit", "ping", "dedupe"):
        assert METRICS.redis_errors[operation] == before.get(operation, 0) + 1, operation
