"""Formula neutralisation (issue 11, item 10): one function, on every way a product comes in."""

from __future__ import annotations

import pytest

from commerce.models import ProductInput
from commerce.validation import neutralise, normalize_product


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        pytest.param('=HYPERLINK("x")', '\'=HYPERLINK("x")', id="equals"),
        pytest.param("+1+1", "'+1+1", id="plus"),
        pytest.param("-2+3", "'-2+3", id="minus"),
        pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
        pytest.param("\t=1+1", "'=1+1", id="tab-then-equals"),
        pytest.param("\r\n=1+1", "'=1+1", id="newline-then-equals"),
        pytest.param("\uff1d1+1", "'\uff1d1+1", id="fullwidth-equals"),
        pytest.param("\uff0bcmd", "'\uff0bcmd", id="fullwidth-plus"),
        pytest.param("\uff0dcmd", "'\uff0dcmd", id="fullwidth-minus"),
        pytest.param("\uff20SUM(1)", "'\uff20SUM(1)", id="fullwidth-at"),
        pytest.param("\ufe66cmd", "'\ufe66cmd", id="small-equals"),
        pytest.param("\u200b=1+1", "'=1+1", id="zero-width-space"),
        pytest.param("\u200d\u200c=1+1", "'=1+1", id="zero-width-joiners"),
        pytest.param("\ufeff=1+1", "'=1+1", id="byte-order-mark"),
        pytest.param("\u2060=1+1", "'=1+1", id="word-joiner"),
        pytest.param("\u202e=1+1", "'=1+1", id="bidi-override"),
        pytest.param("\u00a0\u3000=1+1", "'=1+1", id="no-break-and-ideographic-spaces"),
        pytest.param("\x00=1+1", "'=1+1", id="nul"),
    ],
)
def test_a_cell_a_spreadsheet_would_evaluate_gets_an_apostrophe(cell: str, stored: str) -> None:
    assert neutralise(cell) == stored


@pytest.mark.parametrize(
    "text", ["Café crème", "iPhone 15 Pro", "'=already neutral", "Mug = cup", "T-shirt", "5+ pack"]
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text


@pytest.mark.parametrize("cell", ["=1+1", "\u200b\uff1d1", "  @x"])
def test_neutralising_twice_changes_nothing(cell: str) -> None:
    assert neutralise(neutralise(cell)) == neutralise(cell)


def test_every_free_text_field_of_a_product_is_neutralised() -> None:
    product = normalize_product(
        ProductInput(
            sku="\uff1dHYPERLINK",
            name={"en": "\u200b=cmd|' /C calc'!A0", "es": "+SUM(1)"},
            description={"fr": "@SUM(1)"},
            price=100,
            currency="EUR",
            stock=1,
            category="home",
        )
    )
    assert product.sku == "'\uff1dHYPERLINK"
    assert product.name == {"en": "'=cmd|' /C calc'!A0", "es": "'+SUM(1)"}
    assert product.description == {"fr": "'@SUM(1)"}
