"""The errors of the notifications server, one tree:

    NotificationError
    ├── InvalidRecipientError (ValueError)    an e-mail address or phone number that cannot be used
    ├── MessageError (ValueError)             a message the tools cannot build (no text, no subject)
    ├── IdempotencyConflictError              a key reused for a different message
    └── DeliveryError                         one attempt to hand a message to a provider failed
        ├── TransientDeliveryError            worth retrying: network, timeout, 429, 5xx, SMTP 4xx
        └── PermanentDeliveryError            the provider refused the message: retrying won't help

The first three reach the caller as coded tool failures (`code` and `params`, see
`mcp_servers.errors`): `invalid_recipient`, `invalid_message`, `idempotency_conflict`. Delivery
errors never leave the server: they end as a `failed` outbox record carrying `str(error)` as its
reason.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "DeliveryError",
    "IdempotencyConflictError",
    "InvalidRecipientError",
    "MessageError",
    "NotificationError",
    "PermanentDeliveryError",
    "TransientDeliveryError",
]


class NotificationError(Exception):
    """Root of every error raised by this package; `code` and `params` describe it as data."""

    code: ClassVar[str] = "notification_error"

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.params: dict[str, Any] = params


class InvalidRecipientError(NotificationError, ValueError):
    """The recipient is not a usable e-mail address or phone number."""

    code = "invalid_recipient"


class MessageError(NotificationError, ValueError):
    """The arguments do not describe one message (e.g. both or neither of text and template)."""

    code = "invalid_message"


class IdempotencyConflictError(NotificationError):
    """An idempotency key already names an outbox message with other content or recipient."""

    code = "idempotency_conflict"


class DeliveryError(NotificationError):
    """One attempt to deliver a message failed; the message says which provider and why."""


class TransientDeliveryError(DeliveryError):
    """The failure may go away: the attempt is retried with backoff."""


class PermanentDeliveryError(DeliveryError):
    """The provider refused the message itself: the message fails without further attempts."""
