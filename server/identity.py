"""Who is speaking, and which conversation that reaches: one namespace per way in.

A conversation belongs to the identity that started it. Its store key is `<namespace>:<id>`:

| namespace       | reached by                                             | id                  |
| --------------- | ------------------------------------------------------ | ------------------- |
| `whatsapp`, `instagram`, `sms` | the signed webhooks only                | the channel's sender |
| `api`           | `POST /api/message` and `/ws` without a key            | the body's `userId` |
| `key:<name>`    | `Authorization: Bearer <key>` of `SHOPMCP_API_KEYS`    | the body's `userId` |
| `admin`         | `Authorization: Bearer <ADMIN_API_KEY>`                | the body's `userId` |
| `web`           | the web chat's signed session cookie, on `/ws`         | the session id      |

Every key starts with its namespace and a key name holds no `:`, so no `userId` sent through one
way in can spell a key of another: `{"userId": "whatsapp:+34..."}` without a key is the
conversation `api:whatsapp:+34...`, never the WhatsApp shopper's. Only `admin` has admin rights.

The web session is a token the chat page sets as an HttpOnly cookie: `v1.<id>.<expiry>.<mac>`,
HMAC-SHA256 under a key derived from the payment-link secret, with one canonical spelling.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from shopmcp.settings import Settings

__all__ = [
    "SESSION_COOKIE",
    "SESSION_TTL_SECONDS",
    "Caller",
    "CredentialsError",
    "SessionError",
    "WebSessions",
    "authenticate",
    "channel_user",
    "same_origin",
    "socket_caller",
]

Channel = Literal["whatsapp", "instagram", "sms"]

SESSION_COOKIE = "shopmcp_session"
SESSION_TTL_SECONDS = 30 * 24 * 3600
"""A month: each visit to the chat page renews it, so a returning shopper keeps the chat."""
_SESSION_VERSION = "v1"


class CredentialsError(Exception):
    """The request carries a key that is not one of ours: refused (401), never a shopper."""


class SessionError(Exception):
    """The web session token is forged, malformed or expired."""


@dataclass(frozen=True, slots=True)
class Caller:
    """Who sent a message to the open API or the socket: where their ids live, what they may do.

    `subject` fixes the conversation whatever `userId` the body names (a web session).
    """

    namespace: str
    admin: bool = False
    subject: str | None = None

    def conversation(self, user_id: str) -> str:
        """The store key of this caller's conversation named `user_id`."""
        return f"{self.namespace}:{self.subject or user_id}"


OPEN = Caller("api")
ADMIN = Caller("admin", admin=True)


def channel_user(channel: Channel, sender: str) -> str:
    """The conversation of a channel's sender: reached only through its signed webhook."""
    return f"{channel}:{sender}"


def authenticate(authorization: str | None, settings: Settings) -> Caller:
    """The caller an `Authorization` header names: none is the open API; a bearer key must be
    the admin key or one of `SHOPMCP_API_KEYS`, else `CredentialsError`."""
    if not authorization:
        return OPEN
    scheme, _, key = authorization.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise CredentialsError(
            "the Authorization header must be 'Bearer <key>' with the admin key or an API key"
        )
    # bytes: compare_digest refuses non-ASCII str, and a hostile header must get a 401, not a 500
    given = key.strip().encode("utf-8", "surrogateescape")
    if settings.admin_api_key and hmac.compare_digest(given, settings.admin_api_key.encode()):
        return ADMIN
    for name, expected in settings.api_keys:
        if hmac.compare_digest(given, expected.encode()):
            return Caller(f"key:{name}")
    raise CredentialsError(
        "the Authorization bearer key is neither the admin key nor an API key of SHOPMCP_API_KEYS"
    )


def same_origin(origin: str | None, host: str | None, public_base_url: str) -> bool:
    """Whether a browser's `Origin` is this server (as the request's Host or the public URL).

    No `Origin` at all is not a browser page, so there is no other site to guard against."""
    if origin is None:
        return True
    netloc = urlsplit(origin).netloc.lower()
    return bool(netloc) and netloc in {(host or "").lower(), urlsplit(public_base_url).netloc}


class WebSessions:
    """Issues and checks the web chat's session tokens."""

    def __init__(self, link_secret: bytes, ttl_seconds: int = SESSION_TTL_SECONDS) -> None:
        # a key of its own, derived, so a session token can never pass for a payment link
        self._key = hmac.new(link_secret, b"shopmcp web session", hashlib.sha256).digest()
        self.ttl_seconds = ttl_seconds

    def _token(self, session_id: str, expires: int) -> str:
        body = f"{_SESSION_VERSION}.{session_id}.{expires}"
        mac = hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()
        return f"{body}.{mac}"

    def issue(self, session_id: str | None = None, *, now: float | None = None) -> str:
        """A token for `session_id` (a new random one by default), valid for `ttl_seconds`."""
        expires = int(now if now is not None else time.time()) + self.ttl_seconds
        return self._token(session_id or secrets.token_hex(16), expires)

    def verify(self, token: str, *, now: float | None = None) -> str:
        """The session id of a token this server issued and that has not expired."""
        parts = token.split(".")
        if (
            len(parts) != 4
            or parts[0] != _SESSION_VERSION
            or not parts[2].isdigit()
            or len(parts[2]) > 12
        ):
            raise SessionError("the web session token is malformed")
        _, session_id, expires, _ = parts
        expected = self._token(session_id, int(expires))
        # the whole token, recomputed: one canonical spelling, nothing appended or re-encoded
        if not hmac.compare_digest(expected.encode(), token.encode("utf-8", "surrogateescape")):
            raise SessionError("the web session token is not one this server issued")
        if int(expires) <= (now if now is not None else time.time()):
            raise SessionError("the web session has expired")
        return session_id


def socket_caller(
    headers: Mapping[str, str],
    cookies: Mapping[str, str],
    settings: Settings,
    sessions: WebSessions,
) -> Caller:
    """Who opened a `/ws` socket: a bearer key (apps, back-ends), else the web chat's session
    cookie, else the open namespace. A bad key or session raises: the socket is refused."""
    authorization = headers.get("authorization")
    if authorization:
        return authenticate(authorization, settings)
    token = cookies.get(SESSION_COOKIE)
    if token is None:
        return OPEN
    # a cookie rides along whatever page opens the socket: only our own page may use it
    if not same_origin(headers.get("origin"), headers.get("host"), settings.public_base_url):
        raise SessionError("the web session cannot be used from another site's page")
    return Caller("web", subject=sessions.verify(token))
