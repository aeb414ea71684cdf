"""Symmetric normalization: the same fold turns pattern words and shoppers' messages into words.

`tokenize()` is locale-independent: it finds words, numbers, e-mails, phone numbers, currency
symbols and emoji, folds case and accents, splits elisions and hyphens, collapses letters repeated
three times or more, and remembers each word's span in the original text (slot values are returned
as the shopper wrote them) and where punctuation separated two words (a place a message may hold a
second request). Locale steps (aliases, skip phrases) live in the compiled locale.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Tokens", "fold_text", "fold_word", "tokenize"]

_EMOJI_CHARS = (
    "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2190-\u21ff\u2300-\u23ff"
    "\u25a0-\u25ff\u2700-\u27bf\u3030\u303d\u3297\u3299\u203c\u2049"
)
_EMOJI_MODIFIERS = "\ufe0f\ufe0e\U0001f3fb-\U0001f3ff"

_WORD = r"[^\W\d_][^\W_]*(?:['’`´-][^\W_]+)*"
_TAIL = rf"""
  | (?P<ordinal>\b\d{{1,3}}\.(?=[ \t]+[^\W\d_]))
  | (?P<num>\d+(?:[.,]\d+)*(?![^\W_]))
  | (?P<alnum>\d[^\W_]*(?:['’`´-][^\W_]+)*)
  | (?P<currency>[€$£¥])
  | (?P<emoji>[{_EMOJI_CHARS}][{_EMOJI_MODIFIERS}]*(?:\u200d[{_EMOJI_CHARS}][{_EMOJI_MODIFIERS}]*)*)
"""
# Most messages hold neither an e-mail nor a phone number: they take the shorter expression.
_FAST_RE = re.compile(rf"(?P<word>{_WORD}){_TAIL}", re.VERBOSE)
_FULL_RE = re.compile(
    rf"""
    (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
  | (?P<phone>(?:\+|\b00)\d[\d ()./-]{{6,}}\d|\b\d{{3}}(?:[ .-]?\d{{2,3}}){{2,3}}\b|\b0\d{{2,4}}[ /-]?\d{{5,8}}\b|\b0\d(?:[ .-]?\d\d){{4}}\b)
  | (?P<word>{_WORD}){_TAIL}""",
    re.VERBOSE,
)
_NEEDS_FULL_RE = re.compile(
    r"@|\+\d|\b00\d|\d{3}[ .-]?\d{2}|\b0\d{2,4}[ /-]?\d{5}|\b0\d[ .-]\d\d[ .-]\d\d"
)
# Every branch above holds one of these; scanning for them is several times cheaper than trying
# every branch at every position, and most messages hold none.
_MAY_NEED_FULL_RE = re.compile(r"@|\+\d|\d\d\d|0\d")
# Punctuation ends a request when a space or a line break follows it ("hola, busco"), or when it
# is a question or exclamation mark; "catalog.csv" and "1.299" are one thing each.
_BREAK_RE = re.compile(r"[,.;:]\s|[!?¿¡\n;]")
_EDGE_PUNCT = ',.;:!?¿¡"()[]«»“”…'
_SPLIT_WORD_RE = re.compile(r"['’`´-]")
_PLAIN_GAP = " "
_REPEAT_RE = re.compile(r"([^\W\d_])\1{2,}")
_MODIFIER_RE = re.compile(f"[{_EMOJI_MODIFIERS}]")

# Letters NFKD does not decompose into a base letter and a mark.
_SPECIAL_FOLDS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ð": "d", "ı": "i"}
)


@functools.lru_cache(maxsize=65_536)
def fold_word(word: str) -> tuple[str, ...]:
    """One raw word to its normalized words: `L'iPhone` → (`l`, `iphone`), `montre-moi` → 2 words."""
    w = word
    if not w.isascii():
        # NFKD first: styled letters (𝐈𝐏𝐇𝐎𝐍𝐄, ｉｐｈｏｎｅ) become plain ones, then lowercase
        w = unicodedata.normalize("NFKD", w.translate(_SPECIAL_FOLDS))
        w = "".join(c for c in w if not unicodedata.combining(c)).lower().translate(_SPECIAL_FOLDS)
    else:
        w = w.lower()
    w = _REPEAT_RE.sub(r"\1", w)
    return tuple(part for part in _SPLIT_WORD_RE.split(w) if part)


@dataclass(frozen=True, slots=True)
class Tokens:
    """Normalized words with their original spans; `breaks[i]` is true when punctuation preceded
    word i. The lists are parallel."""

    text: str
    words: list[str]
    starts: list[int]
    ends: list[int]
    kinds: list[str]

    def breaks(self) -> list[bool]:
        """Whether punctuation stands between word i-1 and word i (False for the first word)."""
        text, search, starts, ends = self.text, _BREAK_RE.search, self.starts, self.ends
        breaks = [False] * len(starts)
        for i in range(1, len(starts)):
            gap_start, gap_end = ends[i - 1], starts[i]
            # most words are one space apart: no regex for those
            if gap_end - gap_start == 1 and text[gap_start] == _PLAIN_GAP:
                continue
            breaks[i] = search(text, gap_start, gap_end) is not None
        return breaks


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


_PLAIN_WORDS_LIMIT = 65_536
_NOT_PLAIN = ("", 0, 0)
_plain_words: dict[str, tuple[str, int, int]] = {}
"""Lowercased chunk to (its one folded word, offset of the word in the chunk, length of the word),
or `_NOT_PLAIN`: shoppers reuse a small vocabulary, so most chunks are seen before."""


def _plain_word(chunk: str) -> tuple[str, int, int]:
    """A whitespace chunk that is one word in punctuation ("zapatillas", "¿tienen", "azul?")."""
    core = chunk.strip(_EDGE_PUNCT)
    found = _NOT_PLAIN
    if core and core.isalpha():
        parts = fold_word(core)
        if len(parts) == 1:
            found = (parts[0], chunk.index(core) if core is not chunk else 0, len(core))
    if len(_plain_words) >= _PLAIN_WORDS_LIMIT:
        _plain_words.clear()
    _plain_words[chunk] = found
    return found


def tokenize(text: str) -> Tokens:
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters change length when lowercased (İ)
        lowered = text
    tokens = Tokens(text, [], [], [], [])
    if _MAY_NEED_FULL_RE.search(lowered) and _NEEDS_FULL_RE.search(lowered):
        _scan(tokens, lowered, 0, _FULL_RE)
        return tokens
    # Fast path: whitespace chunks that are plain words skip the regex entirely.
    words, starts, ends, kinds = tokens.words, tokens.starts, tokens.ends, tokens.kinds
    find = lowered.find
    pos = 0
    chunks = lowered.split()
    last = len(chunks) - 1
    for i, chunk in enumerate(chunks):
        start = find(chunk, pos)
        pos = start + len(chunk)
        plain = _plain_words.get(chunk) or _plain_word(chunk)
        if plain is not _NOT_PLAIN:
            word, lead, size = plain
            words.append(word)
            starts.append(start + lead)
            ends.append(start + lead + size)
            kinds.append("word")
            continue
        core = chunk.strip(_EDGE_PUNCT)
        if core:
            offset = start + chunk.index(core) if core is not chunk else start
            if core.isdigit() and core.isascii():
                # "2." before a word is a German ordinal ("den 2. Artikel")
                dotted = (
                    i < last
                    and chunk.endswith(".")
                    and len(core) <= 3
                    and chunks[i + 1][:1].isalpha()
                )
                words.append(core + "." if dotted else core)
                starts.append(offset)
                ends.append(offset + len(core) + (1 if dotted else 0))
                kinds.append("num")
                continue
        _scan(tokens, chunk, start, _FAST_RE)
    return tokens


def _scan(tokens: Tokens, text: str, base: int, regex: re.Pattern[str]) -> None:
    words, starts, ends, kinds = tokens.words, tokens.starts, tokens.ends, tokens.kinds
    for m in regex.finditer(text):
        kind = m.lastgroup
        raw = m.group()
        start, end = m.start() + base, m.end() + base
        if kind == "word" or kind == "alnum":
            # each part keeps the span of its own piece of the raw word (l'iphone, montre-moi)
            offset = start
            for piece in _SPLIT_WORD_RE.split(raw):
                for part in fold_word(piece):
                    words.append(part)
                    starts.append(offset)
                    ends.append(offset + len(piece))
                    kinds.append("word")
                offset += len(piece) + 1
            continue
        if kind == "phone":
            digits = _digits(raw)
            plus = raw.startswith("+") or raw.startswith("00")
            if len(digits) < (8 if plus else 9):
                for n in re.finditer(r"\d+", raw):
                    words.append(n.group())
                    starts.append(start + n.start())
                    ends.append(start + n.end())
                    kinds.append("num")
                continue
            raw = ("+" if plus else "") + (digits[2:] if raw.startswith("00") else digits)
        elif kind == "emoji":  # drop skin tones and variation selectors; a repeat counts once
            raw = _MODIFIER_RE.sub("", raw)
            if kinds and kinds[-1] == "emoji" and words[-1] == raw:
                continue
        elif kind == "ordinal":
            kind = "num"
        words.append(raw)
        starts.append(start)
        ends.append(end)
        kinds.append(kind or "word")


def fold_text(text: str) -> str:
    """The normalized words of a text joined by spaces (for comparing what a shopper wrote)."""
    return " ".join(tokenize(text).words)
