"""One folding for messages, names and word tables, so they compare equal."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold"]

_NOT_WORD = re.compile(r"[^\w+#]+")


def fold(text: str) -> str:
    """Lower case, accents and ß folded ("Größe" -> "grosse"), punctuation as single spaces."""
    lowered = text.lower()
    if lowered.isascii():
        plain = lowered
    else:
        decomposed = unicodedata.normalize("NFKD", lowered.replace("ß", "ss"))
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", plain).split())
