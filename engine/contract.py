"""The intent contract of ../shared/INTENTS.md as data: intent names, their slots, slot types.

`shopmcp patterns check` holds every pattern set to it, and the AI fallback validates provider
answers against it. Change it only by adding.
"""

from __future__ import annotations

__all__ = ["ADMIN_INTENTS", "COURTESY_INTENTS", "INTENTS", "LIST_VALUES", "LOCALES"]

LOCALES = ("en", "es", "fr", "de")

# intent -> slot -> type (a built-in type or a list name)
INTENTS: dict[str, dict[str, str]] = {
    "greet": {},
    "thanks": {},
    "goodbye": {},
    "help": {},
    "affirm": {},
    "deny": {},
    "search_products": {
        "query": "text",
        "category": "category",
        "brand": "brand",
        "color": "color",
        "size": "size",
        "min_price": "money",
        "max_price": "money",
    },
    "get_product_info": {"product": "text", "ordinal": "ordinal", "attribute": "attribute"},
    "add_to_basket": {"product": "text", "ordinal": "ordinal", "quantity": "number"},
    "remove_from_basket": {"product": "text", "ordinal": "ordinal", "quantity": "number"},
    "get_basket": {},
    "get_payment_link": {"channel": "channel", "email": "email", "phone": "phone"},
    "answer_question": {"topic": "topic", "order_id": "text"},
    "create_product": {"name": "text", "price": "money", "stock": "number", "category": "category"},
    "create_from_file": {"file": "text"},
    "list_products": {"category": "category", "query": "text"},
    "update_product": {"product": "text", "field": "field", "value": "text"},
    "delete_product": {"product": "text"},
    "human_agent": {},
    "unknown": {},
}

COURTESY_INTENTS = frozenset({"greet", "thanks"})
"""Intents that, beside a request in the same message, frame it rather than being it."""

ADMIN_INTENTS = frozenset(
    {"create_product", "create_from_file", "list_products", "update_product", "delete_product"}
)

# Canonical values of the lists whose values clients act on; every locale uses exactly these.
LIST_VALUES: dict[str, frozenset[str]] = {
    "attribute": frozenset(
        {"price", "stock", "description", "specs", "colors", "sizes", "shipping"}
    ),
    "channel": frozenset({"email", "sms", "whatsapp"}),
    "topic": frozenset(
        {
            "shipping",
            "returns",
            "payment_methods",
            "opening_hours",
            "contact",
            "order_status",
            "warranty",
            "other",
        }
    ),
    "field": frozenset({"price", "stock", "name", "description", "category"}),
}
