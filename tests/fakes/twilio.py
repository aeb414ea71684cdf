"""A local stand-in for Twilio's Messages API (REST API 2010-04-01), in its wire format.

`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded `To`, `From`, `Body`, HTTP
basic auth with the account SID and auth token; answers `201` with a Message resource, or Twilio's
error body `{"code", "message", "more_info", "status"}`. Point a client at `fake.url` (Twilio's
`https://api.twilio.com`) and read what arrived in `fake.messages`.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.utils import formatdate

from ._http import Request, Response, serve

__all__ = ["FakeTwilio", "TwilioMessage"]

_MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>AC[0-9a-f]{32})/Messages\.json$")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


@dataclass(frozen=True, slots=True)
class TwilioMessage:
    """A message the fake accepted."""

    sid: str
    to: str
    from_: str
    body: str


def _error(status: int, code: int, message: str) -> Response:
    return Response.json(
        status,
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
    )


@dataclass
class FakeTwilio:
    """Twilio's Messages API as far as sending an SMS goes."""

    account_sid: str = "AC" + "0123456789abcdef" * 2
    auth_token: str = "fake-twilio-auth-token"
    url: str = ""
    """The base URL while `running()`; what TWILIO_BASE_URL should be."""
    messages: list[TwilioMessage] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    """Every request, including the ones answered with an error."""
    _scripted: deque[Response] = field(default_factory=deque)

    def fail_next(
        self,
        times: int = 1,
        *,
        status: int = 503,
        code: int = 20503,
        message: str = "Service Unavailable",
    ) -> None:
        """Answer the next `times` well-formed requests with this error instead of sending."""
        self._scripted.extend(_error(status, code, message) for _ in range(times))

    @asynccontextmanager
    async def running(self) -> AsyncIterator[FakeTwilio]:
        async with serve(self.handle) as url:
            self.url = url
            yield self

    async def handle(self, request: Request) -> Response:
        self.requests.append(request)
        match = _MESSAGES_PATH.match(request.path)
        if request.method != "POST" or match is None:
            return _error(404, 20404, f"The requested resource {request.path} was not found")
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return _error(401, 20003, "Authenticate")
        if match["sid"] != self.account_sid:
            return _error(404, 20404, f"The requested resource {request.path} was not found")
        if self._scripted:
            return self._scripted.popleft()
        form = request.form()
        to, from_, body = form.get("To", ""), form.get("From", ""), form.get("Body", "")
        if not from_:
            return _error(400, 21603, "A 'From' phone number is required.")
        if not body:
            return _error(400, 21602, "Message body is required.")
        if not _E164.match(to):
            return _error(400, 21211, f"Invalid 'To' Phone Number: {to}")
        message = TwilioMessage("SM" + secrets.token_hex(16), to, from_, body)
        self.messages.append(message)
        return Response.json(201, self._resource(message))

    def _resource(self, message: TwilioMessage) -> dict[str, object]:
        now = formatdate(usegmt=True)
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{message.sid}"
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": message.body,
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": message.from_,
            "messaging_service_sid": None,
            "num_media": "0",
            "num_segments": str(len(message.body) // 153 + 1),
            "price": None,
            "price_unit": "USD",
            "sid": message.sid,
            "status": "queued",
            "subresource_uris": {"media": f"{uri}/Media.json"},
            "to": message.to,
            "uri": f"{uri}.json",
        }
