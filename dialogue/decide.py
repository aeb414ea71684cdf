"""What a message means in this state: which requests to run with which slots, or what to ask.

`decide()` reads, in order: an answer to the assistant's open question (a number, an ordinal, a
partial name, a colour, yes/no, an e-mail, a phone, an order number), then the follow-ups no intent
has sentences for ("make it 2", "one more", "and in red?", "no, the blue one", "never mind",
"forget the case", "empty my basket", an order number anywhere), then the intent server's requests
with their product references resolved. It never guesses between products: several fits make a
numbered question. The orchestrator runs the steps; nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dialogue import _lexicon as lex
from dialogue._followups import follow_up
from dialogue._text import (
    find_email,
    find_order_ids,
    find_phone,
    fold,
    has_phrase,
    parse_number,
    parse_ordinal,
    parse_yes_no,
)
from dialogue.references import resolve_reference
from dialogue.state import DialogueState, Pending, Speaker
from dialogue.steps import Ask, Decision, Run, Say, Step, numbered

__all__ = ["decide"]

PRODUCT_INTENTS = frozenset({"get_product_info", "add_to_basket", "remove_from_basket"})


def decide(
    state: DialogueState,
    analysis: dict[str, Any],
    text: str,
    speaker: Speaker,
    locale: str,
    *,
    phone: str | None = None,
) -> Decision:
    """The meaning of `text` given `state` and the intent server's `analysis` of it."""
    folded = fold(text)
    pending = state.pending
    if pending is not None and pending.may_be_answered_by(speaker):
        answered = _answer(pending, state, analysis, text, folded, locale, phone)
        if answered is not None:
            return answered
    followed = follow_up(state, analysis, text, folded, locale, pending is not None, speaker)
    if followed is not None:
        return Decision(tuple(followed), _first_intent(followed, analysis), via="follow_up")
    return _requests(state, analysis, text, locale, speaker)


def _first_intent(steps: list[Step], analysis: dict[str, Any]) -> str:
    for step in steps:
        if isinstance(step, Run):
            return step.intent
        if isinstance(step, Ask):
            return step.pending.intent
    return str(analysis.get("intent", "unknown"))


def _moved_on(analysis: dict[str, Any], pending: Pending) -> bool:
    intent = analysis.get("intent")
    return analysis.get("status") == "matched" and intent not in (
        "unknown",
        "affirm",
        "deny",
        pending.intent,
    )


def _answer(
    pending: Pending,
    state: DialogueState,
    analysis: dict[str, Any],
    text: str,
    folded: str,
    locale: str,
    phone: str | None,
) -> Decision | None:
    """The message as an answer to `pending`, or None when it is something else."""

    def run(**slots: Any) -> Decision:
        return Decision(
            (Run(pending.intent, {**pending.slots, **slots}),), pending.intent, via="answer"
        )

    def again() -> Decision:
        return Decision(
            (
                Ask(
                    f"ask_{pending.kind}" if pending.kind != "value" else "ask_product",
                    {
                        "name": pending.slots.get("product", ""),
                        "options": numbered(pending.candidates),
                    },
                    pending,
                ),
            ),
            pending.intent,
            via="answer",
        )

    intent = analysis.get("intent")
    short = len(folded.split()) <= 6
    if short and has_phrase(folded, (*lex.CANCEL.get(locale, ()), *lex.CANCEL["en"])):
        return Decision((Say("cancelled"),), pending.intent, via="answer")
    yes_no = parse_yes_no(text, locale)
    if yes_no is None and intent in ("affirm", "deny"):
        yes_no = intent == "affirm"
    if pending.kind == "confirm":
        if yes_no is True:
            return Decision(
                (Run(pending.intent, pending.slots, pending.mapping, confirmed=True),),
                pending.intent,
                via="answer",
            )
        if yes_no is False:
            return Decision((Say("cancelled"),), pending.intent, via="answer")
        return None
    if pending.kind == "stock_offer":
        number = parse_number(folded, locale, folded=True)
        if number is not None and number > 0 and (short or not _moved_on(analysis, pending)):
            return run(quantity=number)
        if yes_no is True:
            return run(quantity=pending.available or 1)
        if yes_no is False:
            return Decision((Say("cancelled"),), pending.intent, via="answer")
        return None
    bare_no = folded in (*lex.NO.get(locale, ()), *lex.NO["en"])
    if yes_no is False and short and (bare_no or pending.kind != "product"):
        return Decision((Say("cancelled"),), pending.intent, via="answer")
    if pending.kind == "product":
        return _answer_product(pending, state, analysis, text, folded, locale, run, again)
    if pending.kind == "quantity":
        number = parse_number(folded, locale, folded=True)
        if number is not None and (short or not _moved_on(analysis, pending)):
            return run(quantity=number)
    elif pending.kind == "email":
        email = find_email(text) or analysis.get("slots", {}).get("email")
        if email:
            return run(email=email)
    elif pending.kind == "phone":
        number = find_phone(text, locale, phone) or analysis.get("slots", {}).get("phone")
        if number:
            return run(phone=number)
    elif pending.kind == "order_id":
        ids = find_order_ids(text, locale, asked=True)
        if ids:
            return run(order_id=ids[0], topic="order_status")
    elif pending.kind == "value":
        value = analysis.get("slots", {}).get(pending.slot)
        if value is None and not _moved_on(analysis, pending):
            value = text.strip()
        if value:
            return run(**{pending.slot: value})
    if _moved_on(analysis, pending) or not short:
        return None
    return again()


def _answer_product(
    pending: Pending,
    state: DialogueState,
    analysis: dict[str, Any],
    text: str,
    folded: str,
    locale: str,
    run: Any,
    again: Any,
) -> Decision | None:
    candidates = pending.candidates
    if candidates:
        position = parse_ordinal(folded, locale, folded=True)
        if position is None and folded.isdigit():
            position = int(folded)
        if position is None:
            bare = parse_number(folded, locale, folded=True)
            if bare is not None and len(folded.split()) <= 2:
                position = bare
        if position is not None:
            index = len(candidates) - 1 if position == -1 else position - 1
            if 0 <= index < len(candidates):
                return run(product=candidates[index].id)
            return again()
        among = DialogueState(listing=list(candidates), focus=None)
        found = resolve_reference(text, locale, among, lenient=True)
        if found.item is not None and (found.text or found.constraints or found.pointed):
            return run(product=found.item.id)
        if found.candidates:
            narrowed = replace(pending, candidates=found.candidates)
            return Decision(
                (Ask("ask_which", {"options": numbered(found.candidates)}, narrowed),),
                pending.intent,
                via="answer",
            )
        if _moved_on(analysis, pending):
            return None
        return again()
    if _moved_on(analysis, pending):
        return None
    found = resolve_reference(text, locale, state, lenient=True)
    if found.item is not None and found.pointed:
        return run(product=found.item.id)
    slots = analysis.get("slots", {})
    name = slots.get("product") or slots.get("query") or found.text or text.strip()
    return run(product=name)


def _requests(
    state: DialogueState,
    analysis: dict[str, Any],
    text: str,
    locale: str,
    speaker: Speaker,
) -> Decision:
    status = analysis.get("status")
    intent = str(analysis.get("intent", "unknown"))
    if status == "ambiguous":
        tied = tuple(c["intent"] for c in analysis.get("candidates", ()))
        return Decision((Say("ambiguous_intent", {"intents": tied}),), intent)
    if status == "none":
        return Decision((Run("unknown", {}),), "unknown")
    steps: list[Step] = []
    if "greet" in analysis.get("courtesy", []):
        steps.append(Say("greet"))
    for request in analysis.get("requests", ()):
        step = _resolved(request, state, text, locale, speaker)
        steps.append(step)
        if not isinstance(step, Run):
            break  # a question is open: the rest waits for the answer
    return Decision(tuple(steps), intent)


def _resolved(
    request: dict[str, Any],
    state: DialogueState,
    text: str,
    locale: str,
    speaker: Speaker,
) -> Step:
    """One of the intent server's requests with its references resolved against the state."""
    intent = request["intent"]
    slots = dict(request.get("slots", {}))
    mapping = request.get("mapping")
    if intent == "answer_question" and slots.get("order_id") is not None:
        ids = find_order_ids(str(slots["order_id"]), locale, asked=True) or find_order_ids(
            text, locale, asked=True
        )
        if ids and ids[0] != slots["order_id"]:
            slots["order_id"] = ids[0]
            mapping = None
    if intent not in PRODUCT_INTENTS:
        return Run(intent, slots, mapping)
    phrase = str(slots.get("product") or "")
    if "ordinal" in slots:
        ordinal = int(slots.pop("ordinal"))
        phrase = f"{phrase} #{ordinal}" if ordinal > 0 else f"{phrase} last"
    among = "basket" if intent == "remove_from_basket" else "listing"
    found = resolve_reference(phrase, locale, state, among=among)  # type: ignore[arg-type]
    if intent == "add_to_basket" and has_phrase(fold(text), lex.SET_QUANTITY.get(locale, ())):
        slots["mode"] = "set"
    if found.out_of_range:
        slots.pop("product", None)
        return Say("which_one_ordinal")
    if found.candidates:
        slots.pop("product", None)
        pending = Pending("product", intent, slots, speaker.user_id, candidates=found.candidates)
        return Ask("ask_which", {"options": numbered(found.candidates)}, pending)
    if found.item is not None:
        slots["product"] = found.item.id
    elif found.text and found.text != fold(phrase):
        slots["product"] = found.text  # "it in purple" with nothing in focus: "purple" is no name
    elif found.pointed or not phrase.strip():
        slots.pop("product", None)
    if slots != request.get("slots"):
        mapping = None
    return Run(intent, slots, mapping)
