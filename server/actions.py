"""Run one tool call for an intent and turn its result into the reply's text and data.

Tool failures arrive as `is_error` results carrying a stable code and its params in structured
content (`mcp_servers.errors`); `server.failures` says them in the shopper's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mcp.types import CallToolResult

from mcp_servers.errors import error_of
from server.failures import describe_failure
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


def _failure(result: CallToolResult, tool: str, locale: str, product: str | None) -> Outcome:
    """The failure's code, said in the shopper's language (server.failures); never its prose."""
    sentence, data = describe_failure(error_of(result), locale, tool=tool, product=product)
    return Outcome(sentence, data, ok=False)


def _suggestions(steps: list[str], locale: str) -> list[str]:
    """Next messages that fit what was just shown, in the shopper's words and language."""
    return [text(f"suggest_{step}", locale) for step in steps]


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
    """Call the tool and describe the result (the dialogue layer learns from it: `observe`)."""
    result = await pool.call(server, tool, arguments, safe_to_retry=tool in READ_ONLY_TOOLS)
    product = arguments.get("product_id") or arguments.get("product")
    shown = slots.get("product_name") or product  # the name the conversation knows for an id
    if result.is_error:
        return _failure(result, tool, locale, str(shown) if shown else None)
    data = _content(result)
    match tool:
        case "search_products":
            items = data.get("items", [])
            if not items:
                return Outcome(
                    text("no_results", locale, query=arguments.get("query", "")), {"products": []}
                )
            body = format_reply("products", locale, client, data)
            steps = (
                ["add_first", "show_basket"] if conversation.dialogue.basket_id else ["add_first"]
            )
            return Outcome(
                body,
                {
                    "products": items,
                    "total": data.get("total", len(items)),
                    "suggestions": _suggestions(steps, locale),
                },
            )
        case "get_product_info":
            body = format_reply(
                "product", locale, client, {**data, "attribute": slots.get("attribute")}
            )
            return Outcome(body, {"product": data, "suggestions": _suggestions(["add_it"], locale)})
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
                name = line["name"] if line else str(shown)
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
            return Outcome(
                "\n".join(filter(None, [head, body])),
                {"basket": data, "suggestions": _suggestions(["pay"], locale)},
            )
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
    return Outcome(text("done", locale), data)


def money(amount: int, currency: str, locale: str) -> str:
    return format_money(amount, currency, locale)
