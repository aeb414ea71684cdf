"""An order as the shopper reads it: its status, its items and its total, in their language."""

from __future__ import annotations

from typing import Any

from server.formatter import format_money
from server.texts import KEYS, text

__all__ = ["order_text"]


def order_text(order: dict[str, Any], locale: str) -> str:
    """The storefront's get_order reply as one sentence; statuses the texts do not know read as
    "being processed", never as the shop's internal word."""
    key = f"order_state_{order.get('status', '')}"
    status = text(key if key in KEYS else "order_state_other", locale)
    currency = str(order.get("currency") or "EUR")
    items = ", ".join(f"{line['quantity']} × {line['name']}" for line in order.get("lines", ()))
    return text(
        "order_summary",
        locale,
        order_id=order.get("id", ""),
        status=status,
        items=items or "-",
        total=format_money(int(order.get("total", 0)), currency, locale),
    )
