"""Match a tokenized message against one compiled locale.

One generator of candidates, thin wrappers around it: `prepare()` applies the locale's aliases and
skip phrases; `candidates()` runs the prefilter and the RE2 programs of the surviving patterns and
yields every full match; `recognize_words()` ranks them, splits two-request messages, and falls
back to the fuzzy stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from engine._compile import ANCHOR_BOTH, PRODUCT_SLOTS, CompiledLocale, CompiledPattern
from engine._fuzzy import correct
from engine._normalize import Tokens
from engine._result import Correction, Match, Slot
from engine._slots import slot_value
from engine.contract import COURTESY_INTENTS

__all__ = ["Segment", "candidates", "prepare", "recognize_words"]

SET_THRESHOLD = 4
"""With more candidates than this, the locale's pattern set picks the matching ones in one pass."""
MAX_REQUESTS = 3
"""At most this many intents are read from one message."""
_FUZZY_PENALTY = 0.1


@dataclass(slots=True)
class Segment:
    """The words of a message (or of one request in it) after the locale's own folding."""

    text: str
    words: list[str]
    starts: list[int]
    ends: list[int]
    _breaks: list[bool] | None = None
    _tokens: Tokens | None = None
    _kept: list[int] | None = None
    """Index of the token each word came from; None when words and tokens are one to one."""

    @property
    def breaks(self) -> list[bool]:
        """Whether punctuation stood before word i: computed only when a split is considered."""
        if self._breaks is None:
            assert self._tokens is not None
            token_breaks = self._tokens.breaks()
            kept = self._kept
            if kept is None:
                self._breaks = token_breaks
            else:
                breaks = [False] * len(kept)
                for j in range(1, len(kept)):
                    if kept[j] != kept[j - 1]:
                        # punctuation between the two words, or between skipped words in the gap
                        breaks[j] = any(token_breaks[kept[j - 1] + 1 : kept[j] + 1])
                self._breaks = breaks
        return self._breaks

    def slice(self, lo: int, hi: int) -> Segment:
        breaks = self.breaks[lo:hi]
        if breaks:
            breaks[0] = False
        return Segment(self.text, self.words[lo:hi], self.starts[lo:hi], self.ends[lo:hi], breaks)

    def with_words(self, words: list[str]) -> Segment:
        return Segment(self.text, words, self.starts, self.ends, self.breaks)


def prepare(compiled: CompiledLocale, tokens: Tokens) -> Segment:
    """Aliases expanded, then skip phrases and emoji no pattern uses removed."""
    src = tokens.words
    if compiled.rewrite_words.isdisjoint(src) and "emoji" not in tokens.kinds:
        return Segment(tokens.text, src, tokens.starts, tokens.ends, None, tokens)
    aliases, vocabulary = compiled.aliases, compiled.vocabulary
    expanded: list[str] = []
    origin: list[int] = []
    for i, w in enumerate(src):
        if tokens.kinds[i] == "emoji" and w not in vocabulary:
            continue
        for part in aliases.get(w, (w,)):
            expanded.append(part)
            origin.append(i)
    skip = compiled.skip
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    kept: list[int] = []
    j, n = 0, len(expanded)
    while j < n:
        phrases = skip.get(expanded[j])
        if phrases is not None:
            size = next((len(p) for p in phrases if tuple(expanded[j : j + len(p)]) == p), 0)
            if size:
                j += size
                continue
        i = origin[j]
        words.append(expanded[j])
        starts.append(tokens.starts[i])
        ends.append(tokens.ends[i])
        kept.append(i)
        j += 1
    return Segment(tokens.text, words, starts, ends, None, tokens, kept)


def candidates(
    compiled: CompiledLocale,
    segment: Segment,
    default_currency: str,
    near_misses: list[str] | None = None,
) -> list[Match]:
    """Every pattern of the locale that matches the whole segment, unranked."""
    words = segment.words
    matcher = compiled.pattern_set
    by_set = matcher is not None and near_misses is None
    ids = _prefilter(compiled, words, SET_THRESHOLD + 1 if by_set else 0)
    if by_set and len(ids) > SET_THRESHOLD:
        return _candidates_by_set(compiled, matcher, segment, ids, default_currency)
    if not ids:
        return []
    wordset = set(words)
    subject = _subject(words)
    size = len(subject)
    patterns = compiled.patterns
    out: list[Match] = []
    offsets: tuple[dict[int, int], dict[int, int]] | None = None
    # with explain, every pattern runs: the ones that do not match are the near misses
    held: dict[str, tuple[int, int, int]] | None = (
        {} if near_misses is None and len(ids) > 1 else None
    )
    for pid in sorted(ids):
        pattern = patterns[pid]
        required = pattern.required
        if len(required) > 1 and any(g.isdisjoint(wordset) for g in required[1:]):
            continue
        program = pattern.program or pattern.compiled()  # first, as it may refuse the pattern
        if held and _outranked(held, pattern, len(words)):
            continue
        spans = program.Match(ANCHOR_BOTH, subject, 0, size)
        if spans[0][0] < 0:
            if near_misses is not None:
                near_misses.append(pattern.origin)
            continue
        if offsets is None:
            offsets = _offsets(words)
        match = _build(compiled, pattern, segment, spans, offsets, default_currency)
        if match is not None:
            out.append(match)
            if held is not None:
                _hold(held, match)
    return out


def _outranked(held: dict[str, tuple[int, int, int]], pattern: CompiledPattern, size: int) -> bool:
    """Whether a match of `pattern` could only rank at most as high as the match of its intent
    already found (earlier, so it wins a tie): then it is neither a winner nor the intent's
    alternative, and its slots need not be extracted."""
    found = held.get(pattern.intent)
    sure = pattern.sure_text
    return found is not None and found >= (pattern.priority, size - sure, -sure)


def _hold(held: dict[str, tuple[int, int, int]], match: Match) -> None:
    rank = _rank(match)
    found = held.get(match.intent)
    if found is None or rank > found:
        held[match.intent] = rank


def _prefilter(compiled: CompiledLocale, words: list[str], enough: int = 0) -> set[int]:
    """Ids of the patterns whose indexed words the message holds; with `enough`, it may stop
    as soon as it has found that many (the caller only asks whether there are that many)."""
    index = compiled.index
    ids: set[int] = set()
    for w in words:
        hit = index.get(w)
        if hit is not None:
            ids.update(hit)
            if enough and len(ids) >= enough:
                break
    return ids


def _subject(words: list[str]) -> bytes:
    """The text the RE2 programs run on: every word preceded by one space."""
    return (" " + " ".join(words)).encode()


def _candidates_by_set(
    compiled: CompiledLocale,
    matcher: Any,
    segment: Segment,
    some_ids: set[int],
    default_currency: str,
) -> list[Match]:
    """One linear pass of the locale's pattern set finds every pattern that matches.

    Extracting slots is the costly part on large programs, and priority ranks first: only the
    best priority's matches are extracted (a lower priority only if none of those yields a
    match). `some_ids` is part of what the prefilter passes; a pattern outside it must still
    pass the prefilter (share its indexed words with the message) to count.
    """
    words = segment.words
    subject = _subject(words)
    patterns = compiled.patterns
    hits = [
        pid
        for pid in matcher.Match(subject)
        if pid in some_ids or not patterns[pid].required[0].isdisjoint(words)
    ]
    if len(hits) == 1:
        return _extract(compiled, segment, hits, subject, default_currency)
    for priority in sorted({patterns[pid].priority for pid in hits}, reverse=True):
        found = _extract(
            compiled,
            segment,
            sorted(pid for pid in hits if patterns[pid].priority == priority),
            subject,
            default_currency,
        )
        if found:
            return found
    return []


def _extract(
    compiled: CompiledLocale,
    segment: Segment,
    ids: list[int],
    subject: bytes,
    default_currency: str,
) -> list[Match]:
    """Slots of patterns already known to match (by the pattern set), `ids` in ascending order."""
    out: list[Match] = []
    whole = ((0, len(subject)),)
    offsets: tuple[dict[int, int], dict[int, int]] = ({}, {})
    held: dict[str, tuple[int, int, int]] | None = {} if len(ids) > 1 else None
    size = len(segment.words)
    for pid in ids:
        pattern = compiled.patterns[pid]
        if held and _outranked(held, pattern, size):
            continue
        if len(pattern.groups) == 1:
            # no capture group: the set has already said the pattern matches the whole subject
            spans: Sequence[tuple[int, int]] = whole
        else:
            program = pattern.program or pattern.compiled()
            spans = program.Match(ANCHOR_BOTH, subject, 0, len(subject))
            if spans[0][0] < 0:
                continue
            if not offsets[0]:
                offsets = _offsets(segment.words)
        match = _build(compiled, pattern, segment, spans, offsets, default_currency)
        if match is not None:
            out.append(match)
            if held is not None:
                _hold(held, match)
    return out


def _offsets(words: list[str]) -> tuple[dict[int, int], dict[int, int]]:
    """Byte offset of each word's first and last byte in the subject, to word index."""
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    pos = 1
    for i, w in enumerate(words):
        starts[pos] = i
        pos += len(w) if w.isascii() else len(w.encode())
        ends[pos] = i
        pos += 1
    return starts, ends


def _build(
    compiled: CompiledLocale,
    pattern: CompiledPattern,
    segment: Segment,
    spans: Sequence[tuple[int, int]],
    offsets: tuple[dict[int, int], dict[int, int]],
    default_currency: str,
) -> Match | None:
    starts_at, ends_at = offsets
    words = segment.words
    slots: list[Slot] = []
    seen: set[str] = set()
    free_words = 0
    for number in range(1, len(spans)):
        group = pattern.groups[number]
        s, e = spans[number]
        if group is None or s < 0 or group.slot in seen:
            continue
        first, last = starts_at[s + 1], ends_at[e]
        if group.type == "text":
            first, last = _trim(compiled, words, first, last)
            if first > last:
                return None  # the free text was nothing but articles
            if group.slot in PRODUCT_SLOTS and _not_a_product(compiled, words, first, last):
                return None  # "I want a hug", "quiero ser programador": not about a product
            free_words += last - first + 1
            value: object = segment.text[segment.starts[first] : segment.ends[last]]
        else:
            value = slot_value(compiled, group.type, words[first : last + 1], default_currency)
            if value is None:
                return None
        seen.add(group.slot)
        slots.append(
            Slot(
                group.slot,
                value,
                segment.text[segment.starts[first] : segment.ends[last]],
                segment.starts[first],
                segment.ends[last],
                group.type,
            )
        )
    for fixed in pattern.fixed_slots:
        if fixed.name not in seen:
            slots.append(fixed)
    return Match(
        pattern.intent,
        tuple(slots),
        pattern.origin,
        1.0,
        "pattern",
        pattern.priority,
        len(words) - free_words,
        (),
        segment.starts[0] if words else 0,
        segment.ends[-1] if words else 0,
    )


def _not_a_product(compiled: CompiledLocale, words: list[str], first: int, last: int) -> bool:
    """Free text that cannot be a product: it begins with a chatter phrase or holds a verb."""
    heads = compiled.not_product_heads
    if heads and (
        words[first] in heads
        or " ".join(words[first : first + 2]) in heads
        or " ".join(words[first : first + 3]) in heads
    ):
        return True
    verbs = compiled.not_product_words
    return bool(verbs) and any(w in verbs for w in words[first : last + 1])


def _trim(compiled: CompiledLocale, words: list[str], first: int, last: int) -> tuple[int, int]:
    trim = compiled.trim
    edges = compiled.trim_words
    if words[first] not in edges and words[last] not in edges:
        return first, last  # no trim phrase can start or end here
    changed = True
    while changed and first <= last:
        changed = False
        for size in (3, 2, 1):
            if last - first + 1 > size and tuple(words[first : first + size]) in trim:
                first += size
                changed = True
                break
            if last - first + 1 > size and tuple(words[last - size + 1 : last + 1]) in trim:
                last -= size
                changed = True
                break
    if first == last and (words[first],) in trim:
        return first, first - 1
    return first, last


def _rank(match: Match) -> tuple[int, int, int]:
    return (match.priority, match.specificity, -sum(1 for s in match.slots if s.type == "text"))


def _best(found: list[Match]) -> tuple[list[Match], list[Match]]:
    """(winners, alternatives): several winners of different intents tied on rank = ambiguous."""
    if len(found) == 1:
        return found, []
    found.sort(key=_rank, reverse=True)
    top = _rank(found[0])
    winners: list[Match] = [found[0]]
    alternatives: list[Match] = []
    seen = {found[0].intent}
    for m in found[1:]:
        if m.intent in seen:
            continue
        seen.add(m.intent)
        (winners if _rank(m) == top else alternatives).append(m)
    return winners, alternatives


def _split_points(compiled: CompiledLocale, segment: Segment) -> list[tuple[int, int]]:
    """(end of the first request, start of the next) for each place a message may be cut."""
    words, breaks, split = segment.words, segment.breaks, compiled.split
    points: list[tuple[int, int]] = []
    for i in range(1, len(words)):
        if breaks[i]:
            points.append((i, i))
        for phrase in split.get(words[i], ()):
            if tuple(words[i : i + len(phrase)]) == phrase and i + len(phrase) < len(words):
                points.append((i, i + len(phrase)))
                break
    return points


def _crosses(match: Match, segment: Segment, points: list[tuple[int, int]]) -> bool:
    """Whether a free-text slot of the match runs across a place the message may be cut: a
    punctuation break inside it, or a split phrase inside it or at its very start ("... und wie
    ..."); free text that merely begins after punctuation ("anlegen: Yogamatte") does not."""
    for slot in match.slots:
        if slot.type != "text":
            continue
        for cut, resume in points:
            at = segment.starts[cut]
            if slot.start < at < slot.end or (resume > cut and slot.start == at):
                return True
    return False


def _requests(
    compiled: CompiledLocale, segment: Segment, currency: str, depth: int
) -> list[Match] | None:
    """The segment read as two or more requests, or None when no cut makes every part match."""
    if depth >= MAX_REQUESTS:
        return None
    words = segment.words
    n = len(words)
    points = _split_points(compiled, segment)
    hard = len(points)
    if depth == 1:
        # an unpunctuated greeting or thanks opening the message ("hola tienen iphone")
        lead = compiled.courtesy_words
        for i in range(1, min(3, n - 1) + 1):
            if words[i - 1] not in lead:
                break
            if (i, i) not in points:
                points.append((i, i))
    for k, (cut, resume) in enumerate(points):
        left = candidates(compiled, segment.slice(0, cut), currency)
        if not left:
            continue
        if k >= hard and _best(left)[0][0].intent not in COURTESY_INTENTS:
            continue
        rest = _read(compiled, segment.slice(resume, n), currency, depth + 1)
        if rest is None:
            continue
        return [_best(left)[0][0], *rest]
    return None


def _read(
    compiled: CompiledLocale, segment: Segment, currency: str, depth: int
) -> list[Match] | None:
    """The requests of the rest of a message: one match, or more when its free text would run
    across a place the message may be cut and the cut parts all match."""
    found = candidates(compiled, segment, currency)
    if not found:
        return _requests(compiled, segment, currency, depth)
    best = _best(found)[0][0]
    if any(slot.type == "text" for slot in best.slots):
        points = _split_points(compiled, segment)
        if points and _crosses(best, segment, points):
            several = _requests(compiled, segment, currency, depth)
            if several is not None:
                return several
    return [best]


def recognize_words(
    compiled: CompiledLocale,
    segment: Segment,
    currency: str,
    *,
    fuzzy: bool = True,
    near_misses: list[str] | None = None,
) -> tuple[str, list[Match], list[Match]]:
    """(status, matches, alternatives) for a prepared segment."""
    if not segment.words:
        return "none", [], []
    found = candidates(compiled, segment, currency, near_misses)
    if found:
        winners, alternatives = _best(found)
        if len(winners) == 1:
            has_text = any(slot.type == "text" for slot in winners[0].slots)
            points = _split_points(compiled, segment) if has_text else []
            if points and _crosses(winners[0], segment, points):
                several = _requests(compiled, segment, currency, 1)
                if several is not None:
                    return "matched", several, []
            return "matched", winners, alternatives
        return "ambiguous", winners, alternatives
    several = _requests(compiled, segment, currency, 1)
    if several is not None:
        return "matched", several, []
    if fuzzy:
        return _fuzzy(compiled, segment, currency)
    return "none", [], []


def _fuzzy(
    compiled: CompiledLocale, segment: Segment, currency: str
) -> tuple[str, list[Match], list[Match]]:
    corrections: list[Correction] = []
    words = list(segment.words)
    for i, w in enumerate(words):
        fixed = correct(compiled, w)
        if fixed is not None:
            replacement, distance = fixed
            words[i] = replacement
            corrections.append(
                Correction(
                    segment.text[segment.starts[i] : segment.ends[i]],
                    replacement,
                    segment.starts[i],
                    segment.ends[i],
                    distance,
                )
            )
    if not corrections:
        return "none", [], []
    corrected = segment.with_words(words)
    status, matches, alternatives = recognize_words(compiled, corrected, currency, fuzzy=False)
    if status == "none":
        return status, [], []
    penalty = _FUZZY_PENALTY * sum(c.distance for c in corrections)
    score = max(0.1, round(1.0 - penalty, 3))

    def soften(m: Match) -> Match:
        used = tuple(c for c in corrections if m.start <= c.start < max(m.end, c.end))
        return Match(
            m.intent,
            m.slots,
            m.rule,
            score,
            "fuzzy",
            m.priority,
            m.specificity,
            used,
            m.start,
            m.end,
        )

    return status, [soften(m) for m in matches], [soften(m) for m in alternatives]
