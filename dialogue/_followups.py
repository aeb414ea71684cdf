"""Messages that are not sentences of any intent but mean something after the last turn.

"make it 2" sets the quantity of the product in focus, "one more" adds one, "one less" takes one
out; "and in red?" runs the last search again in red; "no, the blue one" replaces the product of
the last request; "never mind" with nothing open is fine; "forget the case" takes it out; "empty my
basket" empties it; an order number anywhere asks for that order. Each reader returns the steps,
or None to leave the message to the intent server's reading.
"""

from __future__ import annotations

from typing import Any

from dialogue import _lexicon as lex
from dialogue._text import clitic, find_order_ids, has_phrase, phrase_number
from dialogue.references import resolve_reference
from dialogue.state import DialogueState, Item, Pending, Speaker
from dialogue.steps import Ask, Run, Say, Step, numbered

__all__ = ["follow_up"]

# Intents whose reading a follow-up may override: the classifier guessed at a fragment.
_WEAK = frozenset({"unknown", "affirm", "deny", None})
_BASKET_READINGS = _WEAK | {"add_to_basket", "remove_from_basket", "get_basket"}
_CORRECTION = {
    "en": ("no", "actually", "sorry", "i meant", "rather", "instead", "not that", "wait"),
    "es": ("no", "mejor", "perdon", "quise decir", "en realidad", "digo", "prefiero"),
    "fr": ("non", "plutot", "pardon", "en fait", "je voulais dire", "finalement"),
    "de": ("nein", "lieber", "doch", "sorry", "eigentlich", "ich meinte", "nee"),
}


def _phrases(table: dict[str, tuple[str, ...]], locale: str) -> tuple[str, ...]:
    return (*table.get(locale, ()), *(table["en"] if locale != "en" else ()))


def _target(state: DialogueState, analysis: dict[str, Any], locale: str) -> Item | None:
    """What "make it 2" or "one more" counts: a product named in the message, else the product in
    focus, else the basket's last line."""
    named = analysis.get("slots", {}).get("product")
    if named:
        found = resolve_reference(str(named), locale, state, among="basket")
        if found.item is not None:
            return found.item
        return None
    if state.focus is not None:
        return state.focus
    return state.basket[-1].item() if state.basket else None


def follow_up(
    state: DialogueState,
    analysis: dict[str, Any],
    text: str,
    folded: str,
    locale: str,
    had_pending: bool,
    speaker: Speaker,
) -> list[Step] | None:
    intent = analysis.get("intent") if analysis.get("status") == "matched" else None
    size = len(folded.split())
    slots = analysis.get("slots", {})

    if has_phrase(folded, _phrases(lex.EMPTY_BASKET, locale)) and intent in (
        _BASKET_READINGS | {"search_products"}
    ):
        return [Run("remove_from_basket", {"all": True})]

    previous = state.previous
    asked = previous is not None and previous.slots.get("topic") == "order_status"
    orders = find_order_ids(text, locale, asked=asked and size <= 4)
    if orders and (intent in (_WEAK | {"answer_question"}) or orders[0].startswith("ORD-")):
        return [Run("answer_question", {"topic": "order_status", "order_id": orders[0]})]

    forget = has_phrase(folded, _phrases(lex.FORGET, locale))
    if forget and state.basket and intent in _BASKET_READINGS:
        rest = folded.split(forget, 1)[1].strip()
        found = resolve_reference(rest, locale, state, among="basket")
        if found.item is not None:
            return [Run("remove_from_basket", {"product": found.item.id})]

    if size <= 5 and intent in _WEAK and has_phrase(folded, _phrases(lex.CANCEL, locale)):
        return [Say("nothing_to_cancel" if not had_pending else "cancelled")]

    if size <= 8 and intent in _BASKET_READINGS:
        steps = _quantity(state, analysis, folded, locale)
        if steps is not None:
            return steps

    if size <= 8:
        corrected = _correction(state, folded, locale, speaker)
        if corrected is not None:
            return corrected

    refined = _refine(state, analysis, folded, locale, intent, slots)
    if refined is not None:
        return refined

    if intent is None and size <= 6 and (state.listing or state.basket):
        found = resolve_reference(text, locale, state)
        if found.item is not None and found.pointed:
            verbs = lex.ADD_VERBS.get(locale, frozenset()) | lex.ADD_VERBS["en"]
            words = {clitic(w) if locale == "es" else w for w in folded.split()}
            buying = intent is None and bool(words & verbs)
            wanted = "add_to_basket" if buying else "get_product_info"
            return [Run(wanted, {"product": found.item.id})]
    return None


def _quantity(
    state: DialogueState, analysis: dict[str, Any], folded: str, locale: str
) -> list[Step] | None:
    fewer = phrase_number(folded, locale, _phrases(lex.FEWER, locale))
    more = phrase_number(folded, locale, _phrases(lex.MORE, locale))
    exact = phrase_number(folded, locale, _phrases(lex.SET_QUANTITY, locale))
    if fewer is None and more is None and exact is None:
        return None
    target = _target(state, analysis, locale)
    if target is None:
        return None
    if fewer is not None:
        return [Run("remove_from_basket", {"product": target.id, "quantity": fewer})]
    if more is not None:
        return [Run("add_to_basket", {"product": target.id, "quantity": more})]
    assert exact is not None
    if exact == 0:
        return [Run("remove_from_basket", {"product": target.id})]
    return [Run("add_to_basket", {"product": target.id, "quantity": exact, "mode": "set"})]


def _correction(
    state: DialogueState, folded: str, locale: str, speaker: Speaker
) -> list[Step] | None:
    """ "no, the blue one": the last request again with the product replaced."""
    previous = state.previous
    lead = folded.split()[0] if folded else ""
    starts = {p.split()[0] for p in _phrases(_CORRECTION, locale)}
    if (
        previous is None
        or lead not in starts
        or previous.intent
        not in (
            "get_product_info",
            "add_to_basket",
        )
    ):
        return None
    rest = folded.split(None, 1)[1] if " " in folded else ""
    if not rest:
        return None
    found = resolve_reference(rest, locale, state)
    if found.candidates:
        # "no, the blue one" and two were blue: which of them, for the same request
        slots = {k: v for k, v in previous.slots.items() if k != "product"}
        pending = Pending(
            "product", previous.intent, slots, speaker.user_id, candidates=found.candidates
        )
        return [Ask("ask_which", {"options": numbered(found.candidates)}, pending)]
    if found.item is None or not found.pointed or found.item.id == previous.slots.get("product"):
        return None
    if previous.intent == "add_to_basket" and previous.slots.get("product"):
        old = str(previous.slots["product"])
        held = next((ln.quantity for ln in state.basket if ln.product_id == old), None)
        if held is not None:
            return [
                Run("remove_from_basket", {"product": old}),
                Run("add_to_basket", {"product": found.item.id, "quantity": held}),
            ]
    return [Run(previous.intent, {**previous.slots, "product": found.item.id})]


def _refine(
    state: DialogueState,
    analysis: dict[str, Any],
    folded: str,
    locale: str,
    intent: str | None,
    slots: dict[str, Any],
) -> list[Step] | None:
    """ "and in red?", "same in size 42": the last search with one constraint changed."""
    if len(folded.split()) > 7 or state.previous is None:
        return None
    found = resolve_reference(folded, locale, state)
    if not (found.color or found.size):
        return None
    fragment = intent in _WEAK or (
        intent == "search_products" and not ({"query", "category", "brand"} & set(slots))
    )
    lead = has_phrase(folded, _phrases(lex.REFINE, locale))
    if not fragment or not (lead or intent == "search_products"):
        return None
    changed = {k: v for k, v in (("color", found.color), ("size", found.size)) if v}
    previous = state.previous
    if previous.intent == "search_products":
        return [Run("search_products", {**previous.slots, **changed})]
    if state.focus is not None:
        attribute = "colors" if found.color else "sizes"
        return [Run("get_product_info", {"product": state.focus.id, "attribute": attribute})]
    return None
