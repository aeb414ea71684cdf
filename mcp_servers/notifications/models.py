"""The wire shapes of the notifications tools: they become the published JSON schemas.

A message is either raw `text` or a `template` (one of the models in `TemplateMessage`, told apart
by its `name`) carrying typed params and a locale. Results are `OutboxEntry` rows: every message,
sent or not, is one row of the outbox.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from commerce import Locale

__all__ = [
    "Channel",
    "Delivery",
    "IdempotencyKey",
    "LineItem",
    "Locale",
    "OrderConfirmationMessage",
    "OrderConfirmationParams",
    "OutboxEntry",
    "OutboxListing",
    "PaymentLinkMessage",
    "PaymentLinkParams",
    "Status",
    "TemplateMessage",
]

Channel = Literal["email", "sms", "whatsapp", "instagram"]
Status = Literal["sending", "sent", "stored", "failed"]
"""`sending`: an attempt is under way; `sent`: a provider accepted it; `stored`: no provider is
configured, so it was only recorded; `failed`: the provider refused it or every attempt failed."""

IdempotencyKey = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description=(
            "Same key on the same channel returns the existing outbox message instead of sending "
            "again, e.g. 'payment-link:basket-42'. Omit it to always send."
        ),
    ),
]
_Currency = Annotated[
    str,
    Field(
        pattern=r"^[A-Z]{3}$",
        description="ISO 4217 code; default: the shop's currency (SHOPMCP_CURRENCY).",
    ),
]
# Money is an integer count of minor units with an ISO 4217 currency, everywhere in shopmcp.
_Money = Annotated[int, Field(ge=0, le=10**13, description="minor units (cents)")]


class LineItem(BaseModel):
    """One basket or order line."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    quantity: Annotated[int, Field(ge=1, le=10_000)]
    unit_price: _Money


class PaymentLinkParams(BaseModel):
    """A basket summary, its total and the link that pays it."""

    url: Annotated[str, Field(pattern=r"^https?://\S+$", max_length=2000)]
    items: Annotated[list[LineItem], Field(min_length=1, max_length=100)]
    total: Annotated[_Money, Field(description="Amount to pay, discounts and shipping included.")]
    currency: _Currency | None = None
    customer_name: Annotated[str, Field(min_length=1, max_length=100)] | None = None


class OrderConfirmationParams(BaseModel):
    """A placed order: its number, lines and total."""

    order_id: Annotated[str, Field(min_length=1, max_length=64)]
    items: Annotated[list[LineItem], Field(min_length=1, max_length=100)]
    total: _Money
    currency: _Currency | None = None
    customer_name: Annotated[str, Field(min_length=1, max_length=100)] | None = None


class PaymentLinkMessage(BaseModel):
    """The payment-link template: basket summary, total and link."""

    name: Literal["payment_link"]
    locale: Locale = "en"
    params: PaymentLinkParams


class OrderConfirmationMessage(BaseModel):
    """The order-confirmation template."""

    name: Literal["order_confirmation"]
    locale: Locale = "en"
    params: OrderConfirmationParams


TemplateMessage = Annotated[
    PaymentLinkMessage | OrderConfirmationMessage, Field(discriminator="name")
]


class OutboxEntry(BaseModel):
    """One message of the outbox, whatever became of it."""

    outbox_id: int
    channel: Channel
    to: str
    subject: str | None
    body: str
    template: str | None
    locale: Locale | None
    status: Status
    attempts: int
    idempotency_key: str
    provider_message_id: str | None
    error: str | None = Field(description="Why the message failed, as the provider said it.")
    created_at: datetime
    updated_at: datetime


class Delivery(OutboxEntry):
    """The outcome of a send tool: its outbox entry, and whether the key named an earlier one."""

    duplicate: bool = Field(
        description="True when the idempotency key named an existing message: nothing was sent now."
    )


class OutboxListing(BaseModel):
    """Outbox entries, newest first."""

    entries: list[OutboxEntry]
