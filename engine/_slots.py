"""Turn the words a slot captured into its typed value (numbers, ordinals, money)."""

from __future__ import annotations

import re

from engine._compile import CompiledLocale

__all__ = ["MINOR_UNITS", "parse_amount", "slot_value"]

# ISO 4217 minor units for the currencies a shop is likely to name; the rest have 2.
MINOR_UNITS = {"JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "HUF": 2, "KWD": 3, "BHD": 3, "TND": 3}

_ORDINAL_DIGITS = re.compile(r"(\d{1,3})")


def parse_amount(number: str, currency: str) -> int:
    """'1.299,99' or '1,299.99' or '500' to minor units of `currency`.

    With both separators the last one is the decimal mark; with one separator it is a decimal mark
    when one or two digits follow it, and a thousands separator when three follow.
    """
    digits = MINOR_UNITS.get(currency, 2)
    last_dot, last_comma = number.rfind("."), number.rfind(",")
    decimal_at = max(last_dot, last_comma)
    if decimal_at >= 0 and (
        (last_dot >= 0 and last_comma >= 0) or len(number) - decimal_at - 1 in (1, 2)
    ):
        whole = re.sub(r"[.,]", "", number[:decimal_at])
        fraction = number[decimal_at + 1 :]
    else:
        whole, fraction = re.sub(r"[.,]", "", number), ""
    fraction = (fraction + "0" * digits)[:digits]
    return int(whole or "0") * 10**digits + (int(fraction) if fraction else 0)


def slot_value(
    compiled: CompiledLocale, type_: str, words: list[str], default_currency: str
) -> object | None:
    """The value of a slot from its normalized words, or None when they don't make one."""
    joined = " ".join(words)
    if type_ == "number":
        first = words[0].rstrip(".")
        if first.isdigit():
            return int(first)
        return compiled.parse_list_value("number", joined)
    if type_ == "ordinal":
        value = compiled.parse_list_value("ordinal", joined)
        if value is not None:
            return value
        m = _ORDINAL_DIGITS.match(words[0])
        return int(m.group(1)) if m else None
    if type_ == "money":
        currency = default_currency
        number = ""
        i = 0
        while i < len(words):
            w = words[i]
            if w[0].isdigit():
                number = w
                i += 1
                continue
            # a currency may be several words ("dolares americanos"): try the longest first
            for j in range(len(words), i, -1):
                code = compiled.parse_list_value("currency", " ".join(words[i:j]))
                if code is not None:
                    currency = str(code)
                    i = j
                    break
            else:
                i += 1
        if not number:
            return None
        return {"amount": parse_amount(number, currency), "currency": currency}
    if type_ in ("email", "phone", "text"):
        return joined
    return compiled.parse_list_value(type_, joined)
