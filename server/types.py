"""What flows between the routes, the webhooks and the orchestrator."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

__all__ = ["CLIENT_TYPES", "ClientType", "InboundMessage", "MessageHandler", "Reply"]

ClientType = Literal["whatsapp", "web-storefront", "instagram", "mobile", "sms"]
CLIENT_TYPES: tuple[ClientType, ...] = ("whatsapp", "web-storefront", "instagram", "mobile", "sms")


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One message from a shopper or an admin, whatever channel it came through."""

    user_id: str
    """The conversation's key: the namespace of how the sender proved who they are, then their id
    (`api:ana`, `whatsapp:34612345678`; server/identity.py builds it)."""
    text: str
    client_type: ClientType
    locale: str | None = None
    """The client's explicit locale, if it gave one."""
    phone: str | None = None
    """The sender's phone number (WhatsApp, SMS): a locale hint and the default SMS address."""
    accept_language: str | None = None
    admin: bool = False
    """True only when the request carried the admin API key."""
    message_id: str | None = None
    """The channel's own id, for deduplication of webhook retries."""


@dataclass(frozen=True, slots=True)
class Reply:
    """The answer to one message: text for the channel, structured data for rich clients."""

    response: str
    intent: str
    locale: str
    conversation_id: str
    slots: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)


class MessageHandler(Protocol):
    async def __call__(self, message: InboundMessage) -> Reply: ...
