from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from mcp_servers.notifications import LOCALES, render
from mcp_servers.notifications.models import TemplateMessage

_ITEMS = [
    {"name": "T-shirt", "quantity": 2, "unit_price": 1250},
    {"name": "Mug", "quantity": 1, "unit_price": 999},
]
_TEMPLATES = {
    "payment_link": {"url": "https://shop.example/pay/abc123", "items": _ITEMS, "total": 3499},
    "order_confirmation": {"order_id": "A-1042", "items": _ITEMS, "total": 3499},
}
# What each locale calls the total, and how it writes 34.99 euros.
_LOCALIZED = {
    "en": ("Total", "€34.99"),
    "es": ("Total", "34,99"),
    "fr": ("Total", "34,99"),
    "de": ("Gesamt", "34,99"),
}


def _message(name: str, locale: str, **extra: object) -> TemplateMessage:
    params = {**_TEMPLATES[name], **extra}
    return TypeAdapter(TemplateMessage).validate_python(
        {"name": name, "locale": locale, "params": params}
    )


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", sorted(_TEMPLATES))
def test_each_template_renders_in_each_locale(name: str, locale: str) -> None:
    rendered = render(_message(name, locale), default_currency="EUR")

    total_word, total = _LOCALIZED[locale]
    assert f"{total_word}" in rendered.text and total in rendered.text
    assert "2 × T-shirt" in rendered.text and "1 × Mug" in rendered.text
    assert "{" not in rendered.text + rendered.subject, "an unfilled placeholder"
    if name == "payment_link":
        assert "https://shop.example/pay/abc123" in rendered.text
        assert total in rendered.subject
    else:
        assert "A-1042" in rendered.subject and "A-1042" in rendered.text


def test_locales_differ_in_wording() -> None:
    texts = {render(_message("payment_link", loc), default_currency="EUR").text for loc in LOCALES}

    assert len(texts) == len(LOCALES)


def test_line_amount_is_quantity_times_unit_price() -> None:
    rendered = render(_message("order_confirmation", "en"), default_currency="EUR")

    assert "2 × T-shirt: €25.00" in rendered.text


def test_customer_name_opens_the_message_in_the_locale() -> None:
    rendered = render(_message("payment_link", "es", customer_name="Ana"), default_currency="EUR")

    assert rendered.text.startswith("Hola, Ana:\n\n")


def test_message_without_currency_uses_the_shops_default() -> None:
    rendered = render(_message("payment_link", "en"), default_currency="USD")

    assert "$34.99" in rendered.text


def test_params_currency_wins_over_the_default() -> None:
    message = _message("payment_link", "en", currency="GBP")

    assert "£34.99" in render(message, default_currency="USD").text
    assert message.params.total == 3499  # minor units, as everywhere
