"""Reading a short answer whatever its form: numbers, ordinals, yes/no, e-mails, phones, order ids.

Everything works on folded text (lower case, no accents, punctuation as spaces) so "Sí", "si" and
"SÍ!" are one word. Each reader returns None when the message holds no such thing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from dialogue import _lexicon as lex
from dialogue._fold import fold

__all__ = [
    "find_email",
    "find_order_ids",
    "find_phone",
    "fold",
    "has_phrase",
    "parse_number",
    "parse_ordinal",
    "parse_yes_no",
    "phrase_number",
    "words",
]

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_RE = re.compile(r"(?<![\w@])\+?\d[\d ().\-/]{5,}\d(?![\w@])")
_ORDER_RE = re.compile(r"\bORD[-_ ]?((?=[A-Z]*\d)[A-Z0-9]{4,16})\b", re.IGNORECASE)
_DIGITS_RE = re.compile(r"(?<![\d.,€$£])#?(\d{4,12})(?![\d.,]|\s?(?:€|eur|euros?|\$|gb|go|tb))")
_ORDINAL_DIGIT_RE = re.compile(
    r"^(?:#|n[or]?|number|numero|nummer)?\s*(\d{1,2})(?:st|nd|rd|th|o|a|º|ª|er|re|e|eme|ieme|\.)$"
)
_CLITIC_RE = re.compile(r"^(\w{3,}?)(melo|mela|selo|sela|lo|la|los|las)$")
# Country calling codes by locale, for a number written the local way ("612 345 678").
CALLING_CODES = {"en": "44", "es": "34", "fr": "33", "de": "49"}
_KNOWN_CODES = (
    "1",
    "7",
    "30",
    "31",
    "32",
    "33",
    "34",
    "39",
    "41",
    "43",
    "44",
    "45",
    "46",
    "47",
    "48",
    "49",
    "351",
    "352",
    "353",
    "52",
    "54",
    "55",
    "57",
    "61",
)


def words(text: str) -> list[str]:
    return fold(text).split()


def has_phrase(folded: str, phrases: Iterable[str]) -> str | None:
    """The first phrase found whole-word in `folded` (already folded text), or None."""
    padded = f" {folded} "
    for phrase in phrases:
        if f" {phrase} " in padded:
            return phrase
    return None


def clitic(word: str) -> str:
    """ "añadelo" -> "anade"; a Spanish verb with its object glued on, the object taken off."""
    found = _CLITIC_RE.match(word)
    return found.group(1) if found else word


def parse_number(text: str, locale: str, *, folded: bool = False) -> int | None:
    """The first small quantity in a message: digits (1-999) or a number word of the locale."""
    tokens = (text if folded else fold(text)).split()
    table = lex.NUMBER_WORDS.get(locale, lex.NUMBER_WORDS["en"])
    for token in tokens:
        if token.isdigit() and 0 < len(token) <= 3:
            return int(token)
        if token in table:
            return table[token]
    return None


def phrase_number(folded: str, locale: str, phrases: Iterable[str]) -> int | None:
    """The number a quantity phrase carries: "make it {n}" read on "ok make it 2" is 2.

    A phrase without "{n}" ("one more") counts as 1 unless its own words say a number."""
    table = {**lex.NUMBER_WORDS["en"], **lex.NUMBER_WORDS.get(locale, {})}
    padded = f" {folded} "
    for phrase in phrases:
        if "{n}" not in phrase:
            if f" {phrase} " in padded:
                head = phrase.split()[0]
                return table.get(head, 1)
            continue
        anchor = phrase.replace("{n}", " ").split()
        if anchor and f" {anchor[0]} " not in padded:
            continue  # a cheap check before the regex: its first word is not in the message
        for found in _phrase_regex(phrase).finditer(padded):
            token = found.group(1)
            if token.isdigit() and 0 < len(token) <= 3:
                return int(token)
            if token in table:
                return table[token]
    return None


@functools.lru_cache(maxsize=1024)
def _phrase_regex(phrase: str) -> re.Pattern[str]:
    return re.compile(re.escape(f" {phrase} ").replace(re.escape("{n}"), r"(\w+)"))


def parse_ordinal(text: str, locale: str, *, folded: bool = False) -> int | None:
    """A position named by the message: "the second", "el 2º", "le 2e", "die zweite", "#2"."""
    tokens = (text if folded else fold(text)).split()
    table = lex.ORDINAL_WORDS.get(locale, {})
    english = lex.ORDINAL_WORDS["en"]
    for i, token in enumerate(tokens):
        if token in table:
            return table[token]
        if token in english and token != "second":
            return english[token]
        if token == "second" and locale in ("en", "fr"):
            return 2
        if token.startswith("#") and token[1:].isdigit() and len(token) <= 3:
            return int(token[1:])
        found = _ORDINAL_DIGIT_RE.match(token)
        if found:
            return int(found.group(1))
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in ("number", "numero", "nummer", "nr", "no", "n") and following.isdigit():
            return int(following) if len(following) <= 2 else None
    return None


def parse_yes_no(text: str, locale: str) -> bool | None:
    """True for a yes, False for a no, in the locale or in English; None when it is neither.

    Only short answers count: "yes but in blue" is not a plain yes."""
    folded = fold(text)
    if len(folded.split()) > 5:
        return None
    no = has_phrase(folded, (*lex.NO.get(locale, ()), *lex.NO["en"]))
    yes = has_phrase(folded, (*lex.YES.get(locale, ()), *lex.YES["en"]))
    if no and not yes:
        return False
    if yes and not no:
        return True
    if yes and no:  # "no, yes please" is rare; "ok no" means no
        return folded.rfind(f"{no}") < folded.rfind(f"{yes}")
    return None


def find_email(text: str) -> str | None:
    found = _EMAIL_RE.search(text)
    return found.group(0).rstrip(".") if found else None


def find_phone(text: str, locale: str, sender: str | None = None) -> str | None:
    """An E.164 number (+34612345678) from "+34 612 34 56 78", "0034...", or "612 345 678".

    A local number takes the country of the sender's own number when known, else the locale's."""
    found = _PHONE_RE.search(text)
    if found is None:
        return None
    raw = found.group(0)
    digits = re.sub(r"\D", "", raw)
    if raw.lstrip().startswith("+"):
        return "+" + digits if 8 <= len(digits) <= 15 else None
    if digits.startswith("00"):
        return "+" + digits[2:] if 10 <= len(digits) <= 17 else None
    code = _country_code(sender) or CALLING_CODES.get(locale, "44")
    national = digits[1:] if digits.startswith("0") and code != "34" else digits
    if not 6 <= len(national) <= 12:
        return None
    return f"+{code}{national}"


def _country_code(sender: str | None) -> str | None:
    if not sender:
        return None
    digits = re.sub(r"\D", "", sender)
    return next((c for c in sorted(_KNOWN_CODES, key=len) if digits.startswith(c)), None)


def find_order_ids(text: str, locale: str, *, asked: bool = False) -> list[str]:
    """Order numbers in a message: "ORD-4F2A..." anywhere, and plain digits ("40512") when the
    message talks about an order, or when the assistant has just asked for the number."""
    found = [f"ORD-{m.group(1).upper()}" for m in _ORDER_RE.finditer(text)]
    if found:
        return found
    folded = fold(text)
    talks_of_orders = asked or has_phrase(
        folded, (*lex.ORDER_WORDS.get(locale, ()), *lex.ORDER_WORDS["en"])
    )
    if not talks_of_orders:
        return []
    return [m.group(1) for m in _DIGITS_RE.finditer(text)][:3]
