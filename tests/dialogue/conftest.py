"""A conversation's state after a search for phones and two lines in the basket."""

from __future__ import annotations

import pytest

from dialogue import BasketLine, DialogueState, Item

PHONES = [
    {
        "id": "1",
        "sku": "APL-IP15-128",
        "name": "Apple iPhone 15",
        "price": 95900,
        "colors": ["black", "blue", "pink"],
        "brand": "apple",
    },
    {
        "id": "2",
        "sku": "APL-IP15P-256",
        "name": "Apple iPhone 15 Pro",
        "price": 132900,
        "colors": ["black", "white", "blue"],
        "brand": "apple",
    },
    {
        "id": "3",
        "sku": "SAM-S24-256",
        "name": "Samsung Galaxy S24 Ultra",
        "price": 89900,
        "colors": ["purple", "grey"],
        "brand": "samsung",
    },
    {
        "id": "4",
        "sku": "XIA-RN13-128",
        "name": "Xiaomi Redmi Note 13",
        "price": 29900,
        "colors": ["red", "green"],
        "brand": "xiaomi",
    },
]


@pytest.fixture
def listing() -> list[Item]:
    return [Item.of(p) for p in PHONES]


@pytest.fixture
def state(listing: list[Item]) -> DialogueState:
    """Four phones shown, the iPhone 15 looked at, a t-shirt and a case in the basket."""
    return DialogueState(
        focus=listing[0],
        listing=listing,
        basket_id="b1",
        basket=[
            BasketLine("20", "Nike Dri-FIT Training T-Shirt", 2),
            BasketLine("21", "Spigen Case for iPhone 15", 1),
        ],
    )
