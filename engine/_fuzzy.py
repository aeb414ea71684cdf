"""The fuzzy stage: correct words that are one or two edits from the locale's vocabulary.

Only words the vocabulary does not know are touched; a word of 5 to 7 letters may be one edit
away (a transposition counts as one), a word of 8 or more two; shorter words are never guessed.
Candidates come from a deletion index (SymSpell's idea: a word and a typo of it share a form with
up to k letters deleted), so a lookup costs the same whatever the vocabulary's size; rapidfuzz's
optimal-string-alignment distance then confirms them. A tie between two corrections is not
guessed. Corrections are cached per compiled locale.
"""

from __future__ import annotations

from rapidfuzz.distance import OSA

from engine._compile import CompiledLocale

__all__ = ["correct", "deletion_index", "max_edits"]

_CACHE_LIMIT = 50_000


def max_edits(word: str) -> int:
    n = len(word)
    return 0 if n < 5 else 1 if n < 8 else 2


def _deletes(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def deletion_index(compiled: CompiledLocale) -> dict[str, list[str]]:
    """The locale's deletion index, built on first use (or by `IntentEngine.compile_all`)."""
    if not compiled.fuzzy_pool:
        index: dict[str, list[str]] = {}
        for word in sorted(compiled.vocabulary):
            if word.isalpha() and len(word) >= 4:
                # a 6-letter word may be two edits from an 8-letter typo
                for form in _deletes(word, 2 if len(word) >= 6 else 1):
                    index.setdefault(form, []).append(word)
        compiled.fuzzy_pool = index
    return compiled.fuzzy_pool


def correct(compiled: CompiledLocale, word: str) -> tuple[str, int] | None:
    """(vocabulary word, edits) for an unknown word close to exactly one known word, else None."""
    if word in compiled.vocabulary or not word.isalpha():
        return None
    limit = max_edits(word)
    if limit == 0:
        return None
    cache = compiled.fuzzy_cache
    if word in cache:
        return cache[word]
    index = deletion_index(compiled)
    best = limit + 1
    winners: set[str] = set()
    for form in _deletes(word, limit):
        for candidate in index.get(form, ()):
            if candidate in winners:
                continue
            distance = OSA.distance(word, candidate, score_cutoff=limit)
            if distance < best:
                best, winners = distance, {candidate}
            elif distance == best:
                winners.add(candidate)
    result = (winners.pop(), best) if len(winners) == 1 and best <= limit else None
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[word] = result
    return result
