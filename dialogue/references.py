"""What "it", "the second", "the cheapest", "the black one", "the pro" point at, in four locales.

`resolve_reference` reads a phrase against the state: the listing last shown, the basket lines
and the product in focus. It strips the words that only point (pronouns, clitics, articles,
ordinals, superlatives) and keeps the constraints (colour, size, storage) apart, so a product slot
never becomes "it in purple" or "cheapest one". One product fits: it is picked. Several fit: they
come back as candidates for a numbered question; nothing here guesses between them.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field
from typing import Literal

from dialogue import _lexicon as lex
from dialogue._text import clitic, fold, parse_ordinal
from dialogue.state import DialogueState, Item

__all__ = ["Resolution", "resolve_reference"]

_STORAGE_RE = re.compile(r"\b(\d{2,4}) ?(gb|go|tb|to)\b")
_SIZE_RE = re.compile(
    r"\b(?:size|talla|taille|grosse|gr|numero|n)\s?(\d{2}(?:[.,]5)?|xxl|xl|xs|s|m|l)\b"
)
_FOCUS = {
    "en": frozenset(["it", "them", "this", "that"]),
    "es": frozenset(["lo", "eso", "esto"]),
    "fr": frozenset(["ca", "cela", "ceci"]),
    "de": frozenset(["es", "ihn", "dies", "dieses"]),
}
# Also articles: pronouns only when nothing else follows ("je le prends", but "le moins cher").
_FOCUS_WEAK = {
    "en": frozenset(),
    "es": frozenset(["la", "los", "las", "le"]),
    "fr": frozenset(["le", "la", "les", "l"]),
    "de": frozenset(["den", "das", "die", "sie"]),
}
_QUALIFIERS = frozenset(["in", "en", "de", "con", "with", "mit", "avec", "im"])


@dataclass(frozen=True, slots=True)
class Resolution:
    item: Item | None = None
    """The one product the phrase points at."""
    candidates: tuple[Item, ...] = ()
    """Several products fit: ask which, numbered."""
    text: str = ""
    """The phrase without its pointing words and constraints: a name for the storefront."""
    color: str | None = None
    size: str | None = None
    storage: int | None = None
    pointed: bool = False
    """The phrase pointed (pronoun, ordinal, superlative, attribute, a name in the listing)."""
    out_of_range: bool = False
    """An ordinal past the end of the listing ("the fifth" of three)."""
    constraints: dict[str, str | int] = field(default_factory=dict)


@functools.cache
def _pointing_words(locale: str) -> frozenset[str]:
    """Words that point or fill, never part of a name: dropped before names are compared."""
    return (
        lex.PRONOUNS.get(locale, frozenset())
        | lex.PRONOUNS["en"]
        | lex.ARTICLES.get(locale, frozenset())
        | lex.ARTICLES["en"]
        | lex.FILLERS.get(locale, frozenset())
        | lex.FILLERS["en"]
        | frozenset(lex.ORDINAL_WORDS.get(locale, {}))
        | frozenset(lex.ORDINAL_WORDS["en"])
        | {"mas", "plus", "most", "more", "moins", "least", "am"}
        | _QUALIFIERS
    )


def _superlative(folded: str, locale: str) -> tuple[str | None, set[str]]:
    padded = f" {folded} "
    for table in (lex.SUPERLATIVES.get(locale, {}), lex.SUPERLATIVES["en"]):
        for key, phrases in table.items():
            for phrase in phrases:
                if f" {phrase} " in padded:
                    return key, set(phrase.split())
                if locale == "de" and " " not in phrase:
                    # declined: "den günstigsten", "die teuerste"
                    for token in folded.split():
                        if token.startswith(phrase[:-1]) and len(token) <= len(phrase) + 2:
                            return key, {token}
    return None, set()


@functools.lru_cache(maxsize=4096)
def _name_tokens(name: str) -> frozenset[str]:
    tokens = fold(name).split()
    joined = {a + b for a, b in itertools.pairwise(tokens)}
    return frozenset(tokens) | joined


def _token_fits(query: str, names: frozenset[str]) -> bool:
    forms = {query}
    if len(query) > 3 and query.endswith("s"):
        forms.add(query[:-1])
    if len(query) > 4 and query.endswith("es"):
        forms.add(query[:-2])
    if len(query) > 4 and query.endswith(("en", "er")):
        forms.add(query[:-2])
    for form in forms:
        if form in names:
            return True
        if (
            len(form) >= 4
            and not form.isdigit()
            and any(n.startswith(form) or (len(n) >= 4 and form.startswith(n)) for n in names)
        ):
            return True
    return False


def _by_name(residual: list[str], pool: list[Item], *, lenient: bool) -> list[Item]:
    """The items whose names hold the residual words: all of them, or with `lenient` the most
    of them (an answer to "which one?" may carry words around the name)."""
    scored = []
    for item in pool:
        names = _name_tokens(item.name)
        scored.append((sum(_token_fits(t, names) for t in residual), item))
    best = max((s for s, _ in scored), default=0)
    if best == 0 or (not lenient and best < len(residual)):
        return []
    return [item for s, item in scored if s == best]


def _pick_superlative(key: str, items: list[Item]) -> list[Item]:
    def best(values: list[tuple[float, Item]], highest: bool) -> list[Item]:
        known = [(v, i) for v, i in values if v is not None]
        if not known:
            return items
        top = (max if highest else min)(v for v, _ in known)
        return [i for v, i in known if v == top]

    if key in ("cheapest", "priciest"):
        return best([(i.price, i) for i in items], key == "priciest")  # type: ignore[misc]
    if key == "newest":
        by_model = best([(i.model, i) for i in items], True)  # type: ignore[misc]
        if len(by_model) > 1:
            return best([(int(i.id) if i.id.isdigit() else None, i) for i in by_model], True)  # type: ignore[misc]
        return by_model
    return best([(i.storage, i) for i in items], True)  # type: ignore[misc]


def resolve_reference(
    phrase: str,
    locale: str,
    state: DialogueState,
    *,
    among: Literal["listing", "basket"] = "listing",
    lenient: bool = False,
) -> Resolution:
    """Read `phrase` (a product slot, or with `lenient` a whole short message) against `state`."""
    folded = fold(phrase)
    tokens = folded.split()
    if locale == "es":
        tokens = [clitic(t) if len(t) > 5 else t for t in tokens]
    pronouns = lex.PRONOUNS.get(locale, frozenset()) | lex.PRONOUNS["en"]
    glued = locale == "es" and any(clitic(t) != t for t in folded.split() if len(t) > 5)
    pronoun = glued or any(t in pronouns for t in tokens)
    # "it", "añádelo", "je le prends", "nimm den" point at the product in focus; "one", "celui",
    # "eins" point into the listing ("the black one")
    to_focus = glued or any(t in _FOCUS.get(locale, frozenset()) for t in tokens)
    weak = any(t in _FOCUS_WEAK.get(locale, frozenset()) for t in tokens)
    ordinal = parse_ordinal(folded, locale, folded=True)
    superlative, super_words = _superlative(folded, locale)
    colors = [lex.COLORS[t] for t in tokens if t in lex.COLORS]
    color = "navy" if "navy" in colors else (colors[0] if colors else None)
    storage_found = _STORAGE_RE.search(folded)
    storage = None
    if storage_found:
        storage = int(storage_found.group(1)) * (
            1024 if storage_found.group(2) in ("tb", "to") else 1
        )
    size_found = _SIZE_RE.search(folded)
    size = size_found.group(1).upper().replace(",", ".") if size_found else None

    dropped = _pointing_words(locale) | super_words
    attribute_spans = set()
    if storage_found:
        attribute_spans |= set(storage_found.group(0).split())
    if size_found:
        attribute_spans |= set(size_found.group(0).split())
    residual = [
        t
        for t in tokens
        if t not in dropped
        and t not in lex.COLORS
        and t not in attribute_spans
        and t not in ("azul",)  # "azul marino": the colour words, both of them
        and not (ordinal is not None and re.fullmatch(r"#?\d{1,2}(st|nd|rd|th|o|a|er|e|eme)?", t))
    ]
    constraints: dict[str, str | int] = {}
    if color:
        constraints["color"] = color
    if size:
        constraints["size"] = size
    if storage:
        constraints["storage"] = storage

    def result(**kw: object) -> Resolution:
        base = {
            "text": " ".join(residual),
            "color": color,
            "size": size,
            "storage": storage,
            "constraints": constraints,
        }
        return Resolution(**{**base, **kw})  # type: ignore[arg-type]

    basket_items = [line.item() for line in state.basket]
    pool = basket_items if among == "basket" else state.listing
    if not pool:
        pool = state.listing if among == "basket" else basket_items
    chosen = list(pool)
    narrowed = False
    bare = not (residual or ordinal or superlative)
    if state.focus is not None and bare and (to_focus or (weak and not constraints)):
        return result(item=state.focus, pointed=True)
    if residual:
        named = _by_name(residual, pool, lenient=lenient)
        if not named and state.focus is not None:
            named = _by_name(residual, [state.focus], lenient=lenient)
        if (
            len(named) > 1
            and not lenient
            and (len(residual) > 1 or any(t.isdigit() for t in residual))
        ):
            named = []  # "iphone 15" is a name, not a pick: the storefront knows exact names
        if not named:
            # a name the conversation has not shown: the storefront resolves it
            return result(pointed=bool(ordinal or superlative or pronoun))
        chosen, narrowed = named, True
    if color and any(i.colors for i in chosen):
        chosen = [i for i in chosen if color in i.colors]
        narrowed = True
    if storage and any(i.storage for i in chosen):
        chosen = [i for i in chosen if i.storage == storage]
        narrowed = True
    if size and any(i.sizes for i in chosen):
        chosen = [i for i in chosen if size in i.sizes]
        narrowed = True
    if superlative and chosen:
        chosen = _pick_superlative(superlative, chosen)
        narrowed = True
    if ordinal is not None:
        base = chosen if narrowed else pool
        index = len(base) - 1 if ordinal == -1 else ordinal - 1
        if 0 <= index < len(base):
            return result(item=base[index], pointed=True)
        return result(pointed=True, out_of_range=True)
    if narrowed:
        if len(chosen) == 1:
            return result(item=chosen[0], pointed=True)
        if chosen:
            return result(candidates=tuple(chosen), pointed=True)
        # "the red one" and nothing shown comes in red
        return result(pointed=True)
    if state.focus is not None and (pronoun or not tokens or color or size or storage):
        return result(item=state.focus, pointed=pronoun)
    return result(pointed=pronoun)
