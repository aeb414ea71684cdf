"""Run one tool call for an intent and turn its result into the reply's text and data.

Tool failures arrive as `is_error` results whose text starts with the shop's error code
(`ambiguous_product: ...`); they become localized sentences here, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mcp.types import CallToolResult

from server.formatter import format_money, format_reply
from server.orders import order_text
from server.pool import McpPool
from server.store import Conversation
from server.texts import text
from server.types import ClientType

__all__ = ["READ_ONLY_TOOLS", "Outcome", "run_tool"]

# Calls that may be repeated after a server crash without doing anything twice.
READ_ONLY_TOOLS = frozenset(
    {
        "search_products",
        "get_product_info",
        "get_basket",
        "get_payment_link",
        "answer_question",
        "list_products",
        "analyze_intent",
        "validate_mapping",
        "get_suggestions",
        "get_order",
    }
)
_CANDIDATE_RE = re.compile(r"([^;:]+?) \(id ([^)]+)\)")


@dataclass(slots=True)
class Outcome:
    text: str
    data: dict[str, Any] = field(default_factory=dict)
    ok: bool = True


def _name(data: dict[str, Any], locale: str) -> str:
    """An admin product's name is one per language: the locale's, else any."""
    name = data.get("name", "")
    if isinstance(name, dict):
        return str(name.get(locale) or next(iter(name.values()), ""))
    return str(name)


def _content(result: CallToolResult) -> dict[str, Any]:
    if result.structured_content is not None:
        return dict(result.structured_content)
    return {}


def _error_text(result: CallToolResult) -> str:
    for block in result.content:
        value = getattr(block, "text", None)
        if value:
            return str(value)
    return "error"


def _failure(message: str, locale: str, product: str | None) -> Outcome:
    message = re.sub(r"^Error executing tool \w+: ", "", message)  # the mcp SDK's prefix
    code, _, detail = message.partition(": ")
    name = product or ""
    if code == "ambiguous_product":
        options = [m.group(1).strip() for m in _CANDIDATE_RE.finditer(detail)]
        listing = "; ".join(f"{i}. {o}" for i, o in enumerate(options[:5], 1))
        return Outcome(
            text("ask_which", locale, options=listing),
            {
                "candidates": [
                    {"name": m.group(1).strip(), "id": m.group(2)}
                    for m in _CANDIDATE_RE.finditer(detail)
                ]
            },
            ok=False,
        )
    if code == "unknown_product":
        return Outcome(text("unknown_product", locale, name=name), ok=False)
    if code == "out_of_stock":
        available = re.search(r"(\d+) (?:more|left|available|in stock)", detail)
        count = int(available.group(1)) if available else 0
        return Outcome(
            text("out_of_stock", locale, name=name, available=count),
            {"error": "out_of_stock", "available": count},
            ok=False,
        )
    if code in {"unknown_basket", "empty_basket"}:
        return Outcome(text("basket_empty", locale), ok=False)
    return Outcome(detail or message, ok=False)


async def run_tool(
    pool: McpPool,
    server: str,
    tool: str,
    arguments: dict[str, Any],
    *,
    intent: str,
    slots: dict[str, Any],
    conversation: Conversation,
    locale: str,
    client: ClientType,
) -> Outcome:
    """Call the tool and describe the result; the conversation learns basket and products shown."""
    result = await pool.call(server, tool, arguments, safe_to_retry=tool in READ_ONLY_TOOLS)
    product = arguments.get("product_id") or arguments.get("product")
    shown = slots.get("product_name") or product  # the name the conversation knows for an id
    if result.is_error:
        return _failure(_error_text(result), locale, str(shown) if shown else None)
    data = _content(result)
    match tool:
        case "search_products":
            items = data.get("items", [])
            if not items:
                return Outcome(
                    text("no_results", locale, query=arguments.get("query", "")), {"products": []}
                )
            body = format_reply("products", locale, client, data)
            return Outcome(body, {"products": items, "total": data.get("total", len(items))})
        case "get_product_info":
            body = format_reply(
                "product", locale, client, {**data, "attribute": slots.get("attribute")}
            )
            return Outcome(body, {"product": data})
        case (
            "add_to_basket"
            | "remove_from_basket"
            | "get_basket"
            | "set_basket_quantity"
            | "empty_basket"
        ):
            if tool in ("add_to_basket", "set_basket_quantity"):
                line = next(
                    (
                        ln
                        for ln in data.get("lines", [])
                        if ln["product_id"] == product or ln["name"] == product
                    ),
                    None,
                )
                name = line["name"] if line else str(product)
                head = text(
                    "added" if tool == "add_to_basket" else "quantity_set",
                    locale,
                    quantity=arguments.get("quantity", 1),
                    name=name,
                )
            elif tool == "remove_from_basket":
                units = arguments.get("quantity")
                head = (
                    text("units_removed", locale, quantity=units, name=str(shown))
                    if units
                    else text("removed", locale, name=str(shown))
                )
            elif tool == "empty_basket":
                return Outcome(text("basket_emptied", locale), {"basket": data})
            else:
                head = ""
            if not data.get("lines"):
                return Outcome(
                    " ".join(filter(None, [head, text("basket_empty", locale)])), {"basket": data}
                )
            body = format_reply("basket", locale, client, data)
            return Outcome("\n".join(filter(None, [head, body])), {"basket": data})
        case "get_payment_link":
            body = format_reply("payment_link", locale, client, data)
            return Outcome(body, {"payment_link": data})
        case "get_order":
            return Outcome(order_text(data, locale), {"order": data})
        case "answer_question":
            return Outcome(format_reply("answer", locale, client, data), {"answer": data})
        case "create_product":
            return Outcome(
                text("product_created", locale, name=_name(data, locale)), {"product": data}
            )
        case "create_from_file":
            return Outcome(
                text(
                    "products_imported",
                    locale,
                    created=data.get("created", 0),
                    updated=data.get("updated", 0),
                    errors=len(data.get("problems", [])),
                ),
                {"import": data},
            )
        case "list_products":
            items = data.get("items", [])
            body = format_reply("products", locale, client, {**data, "heading": "products_listed"})
            return Outcome(body, {"products": items})
        case "update_product":
            return Outcome(
                text("product_updated", locale, name=_name(data, locale)), {"product": data}
            )
        case "delete_product":
            return Outcome(
                text("product_deleted", locale, name=_name(data, locale)), {"product": data}
            )
        case "send_email" | "send_sms" | "send_whatsapp_message":
            return Outcome("", {"delivery": data}, ok=data.get("status") in {"sent", "stored"})
    return Outcome(str(data), data)


def money(amount: int, currency: str, locale: str) -> str:
    return format_money(amount, currency, locale)
