"""The HTTP side of logging: a request id on every request, and Litestar's logs in our format.

`RequestIdMiddleware` wraps the whole application (routing included, so a 404 has an id too): it
accepts a valid incoming `X-Request-ID` or makes one, binds it for the request's log lines (and,
through the pool, its MCP calls) and returns it as a response header. A WebSocket keeps the id of
its handshake for all its messages.

`ObservabilityPlugin` keeps whatever the app's `LoggingConfig` says about logging exceptions, but
stops Litestar from installing its own handlers and format: its lines go to the root logger that
`shopmcp.logs.configure` set up, like everyone else's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from litestar.logging.config import LoggingConfig
from litestar.plugins import InitPluginProtocol

from shopmcp.logs import accept_request_id, bound_request_id

if TYPE_CHECKING:
    from litestar import Litestar
    from litestar.config.app import AppConfig
    from litestar.types import ASGIApp, Message, Receive, Scope, Send
    from litestar.types.callable_types import GetLogger

__all__ = ["REQUEST_ID_HEADER", "ObservabilityPlugin", "RequestIdMiddleware", "observe"]

REQUEST_ID_HEADER = "x-request-id"


class RequestIdMiddleware:
    """ASGI middleware: one request id per HTTP request or WebSocket, in logs and the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = next((v for k, v in scope["headers"] if k == REQUEST_ID_HEADER.encode()), None)
        request_id = accept_request_id(incoming.decode("latin-1") if incoming else None)
        header = (REQUEST_ID_HEADER.encode(), request_id.encode())

        async def send_with_id(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.accept"):
                message["headers"] = [*message.get("headers", ()), header]  # type: ignore[typeddict-unknown-key]
            await send(message)

        with bound_request_id(request_id):
            await self.app(scope, receive, send_with_id)


def observe(app: Litestar) -> Litestar:
    """Put `RequestIdMiddleware` around everything the app does for a request."""
    if not isinstance(app.asgi_handler, RequestIdMiddleware):
        app.asgi_handler = RequestIdMiddleware(app.asgi_handler)
    return app


@dataclass
class _RootLogging(LoggingConfig):
    """A LoggingConfig that configures nothing: Litestar's loggers propagate to the root's."""

    def configure(self) -> GetLogger:
        return logging.getLogger


class ObservabilityPlugin(InitPluginProtocol):
    """Litestar logs through the process's root handler (shopmcp.logs), not its own."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        config = app_config.logging_config
        if isinstance(config, LoggingConfig) and not isinstance(config, _RootLogging):
            kept: dict[str, Any] = {f.name: getattr(config, f.name) for f in fields(config)}
            app_config.logging_config = _RootLogging(**kept)
        return app_config
