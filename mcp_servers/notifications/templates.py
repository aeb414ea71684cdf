"""Localized texts of the messages the shop sends, rendered to a subject and a plain-text body.

The catalogs are data: one dict of `str.format` strings per locale, checked at import to hold the
same keys with the same placeholders, so a missing translation fails when the server starts, not
when a shopper is waiting. Amounts are formatted by Babel for the locale (`€37.50`, `37,50 €`).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from decimal import Decimal
from typing import get_args

from babel.numbers import format_currency, get_currency_precision

from .models import (
    LineItem,
    Locale,
    OrderConfirmationMessage,
    PaymentLinkMessage,
)

__all__ = ["LOCALES", "Rendered", "render"]

LOCALES: tuple[Locale, ...] = get_args(Locale)

_CATALOGS: dict[Locale, dict[str, str]] = {
    "en": {
        "greeting": "Hi {name},",
        "line": "{quantity} × {name}: {amount}",
        "total": "Total: {total}",
        "payment_link.subject": "Your basket: {total}",
        "payment_link.intro": "Here is your basket:",
        "payment_link.action": "Pay securely here: {url}",
        "order_confirmation.subject": "Order {order_id} confirmed",
        "order_confirmation.intro": "Thank you! Your order {order_id} is confirmed:",
        "order_confirmation.outro": "We will let you know when it ships.",
    },
    "es": {
        "greeting": "Hola, {name}:",
        "line": "{quantity} × {name}: {amount}",
        "total": "Total: {total}",
        "payment_link.subject": "Tu cesta: {total}",
        "payment_link.intro": "Este es el resumen de tu cesta:",
        "payment_link.action": "Paga de forma segura aquí: {url}",
        "order_confirmation.subject": "Pedido {order_id} confirmado",
        "order_confirmation.intro": "¡Gracias! Tu pedido {order_id} está confirmado:",
        "order_confirmation.outro": "Te avisaremos cuando salga.",
    },
    "fr": {
        "greeting": "Bonjour {name},",
        "line": "{quantity} × {name} : {amount}",
        "total": "Total : {total}",
        "payment_link.subject": "Votre panier : {total}",
        "payment_link.intro": "Voici le récapitulatif de votre panier :",
        "payment_link.action": "Payez en toute sécurité ici : {url}",
        "order_confirmation.subject": "Commande {order_id} confirmée",
        "order_confirmation.intro": "Merci ! Votre commande {order_id} est confirmée :",
        "order_confirmation.outro": "Nous vous préviendrons dès son expédition.",
    },
    "de": {
        "greeting": "Hallo {name},",
        "line": "{quantity} × {name}: {amount}",
        "total": "Gesamt: {total}",
        "payment_link.subject": "Ihr Warenkorb: {total}",
        "payment_link.intro": "Hier ist Ihr Warenkorb:",
        "payment_link.action": "Hier sicher bezahlen: {url}",
        "order_confirmation.subject": "Bestellung {order_id} bestätigt",
        "order_confirmation.intro": "Vielen Dank! Ihre Bestellung {order_id} ist bestätigt:",
        "order_confirmation.outro": "Wir melden uns, sobald sie versandt wird.",
    },
}


def _placeholders(text: str) -> frozenset[str]:
    return frozenset(field for _, field, _, _ in string.Formatter().parse(text) if field)


def _check_catalogs() -> None:
    reference = _CATALOGS["en"]
    for locale in LOCALES:
        catalog = _CATALOGS[locale]
        missing = reference.keys() - catalog.keys()
        extra = catalog.keys() - reference.keys()
        if missing or extra:
            raise RuntimeError(
                f"catalog {locale!r} is out of step with 'en': missing {sorted(missing)}, "
                f"unknown {sorted(extra)}; add or remove them in {__name__}"
            )
        for key, text in catalog.items():
            ours, theirs = _placeholders(text), _placeholders(reference[key])
            if ours != theirs:
                raise RuntimeError(
                    f"catalog {locale!r} key {key!r} uses placeholders {sorted(ours)}, 'en' uses "
                    f"{sorted(theirs)}; make them the same"
                )


_check_catalogs()


@dataclass(frozen=True, slots=True)
class Rendered:
    """A message ready to send: the subject is used by e-mail only."""

    subject: str
    text: str


def render(
    message: PaymentLinkMessage | OrderConfirmationMessage, *, default_currency: str
) -> Rendered:
    """Render a template message in its locale; `default_currency` serves when params name none."""
    texts = _CATALOGS[message.locale]
    params = message.params
    currency = params.currency or default_currency

    digits = get_currency_precision(currency)

    def money(minor: int) -> str:
        return format_currency(Decimal(minor).scaleb(-digits), currency, locale=message.locale)

    def line(item: LineItem) -> str:
        amount = money(item.unit_price * item.quantity)
        return "- " + texts["line"].format(quantity=item.quantity, name=item.name, amount=amount)

    total = money(params.total)
    head = [texts["greeting"].format(name=params.customer_name), ""] if params.customer_name else []
    summary = [*(line(item) for item in params.items), texts["total"].format(total=total)]
    if isinstance(message, PaymentLinkMessage):
        subject = texts["payment_link.subject"].format(total=total)
        lines = [
            *head,
            texts["payment_link.intro"],
            *summary,
            "",
            texts["payment_link.action"].format(url=message.params.url),
        ]
    else:
        order_id = message.params.order_id
        subject = texts["order_confirmation.subject"].format(order_id=order_id)
        lines = [
            *head,
            texts["order_confirmation.intro"].format(order_id=order_id),
            *summary,
            "",
            texts["order_confirmation.outro"],
        ]
    return Rendered(subject=subject, text="\n".join(lines))
