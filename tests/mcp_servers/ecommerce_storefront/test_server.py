"""The storefront tools through the SDK's in-memory client."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client

from commerce import open_backend, open_sqlite_shop, verify_payment_token
from mcp_servers.ecommerce_storefront.server import guess_topic
from mcp_servers.errors import ErrorContent, ErrorInfo
from shopmcp.settings import Settings

pytestmark = pytest.mark.anyio

LIMIT = 5


async def call(client: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    with anyio.fail_after(LIMIT):
        result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


async def call_error(client: Client, tool: str, **arguments: Any) -> ErrorInfo:
    """The failure as data: the structured content is the shared error payload."""
    with anyio.fail_after(LIMIT):
        result = await client.call_tool(tool, arguments)
    assert result.is_error
    payload = ErrorContent.model_validate(result.structured_content)
    text = " ".join(getattr(block, "text", "") for block in result.content)
    assert text.startswith(f"{payload.error.code}: ")  # the same failure for text-only clients
    return payload.error


async def test_every_tool_is_listed_with_read_only_hints_on_the_read_tools(client: Client) -> None:
    with anyio.fail_after(LIMIT):
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(tools) == {
        "search_products",
        "get_product_info",
        "add_to_basket",
        "remove_from_basket",
        "get_basket",
        "get_payment_link",
        "answer_question",
        "set_basket_quantity",
        "empty_basket",
        "get_order",
    }
    for name in (
        "search_products",
        "get_product_info",
        "get_basket",
        "answer_question",
        "get_order",
    ):
        assert tools[name].annotations is not None and tools[name].annotations.read_only_hint
    assert tools["add_to_basket"].annotations is not None
    assert not tools["add_to_basket"].annotations.read_only_hint
    assert tools["search_products"].output_schema is not None


async def test_search_products_finds_spanish_typos_with_filters(client: Client) -> None:
    result = await call(
        client,
        "search_products",
        query="auriculares",
        locale="es",
        filters={"brand": "sony", "max_price": 35000},
    )
    assert [item["sku"] for item in result["items"]] == ["SON-WF1000XM5"]
    assert result["items"][0]["name"].startswith("Auriculares")


async def test_search_products_rejects_a_page_size_above_fifty(client: Client) -> None:
    error = await call_error(client, "search_products", query="tv", page_size=500)
    assert error.code == "invalid_arguments" and error.params["fields"] == ["page_size"]
    assert "500" not in error.message  # the rule, never the rejected value


async def test_get_product_info_resolves_a_typed_name_in_the_locale(client: Client) -> None:
    info = await call(client, "get_product_info", product="pegasus", locale="fr")
    assert info["sku"] == "NIK-PEG40"
    assert info["name"].startswith("Chaussures de running")
    assert "42" in info["sizes"] and info["currency"] == "EUR"


async def test_an_ambiguous_product_name_is_an_error_listing_the_candidates(client: Client) -> None:
    error = await call_error(client, "get_product_info", product="galaxy", locale="es")
    assert error.code == "ambiguous_product" and error.params["query"] == "galaxy"
    candidates = error.params["candidates"]
    assert all(set(c) == {"id", "name"} for c in candidates)
    names = [c["name"] for c in candidates]
    assert any("Galaxy S24" in n for n in names) and any("Galaxy A55" in n for n in names)


async def test_an_unknown_product_is_an_error_the_shopper_can_read(client: Client) -> None:
    error = await call_error(client, "add_to_basket", product_id="flux capacitor")
    assert error.code == "unknown_product"
    assert error.params == {"query": "flux capacitor"}


async def test_add_to_basket_creates_a_basket_and_get_basket_shows_it(client: Client) -> None:
    basket = await call(client, "add_to_basket", product_id="JBL-FLIP6", quantity=2)
    basket = await call(
        client,
        "add_to_basket",
        basket_id=basket["basket_id"],
        product_id="airpods pro",
        locale="de",
    )
    shown = await call(client, "get_basket", basket_id=basket["basket_id"], locale="de")
    assert shown == basket
    assert [line["sku"] for line in shown["lines"]] == ["JBL-FLIP6", "APL-APP2"]
    assert shown["item_count"] == 3 and shown["currency"] == "EUR"


async def test_adding_beyond_stock_is_an_out_of_stock_error(client: Client) -> None:
    error = await call_error(client, "add_to_basket", product_id="SON-A7IV", locale="de")
    assert error.code == "out_of_stock"
    assert error.params["available"] == 0 and error.params["requested"] == 1
    assert error.params["sku"] == "SON-A7IV" and "Sony" in error.params["name"]


async def test_adding_more_than_is_left_says_how_many_are_available(client: Client) -> None:
    basket = await call(client, "add_to_basket", product_id="LEN-X1C-G11", quantity=4)
    error = await call_error(
        client, "add_to_basket", basket_id=basket["basket_id"], product_id="LEN-X1C-G11", quantity=5
    )
    assert error.code == "out_of_stock"
    assert error.params["available"] == 2 and error.params["requested"] == 5


async def test_removing_a_product_the_basket_does_not_hold_is_not_in_basket(
    client: Client,
) -> None:
    basket = await call(client, "add_to_basket", product_id="JBL-FLIP6")
    error = await call_error(
        client,
        "remove_from_basket",
        basket_id=basket["basket_id"],
        product_id="LOG-K380",
        locale="fr",
    )
    assert error.code == "not_in_basket"
    assert error.params["basket_id"] == basket["basket_id"] and error.params["name"]


async def test_an_unknown_basket_names_its_id(client: Client) -> None:
    error = await call_error(client, "get_basket", basket_id="nope")
    assert error.code == "unknown_basket" and error.params == {"basket_id": "nope"}


async def test_remove_from_basket_takes_the_line_away(client: Client) -> None:
    basket = await call(client, "add_to_basket", product_id="JBL-FLIP6", quantity=2)
    basket = await call(
        client, "remove_from_basket", basket_id=basket["basket_id"], product_id="jbl flip 6"
    )
    assert basket["lines"] == [] and basket["total"] == 0


async def test_set_basket_quantity_sets_the_line_up_or_down_whatever_it_held(
    client: Client,
) -> None:
    basket = await call(client, "add_to_basket", product_id="JBL-FLIP6", quantity=1)
    more = await call(
        client,
        "set_basket_quantity",
        basket_id=basket["basket_id"],
        product_id="JBL-FLIP6",
        quantity=3,
    )
    fewer = await call(
        client,
        "set_basket_quantity",
        basket_id=basket["basket_id"],
        product_id="jbl flip 6",
        quantity=2,
    )
    gone = await call(
        client,
        "set_basket_quantity",
        basket_id=basket["basket_id"],
        product_id="JBL-FLIP6",
        quantity=0,
    )
    assert [ln["quantity"] for ln in more["lines"]] == [3]
    assert [ln["quantity"] for ln in fewer["lines"]] == [2]
    assert gone["lines"] == []


async def test_set_basket_quantity_beyond_stock_is_an_out_of_stock_error(client: Client) -> None:
    error = await call_error(client, "set_basket_quantity", product_id="SON-A7IV", quantity=2)
    assert (error.code, error.params["requested"]) == ("out_of_stock", 2)


async def test_empty_basket_takes_every_line_out(client: Client) -> None:
    basket = await call(client, "add_to_basket", product_id="JBL-FLIP6", quantity=2)
    await call(client, "add_to_basket", basket_id=basket["basket_id"], product_id="LOG-K380")
    emptied = await call(client, "empty_basket", basket_id=basket["basket_id"])
    assert emptied["lines"] == [] and emptied["total"] == 0


async def test_get_order_shows_a_paid_orders_status_lines_and_total(
    client: Client, settings: Settings
) -> None:
    basket = await call(client, "add_to_basket", product_id="JBL-FLIP6", quantity=2)
    async with open_backend(settings) as shop:
        paid = await shop.mark_paid(basket["basket_id"])
    order = await call(client, "get_order", order_id=paid.id.lower())
    assert (order["id"], order["status"], order["total"]) == (paid.id, "paid", basket["total"])
    assert [(ln["sku"], ln["quantity"]) for ln in order["lines"]] == [("JBL-FLIP6", 2)]


async def test_get_order_of_an_unknown_number_is_an_unknown_order_error(client: Client) -> None:
    error = await call_error(client, "get_order", order_id="40512")
    assert (error.code, error.params) == ("unknown_order", {"order_id": "40512"})


async def test_get_payment_link_is_signed_and_stable(client: Client) -> None:
    basket = await call(client, "add_to_basket", product_id="LOG-K380")
    first = await call(client, "get_payment_link", basket_id=basket["basket_id"])
    again = await call(client, "get_payment_link", basket_id=basket["basket_id"])
    assert first == again and first["amount"] == basket["total"]
    token = first["url"].removeprefix("https://shop.example/checkout/")
    claims = verify_payment_token(b"storefront-test-secret", token, now=first["expires_at"] - 1)
    assert claims.basket_id == basket["basket_id"]


async def test_get_payment_link_of_an_empty_basket_is_an_error(client: Client) -> None:
    basket = await call(client, "add_to_basket", product_id="LOG-K380")
    await call(client, "remove_from_basket", basket_id=basket["basket_id"], product_id="LOG-K380")
    error = await call_error(client, "get_payment_link", basket_id=basket["basket_id"])
    assert error.code == "empty_basket" and error.params == {"basket_id": basket["basket_id"]}


async def test_answer_question_uses_the_named_topic_and_locale(client: Client) -> None:
    answer = await call(client, "answer_question", topic="returns", locale="fr")
    assert answer["topic"] == "returns" and "30 jours" in answer["text"]


async def test_answer_question_guesses_the_topic_from_the_question(client: Client) -> None:
    answer = await call(client, "answer_question", question="¿Hacéis envíos a Canadá?", locale="es")
    assert answer["topic"] == "shipping" and "Canadá" in answer["text"]


async def test_answer_question_without_a_recognisable_topic_asks_which(client: Client) -> None:
    error = await call_error(client, "answer_question", question="what is the meaning of life")
    assert error.code == "unknown_topic"
    assert "shipping" in error.params["topics"] and "warranty" in error.params["topics"]


async def test_answer_question_reports_an_unknown_order(client: Client) -> None:
    error = await call_error(client, "answer_question", topic="order_status", order_id="ORD-X")
    assert error.code == "unknown_order" and error.params == {"order_id": "ORD-X"}


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        pytest.param("where is my order?", "order_status", id="en-order"),
        pytest.param("Wie lange dauert der Versand?", "shipping", id="de-shipping"),
        pytest.param("puis-je payer avec PayPal", "payment_methods", id="fr-payment"),
        pytest.param("quiero devolver unas zapatillas", "returns", id="es-returns"),
        pytest.param("hello there", None, id="none"),
    ],
)
def test_guess_topic_reads_keywords_in_every_locale(question: str, topic: str | None) -> None:
    assert guess_topic(question) == topic


async def test_adding_to_a_paid_basket_starts_a_new_basket_and_leaves_the_order_alone(
    client: Client, settings: Settings
) -> None:
    first = await call(client, "add_to_basket", product_id="LOG-K380", quantity=1)
    shop = open_sqlite_shop(settings)
    try:
        order = await shop.mark_paid(first["basket_id"])
        stock_after_payment = (await shop.get_product("LOG-K380")).stock
        after = await call(
            client, "add_to_basket", product_id="LOG-K380", quantity=2, basket_id=first["basket_id"]
        )
        assert after["basket_id"] != first["basket_id"]
        assert [(ln["sku"], ln["quantity"]) for ln in after["lines"]] == [("LOG-K380", 2)]
        assert await shop.get_order(order.id) == order  # the paid order did not change
        assert (await shop.get_product("LOG-K380")).stock == stock_after_payment
    finally:
        shop.close()
