"""A local stand-in for the WhatsApp Cloud API's send endpoint, in its wire format.

`POST /{version}/{phone_number_id}/messages` with `Authorization: Bearer {token}` and a JSON body
(`messaging_product`, `to`, `type`, `text.body`); answers `200` with `contacts` and `messages[0].id`
(a `wamid.`), or the Graph API's error body `{"error": {"message", "type", "code", "error_data",
"fbtrace_id"}}`. WHATSAPP_API_URL should be `fake.api_url`.
"""

from __future__ import annotations

import re
import secrets
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from ._http import Request, Response, serve

__all__ = ["FakeWhatsApp", "WhatsAppMessage"]

_MESSAGES_PATH = re.compile(r"^/(?P<version>v[0-9]+\.[0-9]+)/(?P<phone_id>[0-9]+)/messages$")


@dataclass(frozen=True, slots=True)
class WhatsAppMessage:
    """A text message the fake accepted."""

    id: str
    to: str
    body: str
    payload: dict[str, Any]


def _error(
    status: int,
    code: int,
    message: str,
    *,
    details: str | None = None,
    error_type: str = "OAuthException",
) -> Response:
    error: dict[str, Any] = {
        "message": message,
        "type": error_type,
        "code": code,
        "fbtrace_id": "A" + secrets.token_hex(10),
    }
    if details is not None:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return Response.json(status, {"error": error})


@dataclass
class FakeWhatsApp:
    """The Cloud API's `/messages` endpoint for text messages."""

    phone_number_id: str = "106540352242922"
    token: str = "fake-whatsapp-token"
    version: str = "v21.0"
    url: str = ""
    """The server's base URL while `running()`."""
    allowed_recipients: set[str] | None = None
    """Like a test business number: only these `to` values (digits) are accepted, if set."""
    messages: list[WhatsAppMessage] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    _scripted: deque[Response] = field(default_factory=deque)

    @property
    def api_url(self) -> str:
        """What WHATSAPP_API_URL should be: the Graph API base with its version."""
        return f"{self.url}/{self.version}"

    def fail_next(
        self,
        times: int = 1,
        *,
        status: int = 500,
        code: int = 131000,
        message: str = "Something went wrong",
    ) -> None:
        """Answer the next `times` well-formed requests with this Graph API error."""
        self._scripted.extend(
            _error(status, code, f"(#{code}) {message}", details=message) for _ in range(times)
        )

    @asynccontextmanager
    async def running(self) -> AsyncIterator[FakeWhatsApp]:
        async with serve(self.handle) as url:
            self.url = url
            yield self

    async def handle(self, request: Request) -> Response:
        self.requests.append(request)
        match = _MESSAGES_PATH.match(request.path)
        if request.method != "POST" or match is None:
            return _error(400, 100, "Unknown path components", error_type="GraphMethodException")
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return _error(401, 190, "Invalid OAuth access token - Cannot parse access token")
        if match["phone_id"] != self.phone_number_id:
            return _error(
                400,
                100,
                f"Unsupported post request. Object with ID '{match['phone_id']}' does not exist",
                error_type="GraphMethodException",
            )
        if self._scripted:
            return self._scripted.popleft()
        payload = request.json()
        if payload.get("messaging_product") != "whatsapp":
            return _error(400, 100, "(#100) The parameter messaging_product is required.")
        to = str(payload.get("to", ""))
        body = (payload.get("text") or {}).get("body")
        if payload.get("type") != "text" or not body:
            return _error(
                400, 131008, "(#131008) Required parameter is missing", details="text.body"
            )
        digits = to.lstrip("+")
        if not digits.isdigit():
            return _error(400, 100, "(#100) Invalid parameter", details=f"'to' is {to!r}")
        if self.allowed_recipients is not None and digits not in self.allowed_recipients:
            return _error(
                400,
                131030,
                "(#131030) Recipient phone number not in allowed list",
                details="Recipient phone number not in allowed list: add recipient phone number "
                "to recipient list and try again.",
            )
        message = WhatsAppMessage("wamid." + secrets.token_urlsafe(24), to, body, payload)
        self.messages.append(message)
        return Response.json(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": digits}],
                "messages": [{"id": message.id}],
            },
        )
