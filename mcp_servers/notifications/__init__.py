"""MCP server that sends e-mail, SMS, WhatsApp and Instagram messages, keeping each in an outbox.

Run it with `python -m mcp_servers.notifications`; build it in process with `create_server`.
"""

from .delivery import RetryPolicy
from .errors import (
    DeliveryError,
    IdempotencyConflictError,
    InvalidRecipientError,
    MessageError,
    NotificationError,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from .server import OUTBOX_FILENAME, create_server
from .templates import LOCALES, render

__all__ = [
    "LOCALES",
    "OUTBOX_FILENAME",
    "DeliveryError",
    "IdempotencyConflictError",
    "InvalidRecipientError",
    "MessageError",
    "NotificationError",
    "PermanentDeliveryError",
    "RetryPolicy",
    "TransientDeliveryError",
    "create_server",
    "render",
]
