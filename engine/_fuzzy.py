"""The fuzzy stage: correct words that are one or two edits from the locale's vocabulary.

Only words the vocabulary does not know are touched; a word of 4 to 7 letters may be one edit
away (a transposition counts as one), a word of 8 or more two; shorter words are never guessed. The candidates are the vocabulary
words of a close length, compared with rapidfuzz's optimal-string-alignment distance; a tie between
two different corrections is not guessed. Corrections are cached per locale.
"""

from __future__ import annotations

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from engine._compile import CompiledLocale

__all__ = ["correct", "max_edits"]

_CACHE_LIMIT = 50_000


def max_edits(word: str) -> int:
    n = len(word)
    return 0 if n < 5 else 1 if n < 8 else 2


def _pool(compiled: CompiledLocale) -> dict[int, list[str]]:
    if not compiled.fuzzy_pool:
        for w in sorted(compiled.vocabulary):
            if w.isalpha():
                compiled.fuzzy_pool.setdefault(len(w), []).append(w)
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
    pools = _pool(compiled)
    pool: list[str] = []
    for n in range(len(word) - limit, len(word) + limit + 1):
        pool.extend(pools.get(n, ()))
    found = extract(word, pool, scorer=OSA.distance, score_cutoff=limit, limit=3)
    result: tuple[str, int] | None = None
    if found:
        best = min(d for _, d, _ in found)
        winners = [w for w, d, _ in found if d == best]
        if len(winners) == 1:
            result = (winners[0], int(best))
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[word] = result
    return result
