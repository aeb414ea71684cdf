"""Connection limits: a slow or greedy client cannot hold the server's sockets.

Uvicorn by itself waits forever for a request's headers and body, and takes any number of
connections from one address. Two pieces close that, as nginx's `client_header_timeout`,
`client_body_timeout` and `limit_conn` do:

- `LimitedH11Protocol`, uvicorn's h11 protocol with a deadline on each request's headers (from
  its first byte, or from the connection's opening) and a cap on open connections per client
  address and per process; past a deadline the client gets a 408, past a cap a 503, and the
  socket is closed at once. Trusted proxies (FORWARDED_ALLOW_IPS) are exempt from the per-address
  cap: every shopper behind them shares their address.
- `BodyDeadline`, an ASGI middleware that reads a request's whole body within a deadline before the
  route runs, and answers 408 (and closes) when it does not arrive; routes never see half a body.

`uvicorn_options(settings)` is what `shopmcp serve` hands to `uvicorn.run`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import time
from functools import cache
from typing import Any

import anyio
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from shopmcp.settings import Settings

__all__ = ["BodyDeadline", "LimitedH11Protocol", "TrustedProxies", "uvicorn_options"]

logger = logging.getLogger(__name__)

# At most one warning per this many seconds about refused connections: a flood of them is the
# very thing being refused, and must not also flood the log.
WARN_EVERY_SECONDS = 10.0


class TrustedProxies:
    """FORWARDED_ALLOW_IPS read as addresses and networks: `"127.0.0.1, 10.0.0.0/8"`, or `*`."""

    def __init__(self, spec: str) -> None:
        entries = [e.strip() for e in spec.split(",") if e.strip()]
        self.any = "*" in entries
        self._networks = []
        for entry in entries:
            try:
                self._networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                continue  # a unix socket path or "*": no TCP peer is ever one of these

    def __contains__(self, address: str) -> bool:
        if self.any:
            return True
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._networks)


def _raw_response(status: int, reason: str, body: dict[str, Any], *extra: str) -> bytes:
    payload = json.dumps(body).encode()
    head = [
        f"HTTP/1.1 {status} {reason}",
        "content-type: application/json",
        "connection: close",
        f"content-length: {len(payload)}",
        *extra,
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + payload


@cache
def _settings() -> Settings:
    # uvicorn builds the protocol itself (in each worker process), so it reads the environment
    # the server was started with: the same values `shopmcp serve` validated before starting.
    return Settings.from_env()


@cache
def _trusted() -> TrustedProxies:
    return TrustedProxies(_settings().forwarded_allow_ips)


_open_by_address: dict[str, set[asyncio.BaseTransport]] = {}
_last_warning = 0.0


def _open_from(address: str) -> set[asyncio.BaseTransport]:
    # A connection upgraded to a WebSocket leaves this protocol without `connection_lost`, so
    # closed transports are swept out here rather than trusted to unregister.
    transports = _open_by_address.setdefault(address, set())
    transports.difference_update([t for t in transports if t.is_closing()])
    return transports


def _warn(message: str, *args: object) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning(message, *args)


class LimitedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header deadline and per-address and per-process caps."""

    _header_timer: asyncio.TimerHandle | None = None
    _address: str | None = None
    _seen_cycle: object = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        settings = _settings()
        if len(self.connections) > settings.max_connections:
            _warn(
                "refusing connections: %d open, the cap is %d",
                len(self.connections) - 1,
                settings.max_connections,
            )
            self._refuse(503, "Service Unavailable", "the server has too many open connections")
            return
        address = self.client[0] if self.client else None
        if address is not None and settings.max_connections_per_ip and address not in _trusted():
            transports = _open_from(address)
            if len(transports) >= settings.max_connections_per_ip:
                _warn(
                    "refusing connections from %s: %d open, the cap is %d",
                    address,
                    len(transports),
                    settings.max_connections_per_ip,
                )
                self._refuse(
                    503,
                    "Service Unavailable",
                    "too many open connections from this "
                    f"address; at most {settings.max_connections_per_ip}",
                )
                return
            transports.add(transport)
            self._address = address
        self._start_header_timer()

    def data_received(self, data: bytes) -> None:
        if self._header_timer is None and (self.cycle is None or self.cycle.response_complete):
            self._start_header_timer()  # the first bytes of the next request on a kept-alive line
        super().data_received(data)
        if self.cycle is not None and self.cycle is not self._seen_cycle:
            self._seen_cycle = self.cycle  # a new request's headers are in: the route takes over
            self._stop_header_timer()

    def handle_websocket_upgrade(self, event: Any) -> None:
        self._stop_header_timer()
        super().handle_websocket_upgrade(event)

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        if self._address is not None:
            transports = _open_by_address.get(self._address)
            if transports is not None:
                transports.discard(self.transport)
                if not transports:
                    del _open_by_address[self._address]
        super().connection_lost(exc)

    def _start_header_timer(self) -> None:
        self._stop_header_timer()
        self._header_timer = self.loop.call_later(
            _settings().header_timeout_seconds, self._header_timeout
        )

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_timeout(self) -> None:
        self._header_timer = None
        seconds = _settings().header_timeout_seconds
        self._refuse(408, "Request Timeout", f"the request headers took more than {seconds:g} s")

    def _refuse(self, status: int, reason: str, message: str) -> None:
        self._stop_header_timer()
        if not self.transport.is_closing():
            extra = ("retry-after: 1",) if status == 503 else ()
            self.transport.write(_raw_response(status, reason, {"error": message}, *extra))
            self.transport.close()


class BodyDeadline:
    """Read an HTTP request's whole body within `timeout` seconds before the app runs, else 408.

    The body is read into memory up to `max_bytes` (beyond that the app reads the rest itself and
    refuses it as too large); a body that stops arriving gets a 408 with `connection: close`.
    """

    def __init__(self, app: ASGIApp, timeout: float, max_bytes: int) -> None:
        self.app = app
        self.timeout = timeout
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received: list[Message] = []
        size = 0
        with anyio.move_on_after(self.timeout) as deadline:
            while True:
                message = await receive()
                received.append(message)
                if message["type"] != "http.request":
                    break  # a disconnect: the app sees it in its turn
                size += len(message.get("body", b""))
                if not message.get("more_body", False) or size > self.max_bytes:
                    break
        if deadline.cancelled_caught:
            await self._timeout(send)
            return

        async def replay() -> Message:
            return received.pop(0) if received else await receive()

        await self.app(scope, replay, send)

    async def _timeout(self, send: Send) -> None:
        body = json.dumps(
            {"error": f"the request body took more than {self.timeout:g} s to arrive"}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 408,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"connection", b"close"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """The keyword arguments of `uvicorn.run` that bound connections and trust proxies."""
    return {
        "http": f"{__name__}:LimitedH11Protocol",
        "timeout_keep_alive": settings.keep_alive_seconds,
        "limit_concurrency": settings.max_connections,
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
    }
