"""What the state learns from a tool's answer: the listing shown, the product in focus, the basket."""

from __future__ import annotations

from typing import Any

from dialogue.state import BasketLine, DialogueState, Item, PreviousRequest

__all__ = ["observe"]

_BASKET_TOOLS = frozenset(
    {"add_to_basket", "remove_from_basket", "get_basket", "set_basket_quantity", "empty_basket"}
)


def observe(
    state: DialogueState,
    tool: str,
    data: dict[str, Any],
    *,
    intent: str | None = None,
    slots: dict[str, Any] | None = None,
) -> None:
    """Update `state` from a successful call's reply data (the orchestrator's outcome data)."""
    if tool == "search_products":
        state.listing = [Item.of(p) for p in data.get("products", ())]
        if len(state.listing) == 1:
            state.focus = state.listing[0]
    elif tool == "get_product_info" and isinstance(data.get("product"), dict):
        state.focus = Item.of(data["product"])
    elif tool in _BASKET_TOOLS and isinstance(data.get("basket"), dict):
        basket = data["basket"]
        before = {line.product_id: line.quantity for line in state.basket}
        state.basket_id = basket.get("basket_id", state.basket_id)
        state.basket = [
            BasketLine(str(ln["product_id"]), str(ln["name"]), int(ln["quantity"]))
            for ln in basket.get("lines", ())
        ]
        if tool in ("add_to_basket", "set_basket_quantity"):
            changed = [ln for ln in state.basket if before.get(ln.product_id) != ln.quantity]
            if changed:
                known = {i.id: i for i in [*state.listing, *([state.focus] if state.focus else [])]}
                line = changed[-1]
                state.focus = known.get(line.product_id) or line.item()
    if intent is not None and intent not in ("get_basket",):
        state.previous = PreviousRequest(intent, dict(slots or {}))
