"""Checking and normalizing recipients before anything is stored or sent."""

from __future__ import annotations

import re

import phonenumbers

from .errors import InvalidRecipientError

__all__ = ["normalize_email", "normalize_phone"]

# Deliberately plain: ASCII dot-atom local part, a domain of at least two labels. Mail servers
# accept more, but an address outside this shape typed into a shop is almost always a typo.
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def normalize_email(raw: str) -> str:
    """The address with its domain lower-cased, or `InvalidRecipientError`."""
    address = raw.strip()
    if len(address) > 254 or not _EMAIL.match(address):
        raise InvalidRecipientError(
            f"{raw!r} is not a valid e-mail address; give one like ana@example.com",
            kind="email",
            recipient=raw,
        )
    local, domain = address.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def normalize_phone(raw: str) -> str:
    """The number in E.164 (`+34600111222`), or `InvalidRecipientError`."""
    hint = "give it in international form with its country code, e.g. +34600111222"
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException:
        raise InvalidRecipientError(
            f"{raw!r} is not a phone number; {hint}", kind="phone", recipient=raw
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidRecipientError(
            f"{raw!r} is not a valid phone number; {hint}", kind="phone", recipient=raw
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
