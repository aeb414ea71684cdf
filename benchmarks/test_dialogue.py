"""The dialogue step per message: load the state, decide what the message means, save the state.

What a shopper's message costs in `dialogue/` on top of the intent engine: `decide()` alone, and
the whole step the orchestrator runs (state from its stored dict, decide, state back to a dict).
Each round is one message of a per-locale mix of follow-ups ("make it 2", "and in red?"),
references ("the cheapest one", "añádelo"), answers to an open question, order numbers and plain
requests, against a state holding a listing of seven products and a basket of two lines.
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.conftest import cycle, record
from dialogue import BasketLine, DialogueState, Item, Pending, PreviousRequest, Speaker, decide

ROUNDS = 3000
UNKNOWN: dict[str, Any] = {"status": "none", "intent": "unknown", "slots": {}, "requests": []}


def _add(product: str) -> dict[str, Any]:
    slots = {"product": product}
    return {
        "status": "matched",
        "intent": "add_to_basket",
        "slots": slots,
        "requests": [{"intent": "add_to_basket", "slots": slots, "mapping": None}],
    }


MESSAGES: dict[str, list[tuple[str, dict[str, Any], bool]]] = {
    # (text, the intent server's analysis, whether a "which one?" is open)
    "en": [
        ("make it 2", UNKNOWN, False),
        ("one more", UNKNOWN, False),
        ("and in red?", UNKNOWN, False),
        ("add the cheapest one", _add("cheapest one"), False),
        ("put that one in", _add("that one in"), False),
        ("the pro", UNKNOWN, True),
        ("40512 still hasn't come", UNKNOWN, False),
        ("never mind", UNKNOWN, False),
    ],
    "es": [
        ("mejor que sean 2", UNKNOWN, False),
        ("otro más", UNKNOWN, False),
        ("¿y en rojo?", UNKNOWN, False),
        ("añade el más barato", _add("el más barato"), False),
        ("añádelo", UNKNOWN, False),
        ("el segundo", UNKNOWN, True),
        ("mi pedido 40512 no ha llegado", UNKNOWN, False),
        ("vacía el carrito", UNKNOWN, False),
    ],
    "fr": [
        ("mets-en 3 au total", UNKNOWN, False),
        ("encore un", UNKNOWN, False),
        ("et en rouge ?", UNKNOWN, False),
        ("ajoute le moins cher", _add("moins cher"), False),
        ("je le prends", UNKNOWN, False),
        ("celui en 256 Go", UNKNOWN, True),
        ("où en est ma commande ORD-AB12CD34EF ?", UNKNOWN, False),
        ("oubliez le t-shirt", UNKNOWN, False),
    ],
    "de": [
        ("mach 2 draus", UNKNOWN, False),
        ("noch eins", UNKNOWN, False),
        ("und in Rot?", UNKNOWN, False),
        ("leg das günstigste rein", _add("das günstigste"), False),
        ("nimm den", UNKNOWN, False),
        ("der zweite", UNKNOWN, True),
        ("wo ist meine Bestellung 40512", UNKNOWN, False),
        ("Warenkorb leeren", UNKNOWN, False),
    ],
}


def _state() -> DialogueState:
    names = [
        ("Apple iPhone 15", 95900, ["black", "blue"], "APL-IP15-128"),
        ("Apple iPhone 15 Pro", 132900, ["black", "white"], "APL-IP15P-256"),
        ("Apple iPhone 15 Silicone Case", 5900, ["black", "pink"], "APL-IP15-CASE"),
        ("Google Pixel 8", 79900, ["black", "pink"], "GOO-PIX8-128"),
        ("Xiaomi Redmi Note 13", 29900, ["black", "green"], "XIA-RN13-256"),
        ("Samsung Galaxy A55", 46900, ["navy", "yellow"], "SAM-A55-128"),
        ("Samsung Galaxy S24", 89900, ["grey", "purple"], "SAM-S24-256"),
    ]
    listing = [
        Item.of({"id": str(i), "name": n, "price": p, "colors": c, "sku": sku})
        for i, (n, p, c, sku) in enumerate(names, 1)
    ]
    return DialogueState(
        focus=listing[0],
        listing=listing,
        basket_id="b1",
        basket=[
            BasketLine("55", "Nike Dri-FIT Training T-Shirt", 2),
            BasketLine("1", "Apple iPhone 15", 1),
        ],
        previous=PreviousRequest("search_products", {"query": "sneakers"}),
    )


def _stored(which_one: bool) -> dict[str, Any]:
    state = _state()
    if which_one:
        state.pending = Pending(
            "product", "add_to_basket", {}, "u1", candidates=tuple(state.listing[:3])
        )
    return state.to_dict()


@pytest.mark.parametrize("step", ["decide", "load-decide-save"])
@pytest.mark.parametrize("locale", list(MESSAGES))
def test_dialogue_step(benchmark, locale: str, step: str) -> None:  # type: ignore[no-untyped-def]
    speaker = Speaker("u1")
    stored = {False: _stored(False), True: _stored(True)}
    states = {k: DialogueState.from_dict(v) for k, v in stored.items()}
    source = cycle(MESSAGES[locale])

    def setup() -> tuple[tuple[str, dict[str, Any], bool], dict[str, object]]:
        return (next(source),), {}

    def just_decide(message: tuple[str, dict[str, Any], bool]) -> None:
        text, analysis, which_one = message
        decide(states[which_one], analysis, text, speaker, locale)

    def whole_step(message: tuple[str, dict[str, Any], bool]) -> None:
        text, analysis, which_one = message
        state = DialogueState.from_dict(stored[which_one], user_id="u1")
        decide(state, analysis, text, speaker, locale)
        state.to_dict()

    for message in MESSAGES[locale]:  # every message must be understood, not just timed
        assert just_decide(message) is None
    run = just_decide if step == "decide" else whole_step
    benchmark.group = f"dialogue-{step}"
    benchmark.pedantic(run, setup=setup, rounds=ROUNDS, iterations=1)
    stats = getattr(benchmark, "stats", None)
    if stats is not None:
        median, p99 = record(f"dialogue {step} {locale}", stats.stats.data)
        benchmark.extra_info.update(median_us=median, p99_us=p99)
