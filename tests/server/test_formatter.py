"""server/formatter.py: money and dates per locale, GSM-7, and each channel's shape and limits."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from engine.contract import LOCALES
from server.formatter import (
    ReplyFormatError,
    for_channel,
    format_date,
    format_money,
    format_number,
    format_reply,
    is_gsm7,
    sms_segments,
    to_gsm7,
)
from server.locale import UnsupportedLocaleError
from server.texts import KEYS, placeholders, text
from server.types import CLIENT_TYPES, ClientType

NBSP, NNBSP = "\u00a0", "\u202f"
RICH: tuple[ClientType, ...] = ("web-storefront", "mobile")
LIMITS: dict[str, tuple[int, Any]] = {
    "whatsapp": (4096, lambda s: len(s.encode("utf-16-le")) // 2),
    "instagram": (1000, lambda s: len(s.encode("utf-8"))),
}
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf]")


def summary(number: int, **overrides: Any) -> dict[str, Any]:
    item = {
        "id": f"p{number}",
        "sku": f"SKU-{number}",
        "name": f"Zapatilla Élite {number}",
        "brand": "acme",
        "category": "shoes",
        "price": 12_999 + number,
        "currency": "EUR",
        "in_stock": True,
        "colors": ["red"],
        "sizes": ["42"],
        "score": 1.0,
    }
    return item | overrides


def search(count: int, total: int | None = None, **extra: Any) -> dict[str, Any]:
    items = [summary(n) for n in range(1, count + 1)]
    return {
        "items": items,
        "total": count if total is None else total,
        "page": 1,
        "page_size": count,
    } | extra


PRODUCT: dict[str, Any] = {
    "id": "p1",
    "sku": "APL-IP15",
    "name": "iPhone 15",
    "description": "A phone with a very good camera.",
    "brand": "apple",
    "category": "phones",
    "price": 95_900,
    "currency": "EUR",
    "stock": 3,
    "colors": ["black", "blue", "pink"],
    "sizes": [],
}

BASKET: dict[str, Any] = {
    "basket_id": "b1",
    "currency": "EUR",
    "lines": [
        {
            "product_id": "p1",
            "sku": "A",
            "name": "iPhone 15",
            "quantity": 1,
            "unit_price": 95_900,
            "line_total": 95_900,
        },
        {
            "product_id": "p2",
            "sku": "B",
            "name": "Funda “Pro”",
            "quantity": 2,
            "unit_price": 1_999,
            "line_total": 3_998,
        },
    ],
    "total": 99_898,
    "item_count": 3,
}

LINK: dict[str, Any] = {
    "basket_id": "b1",
    "url": "https://pay.example.com/l/AbC123",
    "amount": 99_898,
    "currency": "EUR",
    "expires_at": 1_900_000_000,
}

# Babel-backed values


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        pytest.param("en", "€1,299.99", id="en"),
        pytest.param("es", f"1.299,99{NBSP}€", id="es"),
        pytest.param("de", f"1.299,99{NBSP}€", id="de"),
        pytest.param("fr", f"1{NNBSP}299,99{NBSP}€", id="fr"),
    ],
)
def test_money_is_written_the_way_each_locale_writes_it(locale: str, expected: str) -> None:
    assert format_money(129_999, "EUR", locale) == expected


def test_money_uses_the_currencys_own_minor_unit() -> None:
    assert format_money(1299, "JPY", "en") == "¥1,299"
    assert format_money(1299, "USD", "en") == "$12.99"


def test_money_accepts_a_regional_locale() -> None:
    assert format_money(500, "EUR", "es-MX") == format_money(500, "EUR", "es")


def test_money_in_an_unsupported_locale_is_an_error() -> None:
    with pytest.raises(UnsupportedLocaleError):
        format_money(500, "EUR", "pt")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "12,345.5"), ("es", "12.345,5"), ("de", "12.345,5"), ("fr", f"12{NNBSP}345,5")],
)
def test_numbers_are_grouped_per_locale(locale: str, expected: str) -> None:
    assert format_number(12_345.5, locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "Mar 5, 2024"), ("es", "5 mar 2024"), ("de", "05.03.2024"), ("fr", "5 mars 2024")],
)
def test_dates_are_written_per_locale(locale: str, expected: str) -> None:
    assert format_date(date(2024, 3, 5), locale) == expected


def test_a_date_format_can_be_chosen() -> None:
    assert format_date(date(2024, 3, 5), "es", format="long") == "5 de marzo de 2024"


# GSM-7


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("¿Tienes zapatillas? ¡Hola! Ñoño, Über, café, à", True, id="gsm7-accents"),
        pytest.param("Price: 12,99 € [x] {y} ~ ^ | \\", True, id="extension-table"),
        pytest.param("canción", False, id="o-acute"),
        pytest.param("Ça coûte", False, id="circumflex"),
        pytest.param("Done ✅", False, id="emoji"),
        pytest.param("“quoted”", False, id="curly-quotes"),
        pytest.param("", True, id="empty"),
    ],
)
def test_gsm7_detection(value: str, expected: bool) -> None:
    assert is_gsm7(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("canción", "cancion", id="accent-dropped"),
        pytest.param("Ça coûte 5 €", "Ça coute 5 €", id="kept-where-gsm7-has-it"),
        pytest.param("“Pro” ‘case’ «x» „y“", '"Pro" \'case\' "x" "y"', id="quotes"),
        pytest.param("2 × iPhone — 5…", "2 x iPhone - 5...", id="symbols"),
        pytest.param("Done! ✅", "Done!", id="trailing-emoji"),
        pytest.param("Hi! 👋 I'm here", "Hi! I'm here", id="inner-emoji-leaves-one-space"),
        pytest.param("a 👍🏽 b ❤️ c", "a b c", id="modifiers-and-variation-selectors"),
        pytest.param(f"1{NNBSP}299,99{NBSP}€", "1 299,99 €", id="babel-spaces"),
        pytest.param("œuvre", "oeuvre", id="ligature"),
    ],
)
def test_text_is_brought_into_gsm7_with_close_equivalents(value: str, expected: str) -> None:
    converted = to_gsm7(value)
    assert converted == expected
    assert is_gsm7(converted)


@pytest.mark.parametrize(
    ("value", "segments"),
    [
        pytest.param("", 0, id="empty"),
        pytest.param("a" * 160, 1, id="gsm7-160-fits-one"),
        pytest.param("a" * 161, 2, id="gsm7-161-needs-two"),
        pytest.param("a" * 306, 2, id="gsm7-306-fits-two"),
        pytest.param("a" * 307, 3, id="gsm7-307-needs-three"),
        pytest.param("€" * 80, 1, id="extension-chars-count-twice"),
        pytest.param("€" * 81, 2, id="extension-chars-overflow"),
        pytest.param("ó" * 70, 1, id="ucs2-70-fits-one"),
        pytest.param("ó" * 71, 2, id="ucs2-71-needs-two"),
        pytest.param("ó" * 134, 2, id="ucs2-134-fits-two"),
        pytest.param("😀" * 35, 1, id="emoji-take-two-units"),
        pytest.param("😀" * 36, 2, id="emoji-overflow"),
    ],
)
def test_sms_segments_follow_the_gsm7_and_ucs2_sizes(value: str, segments: int) -> None:
    assert sms_segments(value) == segments


# one reply per kind


def test_a_search_on_whatsapp_is_a_numbered_list_with_bold_names_and_prices() -> None:
    items = [summary(1), summary(2, in_stock=False)]
    reply = format_reply("products", "es", "whatsapp", {"items": items, "total": 2})
    assert reply == (
        "Esto es lo que he encontrado (2):\n"
        f"1. *Zapatilla Élite 1* — 130,00{NBSP}€\n"
        f"2. *Zapatilla Élite 2* — 130,01{NBSP}€ (agotado)"
    )


def test_a_name_with_asterisks_cannot_break_whatsapps_bold() -> None:
    reply = format_reply("products", "en", "whatsapp", {"items": [summary(1, name="*Star* Mug")]})
    assert "1. *Star Mug* —" in reply


def test_a_search_on_instagram_has_no_markup() -> None:
    reply = format_reply("products", "en", "instagram", search(2))
    assert "*" not in reply
    assert "1. Zapatilla Élite 1 — €130.00" in reply


def test_a_page_of_results_says_how_many_more_exist() -> None:
    reply = format_reply("products", "en", "whatsapp", search(3, total=10))
    assert reply.startswith("Here's what I found (10):")
    assert reply.endswith("\n+7 more")


def test_admin_listings_take_their_own_heading() -> None:
    reply = format_reply("products", "fr", "whatsapp", search(1, heading="products_listed"))
    assert reply.startswith("Produits du catalogue (1) :")


def test_an_empty_search_names_the_query() -> None:
    reply = format_reply("products", "fr", "whatsapp", search(0, query="casque rose"))
    assert reply == text("no_results", "fr", query="casque rose")


def test_an_empty_search_without_a_query_still_answers() -> None:
    assert format_reply("products", "de", "sms", search(0)) == to_gsm7(text("no_matches", "de"))


@pytest.mark.parametrize("client_type", RICH)
def test_rich_clients_get_one_sentence_and_the_list_stays_in_the_data(
    client_type: ClientType,
) -> None:
    reply = format_reply("products", "en", client_type, search(5))
    assert reply == "Here's what I found (5)."


@pytest.mark.parametrize(
    ("attribute", "expected"),
    [
        pytest.param("price", "*iPhone 15* is €959.00.", id="price"),
        pytest.param("stock", "Good news: we have 3 in stock.", id="stock"),
        pytest.param("colors", "*iPhone 15* comes in black, blue, and pink.", id="colors"),
        pytest.param("sizes", "*iPhone 15* comes in one size.", id="no-sizes"),
        pytest.param(
            "description", "*iPhone 15*: A phone with a very good camera.", id="description"
        ),
        pytest.param("specs", "*iPhone 15*: A phone with a very good camera.", id="specs"),
        pytest.param(
            "shipping",
            "We deliver *iPhone 15* to your door; you'll see the delivery options and costs at checkout.",
            id="shipping",
        ),
    ],
)
def test_a_product_question_is_answered_about_the_attribute_asked(
    attribute: str, expected: str
) -> None:
    assert format_reply("product", "en", "whatsapp", PRODUCT | {"attribute": attribute}) == expected


def test_a_product_out_of_stock_says_so() -> None:
    reply = format_reply("product", "es", "whatsapp", PRODUCT | {"stock": 0, "attribute": "stock"})
    assert reply == "Lo siento, ahora mismo está agotado."


def test_product_colors_are_joined_as_the_locale_joins_lists() -> None:
    reply = format_reply("product", "es", "instagram", PRODUCT | {"attribute": "colors"})
    assert reply == "iPhone 15 está disponible en negro, azul y rosa."


def test_a_product_without_an_attribute_gets_an_overview() -> None:
    reply = format_reply("product", "de", "whatsapp", PRODUCT)
    assert reply == (
        f"*iPhone 15* kostet 959,00{NBSP}€. Gute Nachricht: Wir haben noch 3 auf Lager.\n"
        "A phone with a very good camera."
    )


@pytest.mark.parametrize("client_type", RICH)
def test_a_product_overview_on_a_rich_client_leaves_the_description_to_the_data(
    client_type: ClientType,
) -> None:
    reply = format_reply("product", "en", client_type, PRODUCT)
    assert reply == "iPhone 15 is €959.00. Good news: we have 3 in stock."


def test_an_unknown_product_attribute_is_a_programming_error() -> None:
    with pytest.raises(ReplyFormatError, match="unknown product attribute 'weight'"):
        format_reply("product", "en", "whatsapp", PRODUCT | {"attribute": "weight"})


def test_a_basket_lists_lines_and_ends_with_the_total() -> None:
    reply = format_reply("basket", "en", "whatsapp", BASKET)
    assert reply == (
        "Here's your basket:\n"
        "1. 1 × *iPhone 15* — €959.00\n"
        "2. 2 × *Funda “Pro”* — €39.98\n"
        "Your basket comes to €998.98."
    )


def test_a_basket_by_sms_is_plain_gsm7() -> None:
    reply = format_reply("basket", "fr", "sms", BASKET)
    assert reply == (
        "Voici votre panier :\n"
        "1. 1 x iPhone 15 - 959,00 €\n"
        '2. 2 x Funda "Pro" - 39,98 €\n'
        "Le total de votre panier est de 998,98 €."
    )


def test_an_empty_basket_invites_the_shopper_to_look_around() -> None:
    empty = BASKET | {"lines": [], "total": 0, "currency": None, "item_count": 0}
    assert format_reply("basket", "en", "whatsapp", empty) == text("basket_empty", "en")


@pytest.mark.parametrize("client_type", RICH)
def test_a_basket_on_a_rich_client_is_just_its_total(client_type: ClientType) -> None:
    assert format_reply("basket", "es", client_type, BASKET) == (
        f"El total de tu carrito es 998,98{NBSP}€."
    )


def test_a_payment_link_carries_the_url_and_the_amount() -> None:
    reply = format_reply("payment_link", "en", "whatsapp", LINK)
    assert reply == (
        "Your payment link for €998.98 is ready. 💳\n"
        "Here's your secure payment link: https://pay.example.com/l/AbC123"
    )


@pytest.mark.parametrize("client_type", RICH)
def test_a_payment_link_on_a_rich_client_leaves_the_url_to_the_data(
    client_type: ClientType,
) -> None:
    reply = format_reply("payment_link", "en", client_type, LINK)
    assert reply == "Your payment link for €998.98 is ready. 💳"


def test_a_long_payment_url_by_sms_drops_the_words_around_it_but_never_the_url() -> None:
    url = "https://pay.example.com/l/" + "x" * 200
    reply = format_reply("payment_link", "es", "sms", LINK | {"url": url})
    assert reply == f"Aqui tienes tu enlace de pago seguro: {url}"


def test_a_payment_url_longer_than_two_sms_segments_is_still_sent_whole() -> None:
    huge = "https://pay.example.com/l/" + "y" * 300
    assert format_reply("payment_link", "es", "sms", LINK | {"url": huge}) == huge


def test_a_sent_payment_link_names_the_channel_in_the_locale() -> None:
    sent = LINK | {"channel": "email", "address": "ana@example.com"}
    reply = format_reply("payment_link", "de", "whatsapp", sent)
    assert reply == "Ich hab dir den Zahlungslink per E-Mail an ana@example.com geschickt. 📩"


def test_an_answer_and_a_text_are_passed_through() -> None:
    answer = {"topic": "returns", "locale": "en", "text": "You have 30 days to return an item."}
    assert format_reply("answer", "en", "whatsapp", answer) == answer["text"]
    assert format_reply("text", "en", "mobile", {"text": "Hi!"}) == "Hi!"


# channel limits


def long_text(words: int) -> str:
    return " ".join(f"palabra{n % 10}" for n in range(words))


@pytest.mark.parametrize("client_type", ["whatsapp", "instagram"])
def test_a_long_list_keeps_whole_lines_within_the_channel_limit(client_type: str) -> None:
    limit, measure = LIMITS[client_type]
    reply = format_reply("products", "es", client_type, search(200))  # type: ignore[arg-type]
    assert measure(reply) <= limit
    lines = reply.split("\n")
    shown = len(lines) - 2
    assert lines[-1] == f"+{200 - shown} más"
    assert all(
        re.fullmatch(rf"{n}\. .+ — 13\d,\d\d{NBSP}€", line) for n, line in enumerate(lines[1:-1], 1)
    )


def test_instagram_counts_bytes_so_accents_and_emoji_cost_more() -> None:
    reply = format_reply("text", "es", "instagram", {"text": "ñ😀 " * 400})
    assert len(reply.encode("utf-8")) <= 1000
    assert len(reply) < 500  # 7 bytes per 3 characters


@pytest.mark.parametrize("client_type", CLIENT_TYPES)
def test_a_long_text_is_cut_between_words_and_says_more_exists(client_type: ClientType) -> None:
    original = long_text(2000)
    reply = format_reply("text", "es", client_type, {"text": original})
    ellipsis = "..." if client_type == "sms" else "…"
    assert reply.endswith(ellipsis)
    kept = reply.removesuffix(ellipsis)
    assert original.startswith(kept) and original[len(kept)] == " "


def test_a_single_word_longer_than_the_limit_is_replaced_by_an_ellipsis_not_cut() -> None:
    assert format_reply("text", "en", "sms", {"text": "x" * 400}) == "..."


def test_an_sms_search_stays_within_two_segments_and_counts_what_it_left_out() -> None:
    reply = format_reply("products", "es", "sms", search(30))
    assert is_gsm7(reply)
    assert sms_segments(reply) <= 2
    assert "*" not in reply and not EMOJI.search(reply)
    lines = reply.split("\n")
    assert lines[-1] == f"+{30 - (len(lines) - 2)} mas"
    assert len(lines) > 3


def test_an_sms_counts_the_euro_sign_as_two_septets() -> None:
    reply = format_reply("text", "en", "sms", {"text": "€ " * 200})
    assert sms_segments(reply) <= 2
    assert reply.endswith("...")


@pytest.mark.parametrize("locale", LOCALES)
def test_every_sms_text_is_gsm7_without_emoji(locale: str) -> None:
    for key in ("greet", "added", "service_unavailable", "rate_limited", "help_shopper"):
        sentence = text(key, locale, quantity=2, name="Café Ñoño", seconds=30)
        reply = format_reply("text", locale, "sms", {"text": sentence})
        assert is_gsm7(reply) and "  " not in reply, reply


@pytest.mark.parametrize("client_type", RICH)
def test_rich_clients_get_short_text(client_type: ClientType) -> None:
    reply = format_reply("answer", "en", client_type, {"text": long_text(500)})
    assert len(reply) <= 320


# mistakes by the caller


def test_an_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(
        ReplyFormatError, match="unknown reply kind 'carousel'; use one of text, products"
    ):
        format_reply("carousel", "en", "whatsapp", {})


def test_an_unknown_client_type_names_the_known_ones() -> None:
    with pytest.raises(
        ReplyFormatError, match="unknown client type 'telegram'; use one of whatsapp"
    ):
        format_reply("text", "en", "telegram", {"text": "hi"})  # type: ignore[arg-type]


def test_missing_data_names_the_field_and_the_kind() -> None:
    with pytest.raises(ReplyFormatError, match="reply kind 'basket' needs 'lines'"):
        format_reply("basket", "en", "whatsapp", {"total": 0})


def test_an_unsupported_locale_is_an_error() -> None:
    with pytest.raises(UnsupportedLocaleError):
        format_reply("text", "it", "whatsapp", {"text": "ciao"})


def test_pydantic_models_can_stand_in_for_their_dumps() -> None:
    from mcp_servers.ecommerce_storefront.models import ProductSummary

    model = ProductSummary.model_validate(summary(1))
    assert format_reply("products", "en", "whatsapp", {"items": [model], "total": 1}) == (
        format_reply("products", "en", "whatsapp", {"items": [summary(1)], "total": 1})
    )


def test_a_word_running_past_the_limit_is_not_cut_even_where_it_ends_in_dots() -> None:
    reply = format_reply("text", "en", "sms", {"text": "ok " + "a" * 300 + "...." + "bbb"})
    assert reply == "ok..."


def test_a_very_long_text_is_cut_quickly() -> None:
    reply = format_reply("text", "en", "whatsapp", {"text": "wörd " * 200_000})
    assert reply.endswith("wörd…") and len(reply) <= 4096


# admin results and whole replies per channel


# the admin server's ProductList: names per language and the stock, not in_stock
ADMIN_LIST: dict[str, Any] = {
    "items": [
        {
            "id": "7",
            "sku": "MUG-BLUE",
            "name": {"en": "Blue Mug", "es": "Taza azul"},
            "price": 1250,
            "currency": "EUR",
            "stock": 4,
        },
        {
            "id": "8",
            "sku": "MUG-RED",
            "name": {"fr": "Tasse rouge"},
            "price": 1300,
            "currency": "EUR",
            "stock": 0,
        },
    ],
    "total": 2,
    "heading": "products_listed",
}


@pytest.mark.parametrize("client", CLIENT_TYPES)
def test_an_admin_list_with_names_per_language_is_shown_in_the_admins_language(
    client: ClientType,
) -> None:
    """Admin tools give names as {locale: name}; WhatsApp used to crash on them."""
    reply = format_reply("products", "es", client, ADMIN_LIST)
    if client in RICH:
        assert reply == "Productos del catálogo (2)."
    else:
        assert "Taza azul" in reply and "{" not in reply
        assert re.search(r"Tasse rouge\W.*\(agotado\)", reply)


def test_an_admin_list_on_whatsapp_bolds_the_localized_name() -> None:
    reply = format_reply("products", "en", "whatsapp", ADMIN_LIST)
    assert "1. *Blue Mug* — €12.50" in reply


@pytest.mark.parametrize("locale", LOCALES)
def test_colors_are_named_in_the_shoppers_language(locale: str) -> None:
    reply = format_reply("product", locale, "whatsapp", PRODUCT | {"attribute": "colors"})
    words = {"en": "black", "es": "negro", "fr": "noir", "de": "schwarz"}
    assert words[locale] in reply
    if locale != "en":
        assert "black" not in reply and "pink" not in reply


def _every_sentence() -> list[str]:
    """Each text in each locale, with values that carry markup and emoji of their own."""
    values = {"name": "*Blue Mug* 🍵", "url": "https://shop.example/checkout/a_b*c_"}
    return [
        text(key, locale, **{p: values.get(p, "3") for p in placeholders(key)})
        for key in KEYS
        for locale in LOCALES
    ]


def test_every_sms_reply_is_plain_gsm7_without_emoji_or_markup() -> None:
    sentences = _every_sentence()
    replies = sentences + ["\n\n".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    replies += [
        format_reply("products", "de", "whatsapp", search(4)),
        format_reply("basket", "fr", "whatsapp", BASKET),
        format_reply("products", "es", "whatsapp", ADMIN_LIST),
    ]
    for reply in replies:
        sms = for_channel(reply, "sms")
        assert is_gsm7(sms), sms
        assert not EMOJI.search(sms), sms
        assert "*" not in sms.replace("a_b*c_", ""), sms  # only the URL keeps its characters


def test_an_sms_keeps_urls_and_addresses_whole() -> None:
    reply = "Sent to ana_b@example.com: *link* https://shop.example/checkout/x_y*z_ ✅"
    assert for_channel(reply, "sms") == (
        "Sent to ana_b@example.com: link https://shop.example/checkout/x_y*z_"
    )


def test_instagram_gets_no_markup_but_keeps_emoji() -> None:
    assert for_channel("Done! *iPhone 15* 🛒", "instagram") == "Done! iPhone 15 🛒"


@pytest.mark.parametrize("client", ["whatsapp", "web-storefront", "mobile"])
def test_the_other_channels_get_the_reply_as_written(client: ClientType) -> None:
    assert for_channel("Done! *iPhone 15* 🛒", client) == "Done! *iPhone 15* 🛒"
