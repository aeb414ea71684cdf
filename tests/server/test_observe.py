"""Request ids at the HTTP edge, and Litestar logging through the process's one handler."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from litestar import Litestar, get
from litestar.logging.config import LoggingConfig
from litestar.testing import TestClient

from server.observe import ObservabilityPlugin, RequestIdMiddleware, observe
from shopmcp.logs import JsonFormatter, current_request_id

logger = logging.getLogger("tests.server.observe")


@get("/hello", sync_to_thread=False)
def hello() -> dict[str, str | None]:
    logger.info("saying hello")
    return {"seen": current_request_id()}


@get("/broken", sync_to_thread=False)
def broken() -> None:
    raise RuntimeError("a bug")


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    """JSON lines of our test logger and of Litestar's (which propagates to the root)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    targets = [logger, logging.getLogger("litestar")]
    for target in targets:
        target.addHandler(handler)
        target.setLevel(logging.INFO)
    yield stream
    for target in targets:
        target.removeHandler(handler)


@pytest.fixture
def client() -> Iterator[TestClient[Litestar]]:
    app = Litestar(
        route_handlers=[hello, broken],
        logging_config=LoggingConfig(log_exceptions="always"),
        plugins=[ObservabilityPlugin()],
    )
    with TestClient(observe(app)) as test_client:
        yield test_client


def test_a_valid_incoming_request_id_is_used_logged_and_returned(
    client: TestClient[Litestar], lines: io.StringIO
) -> None:
    response = client.get("/hello", headers={"X-Request-ID": "from-the-proxy-1"})
    assert response.headers["x-request-id"] == "from-the-proxy-1"
    assert response.json() == {"seen": "from-the-proxy-1"}
    (entry,) = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert (entry["msg"], entry["request_id"]) == ("saying hello", "from-the-proxy-1")


def test_a_request_without_a_usable_id_gets_a_new_one_per_request(
    client: TestClient[Litestar],
) -> None:
    first = client.get("/hello", headers={"X-Request-ID": "has spaces"})
    second = client.get("/hello")
    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert ids[0] != ids[1] and all(len(i) == 32 for i in ids)
    assert [first.json()["seen"], second.json()["seen"]] == ids


def test_a_404_has_a_request_id_too(client: TestClient[Litestar]) -> None:
    response = client.get("/favicon.ico", headers={"X-Request-ID": "no-such-page"})
    assert response.status_code == 404
    assert response.headers["x-request-id"] == "no-such-page"


def test_litestar_logs_an_exception_in_our_format_with_the_request_id(
    client: TestClient[Litestar], lines: io.StringIO
) -> None:
    assert client.get("/broken", headers={"X-Request-ID": "bug-1"}).status_code == 500
    entries = [json.loads(line) for line in lines.getvalue().splitlines()]
    (error,) = [e for e in entries if e["logger"] == "litestar"]
    assert error["level"] == "ERROR" and error["request_id"] == "bug-1"
    assert "RuntimeError: a bug" in error["exc"]


def test_the_plugin_keeps_the_exception_settings_and_leaves_the_root_logger_alone() -> None:
    root, litestar = logging.getLogger(), logging.getLogger("litestar")
    before = list(root.handlers), root.level, list(litestar.handlers)
    app = Litestar(
        route_handlers=[hello],
        logging_config=LoggingConfig(log_exceptions="always", disable_stack_trace={404}),
        plugins=[ObservabilityPlugin()],
    )
    assert (list(root.handlers), root.level, list(litestar.handlers)) == before
    config = app.logging_config
    assert isinstance(config, LoggingConfig)
    assert config.log_exceptions == "always" and config.disable_stack_trace == {404}


def test_observe_wraps_an_app_once() -> None:
    app = observe(observe(Litestar(route_handlers=[hello], logging_config=None)))
    assert isinstance(app.asgi_handler, RequestIdMiddleware)
    assert not isinstance(app.asgi_handler.app, RequestIdMiddleware)
