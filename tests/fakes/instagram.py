"""A local stand-in for the Instagram messaging API's send endpoint, in its wire format.

`POST /{version}/me/messages` with `Authorization: Bearer {token}` and a JSON body
`{"recipient": {"id": IGSID}, "message": {"text": ...}}`; answers `200` with `recipient_id` and
`message_id`, or the Graph API's error body. WHATSAPP_API_URL should be `fake.api_url`.
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
from .whatsapp import _error

__all__ = ["FakeInstagram", "InstagramMessage"]

_MESSAGES_PATH = re.compile(r"^/(?P<version>v[0-9]+\.[0-9]+)/me/messages$")
_MAX_TEXT = 1000


@dataclass(frozen=True, slots=True)
class InstagramMessage:
    """A direct message the fake accepted."""

    id: str
    to: str
    text: str
    payload: dict[str, Any]


@dataclass
class FakeInstagram:
    """The Graph API's `/me/messages` endpoint for Instagram text messages."""

    token: str = "fake-instagram-token"
    version: str = "v21.0"
    url: str = ""
    """The server's base URL while `running()`."""
    closed_windows: set[str] = field(default_factory=set)
    """Recipients whose last message is more than 24 hours old: text to them is refused."""
    messages: list[InstagramMessage] = field(default_factory=list)
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
        code: int = 2,
        message: str = "Service temporarily unavailable",
    ) -> None:
        """Answer the next `times` well-formed requests with this Graph API error."""
        self._scripted.extend(_error(status, code, f"(#{code}) {message}") for _ in range(times))

    @asynccontextmanager
    async def running(self) -> AsyncIterator[FakeInstagram]:
        async with serve(self.handle) as url:
            self.url = url
            yield self

    async def handle(self, request: Request) -> Response:
        self.requests.append(request)
        if request.method != "POST" or _MESSAGES_PATH.match(request.path) is None:
            return _error(400, 100, "Unknown path components", error_type="GraphMethodException")
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return _error(401, 190, "Invalid OAuth access token - Cannot parse access token")
        if self._scripted:
            return self._scripted.popleft()
        payload = request.json()
        to = str((payload.get("recipient") or {}).get("id", ""))
        text = (payload.get("message") or {}).get("text")
        if not to.isdigit():
            return _error(400, 100, "(#100) No matching user found")
        if not text or len(text) > _MAX_TEXT:
            return _error(400, 100, "(#100) Length of param message[text] must be less than 1000")
        if to in self.closed_windows:
            return _error(400, 10, "(#10) This message is sent outside of allowed window.")
        message = InstagramMessage("aWdf" + secrets.token_urlsafe(24), to, text, payload)
        self.messages.append(message)
        return Response.json(200, {"recipient_id": to, "message_id": message.id})
