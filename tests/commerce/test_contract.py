"""The backend contract: every test runs against the embedded shop and against the HTTP client
talking to `create_business_api` over a real socket (see conftest.py)."""

from __future__ import annotations

import anyio
import pytest

from commerce import (
    CATEGORIES,
    LOCALES,
    TOPICS,
    BasketClosedError,
    DuplicateSkuError,
    EmptyBasketError,
    InvalidProductError,
    OutOfStockError,
    ProductInput,
    ProductPatch,
    SearchFilters,
    ShopBackend,
    UnknownBasketError,
    UnknownProductError,
    verify_payment_token,
)
from tests.commerce.conftest import SECRET

pytestmark = pytest.mark.anyio

LIMIT = 5


def _mug(sku: str = "MUG-BLUE", **changes: object) -> ProductInput:
    fields: dict[str, object] = {
        "sku": sku,
        "name": {"en": "Blue Mug", "es": "Taza azul"},
        "price": 1250,
        "currency": "EUR",
        "stock": 40,
        "category": "home",
        "colors": ("blue",),
    }
    fields.update(changes)
    return ProductInput(**fields)  # type: ignore[arg-type]


async def test_the_demo_catalog_has_sixty_products_across_every_category(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        page = await shop.list_products(page_size=100)
        assert page.total >= 60
        assert {p.category for p in page.items} == set(CATEGORIES)
        for product in page.items:
            assert set(product.name) == set(LOCALES)
            assert set(product.description) == set(LOCALES)
            assert product.price > 0 and product.currency == "EUR"


@pytest.mark.parametrize(
    ("query", "locale", "expected_sku"),
    [
        pytest.param("iphone 15 pro", "en", "APL-IP15P-256", id="exact"),
        pytest.param("IPHNOE 15 PRO", "en", "APL-IP15P-256", id="typo-and-caps"),
        pytest.param("auriculares sony", "es", "SON-WH1000XM5", id="spanish-category"),
        pytest.param("ecouteurs", "fr", "APL-APP2", id="french-without-accent"),
        pytest.param("zapatilas rojas", "es", "PUM-SUEDE", id="typo-and-color-inflection"),
        pytest.param("Fernseher", "de", "LG-OLED55C3", id="german-category"),
    ],
)
async def test_search_tolerates_accents_case_and_typos_in_the_shoppers_locale(
    shop: ShopBackend, query: str, locale: str, expected_sku: str
) -> None:
    with anyio.fail_after(LIMIT):
        page = await shop.search(query, locale=locale, page_size=20)
    assert expected_sku in [h.product.sku for h in page.hits]


async def test_search_ranks_the_closest_name_first(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        page = await shop.search("iphone 15 pro")
    assert page.hits[0].product.sku == "APL-IP15P-256"
    assert page.hits[0].score >= page.hits[-1].score


async def test_search_filters_by_category_brand_color_size_and_price(shop: ShopBackend) -> None:
    filters = SearchFilters(
        category="shoes", brand="nike", color="white", size="42", max_price=12000
    )
    with anyio.fail_after(LIMIT):
        page = await shop.search("", filters)
    assert [h.product.sku for h in page.hits] == ["NIK-AF1-07"]


async def test_search_pages_do_not_overlap(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        first = await shop.search("", SearchFilters(category="audio"), page=1, page_size=3)
        second = await shop.search("", SearchFilters(category="audio"), page=2, page_size=3)
    assert first.total == second.total == 7
    assert not {h.product.id for h in first.hits} & {h.product.id for h in second.hits}


async def test_unrelated_words_find_nothing(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        page = await shop.search("quantum banana")
    assert page.total == 0


async def test_a_product_is_found_by_id_and_by_sku(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        by_sku = await shop.get_product("JBL-FLIP6")
        by_id = await shop.get_product(by_sku.id)
        assert by_id == by_sku
        with pytest.raises(UnknownProductError):
            await shop.get_product("NOPE-404")


async def test_a_distinct_name_resolves_to_one_product(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        resolution = await shop.resolve_product("macbok air", locale="en")
    assert resolution.product is not None and resolution.product.sku == "APL-MBA13-M3"


async def test_an_ambiguous_name_returns_candidates_not_a_guess(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        resolution = await shop.resolve_product("galaxy", locale="es")
    assert resolution.product is None
    assert {"SAM-S24-256", "SAM-A55-128"} <= {c.sku for c in resolution.candidates}


async def test_a_basket_adds_lines_and_totals_them(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        basket = await shop.create_basket()
        flip = await shop.get_product("JBL-FLIP6")
        case = await shop.get_product("APL-IP15-CASE")
        await shop.add_to_basket(basket.id, flip.id, 2)
        basket = await shop.add_to_basket(basket.id, case.id, 1, locale="es")
    assert [(ln.sku, ln.quantity) for ln in basket.lines] == [
        ("JBL-FLIP6", 2),
        ("APL-IP15-CASE", 1),
    ]
    assert basket.total == 2 * flip.price + case.price
    assert basket.currency == "EUR" and basket.item_count == 3
    assert basket.lines[1].name.startswith("Funda")


async def test_adding_more_than_the_stock_is_refused_with_what_is_left(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        basket = await shop.create_basket()
        await shop.add_to_basket(basket.id, "JBL-CHARGE5", 2)
        with pytest.raises(OutOfStockError) as caught:
            await shop.add_to_basket(basket.id, "JBL-CHARGE5", 2)
    assert caught.value.details["available"] == 1


async def test_removing_takes_units_off_then_the_whole_line(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        basket = await shop.create_basket()
        await shop.add_to_basket(basket.id, "JBL-FLIP6", 3)
        basket = await shop.remove_from_basket(basket.id, "JBL-FLIP6", 1)
        assert basket.lines[0].quantity == 2
        basket = await shop.remove_from_basket(basket.id, "JBL-FLIP6")
        assert basket.lines == () and basket.total == 0


async def test_an_unknown_basket_is_an_error(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT), pytest.raises(UnknownBasketError):
        await shop.get_basket("no-such-basket")


async def test_a_payment_link_is_signed_and_the_same_for_the_same_basket(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        basket = await shop.create_basket()
        await shop.add_to_basket(basket.id, "JBL-FLIP6", 1)
        first = await shop.create_payment_link(basket.id)
        again = await shop.create_payment_link(basket.id)
        await shop.add_to_basket(basket.id, "JBL-FLIP6", 1)
        changed = await shop.create_payment_link(basket.id)
    assert first == again
    assert first.url == f"https://shop.example/checkout/{first.token}"
    assert changed.token != first.token and changed.amount == 2 * first.amount
    claims = verify_payment_token(SECRET, first.token, now=first.expires_at - 1)
    assert claims.basket_id == basket.id and claims.amount == first.amount


async def test_an_empty_basket_gets_no_payment_link(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        basket = await shop.create_basket()
        with pytest.raises(EmptyBasketError):
            await shop.create_payment_link(basket.id)


@pytest.mark.parametrize("topic", TOPICS)
async def test_every_policy_topic_is_answered_in_every_locale(
    shop: ShopBackend, topic: str
) -> None:
    with anyio.fail_after(LIMIT):
        answers = [await shop.answer_policy(topic, locale=loc) for loc in LOCALES]
    assert [a.locale for a in answers] == list(LOCALES)
    assert len({a.text for a in answers}) == 4


async def test_paying_a_basket_makes_an_order_and_takes_stock(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        before = await shop.get_product("LOG-K380")
        basket = await shop.create_basket()
        await shop.add_to_basket(basket.id, before.id, 2)
        order = await shop.mark_paid(basket.id)
        assert order.status == "paid" and order.lines[0].quantity == 2
        assert (await shop.get_product("LOG-K380")).stock == before.stock - 2
        assert await shop.get_order(order.id) == order
        assert await shop.mark_paid(basket.id) == order


async def test_a_paid_basket_takes_no_more_lines(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        product = await shop.get_product("LOG-K380")
        basket = await shop.create_basket()
        await shop.add_to_basket(basket.id, product.id, 1)
        order = await shop.mark_paid(basket.id)
        with pytest.raises(BasketClosedError) as closed:
            await shop.add_to_basket(basket.id, product.id, 1)
        assert closed.value.details == {"basket_id": basket.id, "order_id": order.id}
        assert await shop.mark_paid(basket.id) == order  # paying again is the same order


async def test_admin_creates_updates_and_deletes_a_product(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        created = await shop.create_product(_mug(brand="Philips", colors=("Navy Blue",)))
        assert created.brand == "philips" and created.colors == ("navy",)
        updated = await shop.update_product(
            created.sku, ProductPatch(price=1000, name={"fr": "Tasse bleue"})
        )
        assert updated.price == 1000 and updated.name["fr"] == "Tasse bleue"
        assert updated.name["en"] == "Blue Mug"
        await shop.delete_product(created.id)
        with pytest.raises(UnknownProductError):
            await shop.get_product(created.id)


async def test_admin_refuses_invalid_and_duplicate_products(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        with pytest.raises(InvalidProductError) as caught:
            await shop.create_product(_mug(category="kitchenware"))
        assert caught.value.details["field"] == "category"
        with pytest.raises(DuplicateSkuError):
            await shop.create_product(_mug(sku="JBL-FLIP6"))


async def test_admin_lists_by_category_and_query_with_pages(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        tvs = await shop.list_products(category="tv", page_size=2)
        assert tvs.total == 5 and len(tvs.items) == 2
        found = await shop.list_products(query="pegasus")
        assert found.items[0].sku == "NIK-PEG40"


async def test_bulk_upsert_creates_new_skus_and_updates_known_ones(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        result = await shop.upsert_products([_mug(), _mug(sku="JBL-FLIP6", stock=3)])
        assert (result.created, result.updated) == (1, 1)
        assert (await shop.get_product("JBL-FLIP6")).stock == 3
        again = await shop.upsert_products([_mug(stock=1)])
        assert (again.created, again.updated) == (0, 1)


async def test_bulk_upsert_writes_nothing_when_one_product_is_invalid(shop: ShopBackend) -> None:
    with anyio.fail_after(LIMIT):
        with pytest.raises(InvalidProductError):
            await shop.upsert_products([_mug(), _mug(sku="BAD", price=-1)])
        with pytest.raises(UnknownProductError):
            await shop.get_product("MUG-BLUE")
