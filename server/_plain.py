"""Text that any channel can carry: the GSM-7 alphabet of SMS, and replies without chat markup.

Internal to the formatter (which re-exports `is_gsm7`, `sms_segments` and `to_gsm7`).
"""

from __future__ import annotations

import math
import re
import unicodedata

__all__ = [
    "SMS_SEGMENT",
    "is_gsm7",
    "plain",
    "septets",
    "sms_segments",
    "to_gsm7",
    "utf8_bytes",
    "utf16_units",
]

# 3GPP TS 23.038 default alphabet (without the escape code) and its extension table, whose
# characters cost two septets each.
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = frozenset("\f^{}\\[~]|€")
# Look-alikes that NFKD decomposition does not reach; everything else outside GSM-7 is either
# decomposed ("á" -> "a") or dropped (emoji).
_GSM7_LOOKALIKES = {
    **dict.fromkeys("“”„‟«»″", '"'),
    **dict.fromkeys("‘’‚‛‹›′`´", "'"),
    **dict.fromkeys("‐‑‒–—―−•·", "-"),
    **dict.fromkeys("\u00a0\u2007\u2009\u202f\t", " "),
    "…": "...",
    "×": "x",
    "œ": "oe",
    "Œ": "OE",
    "ç": "c",
}

SMS_SEGMENT = 153
"""Septets per part of a concatenated SMS (160 minus the 7 the UDH header takes)."""


def utf16_units(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


def utf8_bytes(value: str) -> int:
    return len(value.encode("utf-8"))


def septets(value: str) -> int:
    return sum(2 if char in _GSM7_EXTENDED else 1 for char in value)


def is_gsm7(value: str) -> bool:
    """True when every character is in the GSM-7 alphabet or its extension table."""
    return all(char in _GSM7_BASIC or char in _GSM7_EXTENDED for char in value)


def sms_segments(value: str) -> int:
    """How many SMS parts the text takes: 160/153 septets in GSM-7, else 70/67 UCS-2 units."""
    if not value:
        return 0
    if is_gsm7(value):
        size, single, part = septets(value), 160, SMS_SEGMENT
    else:
        size, single, part = utf16_units(value), 70, 67
    return 1 if size <= single else math.ceil(size / part)


def to_gsm7(value: str) -> str:
    """The text in GSM-7: look-alikes replaced ("’" -> "'", "á" -> "a"), the rest (emoji) dropped."""
    out: list[str] = []
    for char in value:
        if char in _GSM7_BASIC or char in _GSM7_EXTENDED:
            out.append(char)
        elif char in _GSM7_LOOKALIKES:
            out.append(_GSM7_LOOKALIKES[char])
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in decomposed if c in _GSM7_BASIC))
    joined = re.sub(r" {2,}", " ", "".join(out))
    return "\n".join(line.strip(" ") for line in joined.split("\n")).strip()


_URL_RE = re.compile(r"https?://\S+")
# *bold*, _italic_, ~strike~ around words (never inside one: ana_b@example.com stays whole)
_WRAPPED_RE = re.compile(r"(?<!\w)([*_~])(?=\S)(.+?)(?<=\S)\1(?!\w)")
_TAG_RE = re.compile(r"</?(?:b|i|u|s|em|strong|code|br|p)\s*/?>", re.IGNORECASE)


def plain(value: str) -> str:
    """The text without chat markup: wrappers, stray asterisks and backticks, simple HTML tags;
    URLs are left exactly as they are."""

    def clean(part: str) -> str:
        part = _TAG_RE.sub("", part)
        part = _WRAPPED_RE.sub(r"\2", part)
        return part.replace("*", "").replace("`", "")

    out, last = [], 0
    for match in _URL_RE.finditer(value):
        out += [clean(value[last : match.start()]), match.group(0)]
        last = match.end()
    out.append(clean(value[last:]))
    return "".join(out)
