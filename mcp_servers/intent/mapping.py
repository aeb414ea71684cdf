"""Which tool serves each intent, and which of its arguments a message leaves missing.

The table follows ../shared/INTENTS.md ("served by"). Arguments are named as the tools name them;
values the conversation supplies (basket id, the product an ordinal points at) are the
orchestrator's to fill, so they are reported as `from_context`, not as missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from engine import parse_amount
from engine.contract import ADMIN_INTENTS

__all__ = ["MAPPINGS", "Mapping", "ToolMapping", "map_intent"]


@dataclass(frozen=True, slots=True)
class ToolMapping:
    server: str
    tool: str
    destructive: bool = False


@dataclass(frozen=True, slots=True)
class Mapping:
    """The tool call an intent maps to (None for intents the orchestrator answers itself)."""

    intent: str
    target: ToolMapping | None
    arguments: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    from_context: list[str] = field(default_factory=list)
    then: ToolMapping | None = None
    """A second call after the first (the payment link sent by e-mail, SMS or WhatsApp)."""
    then_arguments: dict[str, Any] = field(default_factory=dict)

    @property
    def admin(self) -> bool:
        return self.intent in ADMIN_INTENTS

    @property
    def needs_confirmation(self) -> bool:
        return self.target is not None and self.target.destructive


SF, ADMIN, NOTIFY = "ecommerce_storefront", "ecommerce_admin", "notifications"
MAPPINGS: dict[str, ToolMapping | None] = {
    "greet": None,
    "thanks": None,
    "goodbye": None,
    "help": None,
    "affirm": None,
    "deny": None,
    "human_agent": None,
    "unknown": None,
    "search_products": ToolMapping(SF, "search_products"),
    "get_product_info": ToolMapping(SF, "get_product_info"),
    "add_to_basket": ToolMapping(SF, "add_to_basket"),
    "remove_from_basket": ToolMapping(SF, "remove_from_basket"),
    "get_basket": ToolMapping(SF, "get_basket"),
    "get_payment_link": ToolMapping(SF, "get_payment_link"),
    "answer_question": ToolMapping(SF, "answer_question"),
    "create_product": ToolMapping(ADMIN, "create_product"),
    "create_from_file": ToolMapping(ADMIN, "create_from_file", destructive=True),
    "list_products": ToolMapping(ADMIN, "list_products"),
    "update_product": ToolMapping(ADMIN, "update_product", destructive=True),
    "delete_product": ToolMapping(ADMIN, "delete_product", destructive=True),
}


def _implied_channel(slots: dict[str, Any]) -> str | None:
    """ "Send the link to ana@example.com" names no channel, but the address says which one."""
    if slots.get("email"):
        return "email"
    if slots.get("phone"):
        return "sms"
    return None


_SEND = {
    "email": (ToolMapping(NOTIFY, "send_email"), "email"),
    "sms": (ToolMapping(NOTIFY, "send_sms"), "phone"),
    "whatsapp": (ToolMapping(NOTIFY, "send_whatsapp_message"), "phone"),
}


def _amount(money: Any) -> int | None:
    return money.get("amount") if isinstance(money, dict) else None


def _file_type(file: str | None) -> str:
    suffix = (file or "").rsplit(".", 1)[-1].lower()
    return suffix if suffix in ("csv", "xlsx", "json") else "csv"


def _field_value(field_name: str, value: str) -> dict[str, Any] | None:
    """An admin's "set the price of X to 12,50" as the update tool's change, or None if the
    value does not fit the field (the admin is asked again)."""
    text = value.strip()
    if field_name == "price":
        number = re.search(r"\d+(?:[.,]\d+)*", text)
        return None if number is None else {"price": parse_amount(number.group(0), "EUR")}
    if field_name == "stock":
        number = re.search(r"\d+", text)
        return None if number is None else {"stock": int(number.group(0))}
    return {field_name: text}


def map_intent(intent: str, slots: dict[str, Any], locale: str = "en") -> Mapping:
    """The call for `intent` with `slots`; raises KeyError for an intent outside the contract."""
    target = MAPPINGS[intent]
    if target is None:
        return Mapping(intent, None)
    args: dict[str, Any] = {}
    missing: list[str] = []
    context: list[str] = []
    product = slots.get("product")
    match intent:
        case "search_products":
            filters = {k: slots[k] for k in ("category", "brand", "color", "size") if k in slots}
            for k in ("min_price", "max_price"):
                if _amount(slots.get(k)) is not None:
                    filters[k] = _amount(slots[k])
            args = {"query": slots.get("query", ""), "filters": filters, "locale": locale}
        case "get_product_info":
            args = {"product": product, "locale": locale}
            if product is None:
                (context if "ordinal" in slots else missing).append("product")
        case "add_to_basket" | "remove_from_basket":
            args = {"product_id": product, "locale": locale}
            if "quantity" in slots:
                args["quantity"] = slots["quantity"]
            elif intent == "add_to_basket":
                args["quantity"] = 1
            if product is None:
                (context if "ordinal" in slots else missing).append("product_id")
            context.append("basket_id")
        case "get_basket" | "get_payment_link":
            args = {"locale": locale} if intent == "get_basket" else {}
            context.append("basket_id")
        case "answer_question" if slots.get("order_id"):
            # an order number: the order itself, its status, items and total
            target = ToolMapping(SF, "get_order")
            args = {"order_id": str(slots["order_id"])}
        case "answer_question":
            args = {"topic": slots.get("topic"), "locale": locale}
            if "order_id" in slots:
                args["order_id"] = slots["order_id"]
            context.append("question")
        case "create_product":
            new = {k: slots[k] for k in ("name", "stock", "category") if k in slots}
            if _amount(slots.get("price")) is not None:
                new["price"] = _amount(slots["price"])
                new["currency"] = slots["price"]["currency"]
            missing = [k for k in ("name", "price") if k not in new]
            args = {"product": {**new, "locale": locale}}
        case "create_from_file":
            file = slots.get("file")
            args = {"path": file, "file_type": _file_type(file)}
            missing = [] if file else ["path"]
        case "list_products":
            args = {k: slots[k] for k in ("category", "query") if k in slots}
        case "update_product":
            field_name, value = slots.get("field"), slots.get("value")
            args = {"product": product, "changes": {"locale": locale}}
            missing = [k for k in ("product", "field", "value") if slots.get(k) is None]
            if field_name and value is not None:
                converted = _field_value(field_name, str(value))
                if converted is None:
                    missing.append("value")
                else:
                    args["changes"].update(converted)
        case "delete_product":
            args = {"product": product}
            missing = [] if product else ["product"]
    mapping = Mapping(intent, target, args, missing, context)
    channel = slots.get("channel") or _implied_channel(slots)
    if intent == "get_payment_link" and channel in _SEND:
        send, address = _SEND[channel]
        then_args = {"to": slots.get(address)} if slots.get(address) else {}
        then_missing = [] if then_args else [address]
        return Mapping(intent, target, args, missing + then_missing, context, send, then_args)
    return mapping
