"""A minimal HTTP/1.1 server on the test's event loop, for wire-format fakes of provider APIs.

One request per connection (`Connection: close`), bodies by Content-Length: that is all the
clients under test (httpx, also under the twilio library) need, and it keeps the fakes free
of a web framework. The server listens on a real TCP port, so a subprocess can reach it too.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
from anyio.abc import SocketAttribute, SocketStream
from anyio.streams.buffered import BufferedByteReceiveStream

__all__ = ["Handler", "Request", "Response", "serve"]

_MAX_HEAD_BYTES = 65_536


@dataclass(frozen=True, slots=True)
class Request:
    """One request as received; header names are lower-cased."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        """The urlencoded body, last value of each field winning."""
        return {k: v[-1] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: Any) -> Response:
        return cls(status, json.dumps(payload).encode(), {"Content-Type": "application/json"})

    def encode(self) -> bytes:
        reason = HTTPStatus(self.status).phrase
        headers = {**self.headers, "Content-Length": str(len(self.body)), "Connection": "close"}
        head = f"HTTP/1.1 {self.status} {reason}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        return (head + "\r\n").encode("latin-1") + self.body


Handler = Callable[[Request], Awaitable[Response]]


async def _read_request(stream: SocketStream) -> Request:
    buffered = BufferedByteReceiveStream(stream)
    head = await buffered.receive_until(b"\r\n\r\n", _MAX_HEAD_BYTES)
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, target, _version = request_line.split(" ", 2)
    headers: dict[str, str] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", ""):
        raise NotImplementedError("the fake HTTP server reads Content-Length bodies only")
    length = int(headers.get("content-length", "0"))
    body = await buffered.receive_exactly(length) if length else b""
    url = urlsplit(target)
    return Request(method, url.path, parse_qs(url.query), headers, body)


async def _serve_connection(handler: Handler, stream: SocketStream) -> None:
    async with stream:
        try:
            request = await _read_request(stream)
        except (anyio.EndOfStream, anyio.IncompleteRead, anyio.BrokenResourceError):
            return  # the client went away before sending a whole request
        response = await handler(request)
        # The client may have given up waiting (a timeout under test).
        with suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
            await stream.send(response.encode())


@asynccontextmanager
async def serve(handler: Handler) -> AsyncIterator[str]:
    """Serve `handler` on 127.0.0.1 at a free port; yield the base URL, `http://127.0.0.1:PORT`."""
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
    port = listener.extra(SocketAttribute.local_port)
    async with listener, anyio.create_task_group() as tg:
        tg.start_soon(listener.serve, partial(_serve_connection, handler))
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            tg.cancel_scope.cancel()
