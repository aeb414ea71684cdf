"""The web pages' strings (`static/i18n.json`, shared with the chat's JavaScript) and their locale.

The chat, the playground and the checkout read the same table, so a page never mixes languages.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["LOCALES", "STATIC_DIR", "TEXTS", "page_locale", "page_text"]

STATIC_DIR = Path(__file__).parent / "static"
LOCALES = ("en", "es", "fr", "de")
TEXTS: dict[str, dict[str, str]] = json.loads((STATIC_DIR / "i18n.json").read_text("utf-8"))
"""The pages' strings, shared with the chat's JavaScript (it fetches the same file)."""


def page_text(locale: str, key: str, **params: object) -> str:
    return TEXTS[locale].get(key, TEXTS["en"][key]).format(**params)


def page_locale(lang: str | None, accept_language: str | None) -> str:
    """`?lang=` when it names one of ours, else the first of ours in Accept-Language, else en."""
    if lang and lang[:2].lower() in LOCALES:
        return lang[:2].lower()
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in LOCALES:
            return code
    return "en"
