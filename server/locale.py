"""Which of the four supported locales a message is answered in, and which hint decided it.

The hints are tried strongest first: the client's explicit locale, the sender's phone number,
the Accept-Language header, then the text itself. Pure functions: the language detector comes in
as a callable so that tests (and the orchestrator) choose it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

import phonenumbers

from engine.contract import LOCALES

__all__ = [
    "DEFAULT_LOCALE",
    "MIN_WORDS_TO_OVERRIDE_PHONE",
    "LocaleSource",
    "UnsupportedLocaleError",
    "locale_from_accept_language",
    "locale_from_phone",
    "normalize_locale",
    "resolve_locale",
]

LocaleSource = Literal["given", "phone", "header", "text", "default"]

DEFAULT_LOCALE = "en"
"""Used only when no hint names a supported locale (e.g. "ok" from an unknown number)."""

MIN_WORDS_TO_OVERRIDE_PHONE = 3
"""Below this, detectors guess ("no", "ok", "iPhone 15"), so the phone's country still wins."""

# Countries whose people would most likely write in one of our locales. Countries with two of our
# languages in common use (CH, BE, LU, CA, CM) are left out on purpose: the phone says nothing.
_REGIONS_BY_LOCALE = {
    "en": "US GB IE AU NZ GG JE IM",
    "es": "ES MX AR CO CL PE VE EC GT CU BO DO HN PY SV NI CR PA UY PR GQ",
    "fr": "FR MC RE GP MQ GF YT PM NC PF SN CI ML BF NE TG BJ GA CG CD GN",
    "de": "DE AT LI",
}
_REGION_LOCALES = {
    region: locale for locale, regions in _REGIONS_BY_LOCALE.items() for region in regions.split()
}

_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")


class UnsupportedLocaleError(ValueError):
    """A client named a locale we do not answer in; never silently replaced by another one."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        supported = ", ".join(LOCALES)
        super().__init__(f"unsupported locale {locale!r}; use one of {supported}")


def _base_language(tag: str) -> str | None:
    """'es-MX' / 'es_mx' / 'ES' -> 'es'; None when the tag is not a language tag at all."""
    tag = tag.strip()
    if not _TAG.fullmatch(tag):
        return None
    return re.split(r"[-_]", tag, maxsplit=1)[0].lower()


def normalize_locale(locale: str) -> str:
    """The supported locale a tag names ("es-MX" -> "es"), or `UnsupportedLocaleError`."""
    base = _base_language(locale)
    if base not in LOCALES:
        raise UnsupportedLocaleError(locale)
    return base


def _supported(tag: str) -> str | None:
    base = _base_language(tag)
    return base if base in LOCALES else None


def locale_from_phone(phone: str) -> str | None:
    """The locale the number's country suggests, or None (unparsable, ambiguous, elsewhere).

    Accepts E.164 ("+34600..."), channel prefixes ("whatsapp:+34...") and WhatsApp ids, which are
    international digits without the plus ("34600...").
    """
    number = phone.strip()
    for prefix in ("whatsapp:", "tel:", "sms:"):
        if number.lower().startswith(prefix):
            number = number[len(prefix) :].strip()
    if number.startswith("00"):
        number = "+" + number[2:]
    elif number[:1].isdigit():
        number = "+" + number
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(parsed)
    if region is None:
        # An unassigned range names no region; its calling code still decides when every country
        # sharing it speaks the same locale (+44: GB, GG, IM, JE), and +1 does not.
        shared = phonenumbers.region_codes_for_country_code(parsed.country_code or 0)
        locales = {_REGION_LOCALES.get(code) for code in shared}
        return locales.pop() if len(locales) == 1 else None
    return _REGION_LOCALES.get(region)


def locale_from_accept_language(header: str) -> str | None:
    """The first supported locale in an Accept-Language header, honouring q-values."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0 and (locale := _supported(tag)):
            ranked.append((-quality, position, locale))
    return min(ranked)[2] if ranked else None


def _detected(text: str, detect: Callable[[str], list[str]]) -> str | None:
    """The detector's first supported guess."""
    for tag in detect(text):
        if locale := _supported(tag):
            return locale
    return None


def _clearly_in(text: str, detect: Callable[[str], list[str]]) -> str | None:
    """The detector's top guess, if the text is long enough to trust it and it is supported."""
    if len(text.split()) < MIN_WORDS_TO_OVERRIDE_PHONE:
        return None
    guesses = detect(text)
    return _supported(guesses[0]) if guesses else None


def resolve_locale(
    explicit: str | None,
    phone: str | None,
    accept_language: str | None,
    text: str,
    detect: Callable[[str], list[str]],
) -> tuple[str, LocaleSource]:
    """The locale to answer in and which hint gave it: "given", "phone", "header" or "text".

    An explicit locale is normalized ("es-MX" -> "es") and must be supported: otherwise
    `UnsupportedLocaleError`, because the client asked for something we cannot honour.

    A phone number is a hint, not a guarantee: a Spanish number may belong to a tourist writing
    in English. So when the text is clearly in another supported locale (the detector's top
    guess is supported, differs and the text has at least `MIN_WORDS_TO_OVERRIDE_PHONE` words), the
    text wins over the phone. Shorter texts keep the phone's locale: detectors guess on "ok".
    Accept-Language is set by the shopper's own browser, so it is not second-guessed.

    When no hint names a supported locale, the answer is `DEFAULT_LOCALE` with "default".
    """
    if explicit is not None and explicit.strip():
        return normalize_locale(explicit), "given"
    if phone and (by_phone := locale_from_phone(phone)):
        by_text = _clearly_in(text, detect)
        if by_text is not None and by_text != by_phone:
            return by_text, "text"
        return by_phone, "phone"
    if accept_language and (by_header := locale_from_accept_language(accept_language)):
        return by_header, "header"
    if by_text := _detected(text, detect):
        return by_text, "text"
    return DEFAULT_LOCALE, "default"
