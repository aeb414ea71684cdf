"""What an operator sees of a real server: JSON log lines that carry a request id from the HTTP
request through the MCP servers, and /metrics labelled by channel, locale, intent and source.

`shopmcp serve` runs with SHOPMCP_LOG_FORMAT=json and SHOPMCP_LOG_LEVEL=debug, its four MCP
subprocesses, a real Redis and SMTP server, and a local server speaking Anthropic's API as the
AI fallback (it answers `help` to the first message no pattern matches and `unknown` after)."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import RunningServer, _Inbox, start_server, stop_server
from tests.fakes.llm_servers import FakeAnthropic, Reply
from tests.server.procs import kill, server_pids

pytestmark = pytest.mark.slow

SAMPLE_RE = re.compile(r"^(shopmcp_[a-z_]+(?:\{.*\})?) (\S+)$")
RESTART_SECONDS = 30.0


@pytest.fixture(scope="module")
def observed(
    tmp_path_factory: pytest.TempPathFactory, smtp: tuple[_Inbox, int]
) -> Iterator[tuple[RunningServer, FakeAnthropic]]:
    inbox, port = smtp
    fake = FakeAnthropic([Reply.with_answer("help", {}, 0.95), Reply.with_answer("unknown")])
    with fake.running() as base_url:
        running = start_server(
            tmp_path_factory.mktemp("observed"),
            port,
            inbox,
            SHOPMCP_LOG_FORMAT="json",
            SHOPMCP_LOG_LEVEL="debug",
            ANTHROPIC_API_KEY="test-key",
            ANTHROPIC_BASE_URL=base_url,
            AI_PROVIDERS="anthropic",
        )
        try:
            yield running, fake
        finally:
            stop_server(running)


def log_entries(server: RunningServer) -> list[dict[str, Any]]:
    server.log.flush()
    lines = (server.data_dir / "server.log").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def metrics(server: RunningServer) -> dict[str, float]:
    with server.client() as c:
        text = c.get("/metrics").text
    found = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            match = SAMPLE_RE.match(line)
            assert match, line
            found[match.group(1)] = float(match.group(2))
    return found


def post(server: RunningServer, text: str, channel: str, **headers: str) -> Any:
    body = {"userId": f"obs-{uuid.uuid4().hex[:10]}", "message": text, "clientType": channel}
    with server.client(**headers) as c:
        response = c.post("/api/message", json=body)
    assert response.status_code == 200, response.text
    return response


def test_every_line_is_json_and_a_request_id_follows_a_message_into_the_mcp_servers(
    observed: tuple[RunningServer, FakeAnthropic],
) -> None:
    server, _ = observed
    request_id = f"trace-{uuid.uuid4().hex}"
    response = post(server, "Do you have iPhone?", "web-storefront", **{"X-Request-ID": request_id})
    assert response.headers["x-request-id"] == request_id

    entries = log_entries(server)  # json.loads of every line: one line, one object
    assert all({"ts", "level", "logger", "msg", "request_id"} <= set(e) for e in entries)
    mine = [e for e in entries if e["request_id"] == request_id]
    by_logger = {e["logger"]: e for e in mine}
    assert by_logger["uvicorn.access"]["path"] == "/api/message"
    assert by_logger["uvicorn.access"]["status"] == 200
    assert by_logger["server.metrics"]["source"] == "pattern"
    assert by_logger["mcp_servers.intent"]["tool"] == "analyze_intent"
    assert by_logger["mcp_servers.ecommerce_storefront"]["tool"] == "search_products"
    server_pid = by_logger["uvicorn.access"]["pid"]
    assert by_logger["mcp_servers.intent"]["pid"] != server_pid  # a line of another process


def test_an_unusable_request_id_is_replaced_and_every_response_has_one(
    observed: tuple[RunningServer, FakeAnthropic],
) -> None:
    server, _ = observed
    response = post(server, "hello", "mobile", **{"X-Request-ID": "x" * 300})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])
    with server.client() as c:
        assert re.fullmatch(r"[0-9a-f]{32}", c.get("/health").headers["x-request-id"])


def test_metrics_count_real_messages_by_channel_locale_intent_and_source(
    observed: tuple[RunningServer, FakeAnthropic],
) -> None:
    server, fake = observed
    unique = uuid.uuid4().hex[:8]  # the AI answers are cached in the shared Redis by text
    post(server, "Do you have iPhone?", "mobile")
    post(server, "agerga 2 fundas al carrito", "whatsapp")
    post(server, f"what is the meaning of life {unique}", "web-storefront")
    post(server, f"zorblax quintessence {unique}", "web-storefront")
    assert fake.calls == 2

    found = metrics(server)
    sources = {
        ("mobile", "en", "search_products", "pattern"),
        ("whatsapp", "es", "add_to_basket", "fuzzy"),
        ("web-storefront", "en", "help", "ai"),
        ("web-storefront", "en", "unknown", "none"),
    }
    for channel, locale, intent, source in sources:
        key = (
            f'shopmcp_messages_total{{channel="{channel}",locale="{locale}",'
            f'intent="{intent}",source="{source}"}}'
        )
        assert found.get(key, 0) >= 1, key
    assert found['shopmcp_messages_answered_total{by="local"}'] >= 2
    assert found['shopmcp_messages_answered_total{by="ai"}'] >= 1
    assert found['shopmcp_messages_answered_total{by="none"}'] >= 1
    calls = 'shopmcp_mcp_call_duration_seconds_count{server="intent",tool="analyze_intent"}'
    assert found[calls] >= 4
    bucket = (
        'shopmcp_mcp_call_duration_seconds_bucket{server="intent",tool="analyze_intent",le="+Inf"}'
    )
    assert found[bucket] == found[calls]
    assert found['shopmcp_outbox_messages{status="sending"}'] == 0
    assert found['shopmcp_mcp_restarts_total{server="notifications"}'] == 0


def test_a_killed_mcp_server_shows_as_a_restart(
    observed: tuple[RunningServer, FakeAnthropic],
) -> None:
    server, _ = observed
    kill(server_pids(server.data_dir, "notifications"))
    deadline = time.monotonic() + RESTART_SECONDS
    key = 'shopmcp_mcp_restarts_total{server="notifications"}'
    while metrics(server)[key] < 1:  # the pool's liveness probe notices within seconds
        assert time.monotonic() < deadline, "no restart counted"
        time.sleep(0.2)  # polling another process, not waiting on the code under test
    assert metrics(server)['shopmcp_mcp_restarts_total{server="intent"}'] == 0
