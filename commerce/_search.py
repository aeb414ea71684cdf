"""Fuzzy product search and name resolution, pure and in memory.

Text is folded once (accents stripped, case folded, punctuation to spaces) and each product gets a
token set per locale: its name, brand, category words and color words in that locale (plus English,
which shoppers mix in everywhere). A query scores per token (exact 100, prefix 95, else rapidfuzz
`ratio` with a cutoff), so every word must find a home: typos pass, unrelated words do not.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from commerce._catalog import BRAND_NAMES, CATEGORY_WORDS, COLOR_WORDS
from commerce.models import Product, ProductRef, Resolution, SearchFilters, SearchHit

__all__ = ["SearchIndex", "fold"]

_LOCALE_INDEX = {"en": 0, "es": 1, "fr": 2, "de": 3}
_TOKEN_CUTOFF = 75.0
"""Below this a query word is taken to match nothing; ~one typo in a six-letter word passes."""
_SEARCH_MIN_SCORE = 72.0
_RESOLVE_MIN_SCORE = 75.0
_RESOLVE_MARGIN = 8.0
"""A resolved name must beat the runner-up by this much, otherwise the shopper is asked."""


def fold(text: str) -> str:
    """Lower case, accents removed, anything but letters and digits turned into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in stripped).split())


def _inflections(word: str, locale: str) -> list[str]:
    """Gender and plural forms of a color word ("rojo" -> "roja", "rojas"; "schwarz" -> "schwarze")."""
    if locale == "es":
        return [word[:-1] + e for e in ("a", "os", "as")] if word.endswith("o") else [word + "es"]
    if locale == "fr":
        return [word + "e", word + "s", word + "es"]
    if locale == "de":
        return [word + e for e in ("e", "en", "er", "es")]
    return []


def _token_score(query_token: str, tokens: Sequence[str]) -> float:
    if query_token in tokens:
        return 100.0
    if len(query_token) >= 3 and any(t.startswith(query_token) for t in tokens):
        return 95.0
    if len(query_token) <= 2:
        return 0.0
    best = process.extractOne(query_token, tokens, scorer=fuzz.ratio, score_cutoff=_TOKEN_CUTOFF)
    return float(best[1]) if best else 0.0


def _score(query_tokens: Sequence[str], tokens: Sequence[str], query: str, name: str) -> float:
    coverage = sum(_token_score(q, tokens) for q in query_tokens) / len(query_tokens)
    # A whole-name comparison breaks ties between products that cover the words equally.
    return round(0.85 * coverage + 0.15 * fuzz.token_set_ratio(query, name), 2)


@dataclass(frozen=True, slots=True)
class _Entry:
    product: Product
    names: dict[str, str]
    """Locale -> folded name."""
    tokens: dict[str, tuple[str, ...]]
    """Locale -> folded search tokens."""
    name_tokens: dict[str, tuple[str, ...]]


def _entry(product: Product) -> _Entry:
    names, tokens, name_tokens = {}, {}, {}
    brand_words = f"{product.brand} {BRAND_NAMES.get(product.brand, '')}"
    for locale, i in _LOCALE_INDEX.items():
        name = fold(product.name_in(locale))
        words = [name, fold(product.name["en"]), fold(brand_words), fold(product.sku)]
        if product.category in CATEGORY_WORDS:
            words += [CATEGORY_WORDS[product.category][i], CATEGORY_WORDS[product.category][0]]
        words.append(product.category)
        for color in product.colors:
            if color in COLOR_WORDS:
                word = fold(COLOR_WORDS[color][i])
                words += [word, color, *_inflections(word, locale)]
        names[locale] = name
        tokens[locale] = tuple(dict.fromkeys(" ".join(words).split()))
        name_tokens[locale] = tuple(dict.fromkeys(f"{name} {fold(brand_words)}".split()))
    return _Entry(product, names, tokens, name_tokens)


def _passes(product: Product, filters: SearchFilters) -> bool:
    f = filters
    return (
        (f.category is None or product.category == f.category)
        and (f.brand is None or product.brand == f.brand.casefold())
        and (f.color is None or f.color.casefold() in product.colors)
        and (f.size is None or f.size.upper() in product.sizes)
        and (f.min_price is None or product.price >= f.min_price)
        and (f.max_price is None or product.price <= f.max_price)
        and (not f.in_stock or product.stock > 0)
    )


class SearchIndex:
    """The folded catalog, built once per catalog version; searching never touches the database."""

    def __init__(self, products: Iterable[Product]) -> None:
        self._entries = [_entry(p) for p in products]
        self._by_ref = {}
        for e in self._entries:
            self._by_ref[e.product.id] = e.product
            self._by_ref[e.product.sku.casefold()] = e.product

    def search(self, query: str, filters: SearchFilters, locale: str) -> list[SearchHit]:
        loc = locale if locale in _LOCALE_INDEX else "en"
        folded = fold(query)
        query_tokens = folded.split()
        hits = []
        for e in self._entries:
            if not _passes(e.product, filters):
                continue
            if not query_tokens:
                hits.append(SearchHit(e.product, 100.0))
                continue
            score = _score(query_tokens, e.tokens[loc], folded, e.names[loc])
            if score >= _SEARCH_MIN_SCORE:
                hits.append(SearchHit(e.product, score))
        if query_tokens:
            hits.sort(key=lambda h: (-h.score, h.product.name_in(loc)))
        else:
            hits.sort(key=lambda h: (h.product.category, h.product.name_in(loc)))
        return hits

    def resolve(self, text: str, locale: str) -> Resolution:
        loc = locale if locale in _LOCALE_INDEX else "en"
        exact = self._by_ref.get(text.strip()) or self._by_ref.get(text.strip().casefold())
        if exact is not None:
            return Resolution(text, ProductRef(exact.id, exact.sku, exact.name_in(loc), 100.0))
        folded = fold(text)
        query_tokens = folded.split()
        if not query_tokens:
            return Resolution(text, None)
        scored = []
        for e in self._entries:
            if folded in (e.names[loc], fold(e.product.name["en"])):
                ref = ProductRef(e.product.id, e.product.sku, e.product.name_in(loc), 100.0)
                return Resolution(text, ref)
            score = _score(query_tokens, e.name_tokens[loc], folded, e.names[loc])
            if score >= _RESOLVE_MIN_SCORE:
                scored.append(
                    ProductRef(e.product.id, e.product.sku, e.product.name_in(loc), score)
                )
        scored.sort(key=lambda r: (-r.score, r.name))
        if not scored:
            return Resolution(text, None)
        if len(scored) == 1 or scored[0].score - scored[1].score >= _RESOLVE_MARGIN:
            return Resolution(text, scored[0])
        close = [r for r in scored if scored[0].score - r.score < 2 * _RESOLVE_MARGIN]
        return Resolution(text, None, tuple(close[:5]))
