from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from engine import IntentEngine, load_patterns

MINI_ES = """\
locale es
skip por favor | porfa | xfa
split y luego | y despues | y
trim el | la | los | las | un | una
alias q | k = que

list number
  1 = uno | una | un
  2 = dos
  3 = tres
list ordinal
  1 = primero | primera
  2 = segundo | segunda
  -1 = ultimo | ultima
list currency
  EUR = € | euro | euros | eur
  USD = $ | dolar | dolares | usd
list color
  red = rojo | roja | rojos | rojas
  blue = azul | azules
  navy = "azul marino"

rule add = agrega | agregame | añade | pon | mete
rule cart = carrito | carro | cesta

intent add_to_basket
  slots quantity: number, product: text, ordinal: ordinal
  match <add> [{quantity}] {product} [al | a mi | en el] [<cart>]
  match <add> [el | la] {ordinal} [al | a mi | en el] [<cart>]
  example agrega 2 iphone al carrito -> quantity = 2, product = "iphone"
  example añade el segundo al carrito -> ordinal = 2
  not que hay en mi carrito

intent get_basket
  match (que hay en | ver) [mi] <cart>
  example que hay en mi carrito

intent search_products
  slots query: text, color: color, max_price: money, min_price: money
  match (busco | tienen | hay) {query} [en {color}] [por menos de {max_price}]
  match (busco | tienen | hay) {query} (de mas de | desde) {min_price}
  example tienen el iphone 15 en azul marino? -> query = "iphone 15", color = navy

intent get_payment_link
  match quiero pagar
  match (pasame | mandame) el link de pago
  example quiero pagar

intent greet
  match hola | buenas | buenos dias | 👋
  example holaaa 👋

intent thanks
  match gracias | 🙏
  example gracias
"""

MINI_EN = """\
locale en
skip please | pls
split and then | and
trim the | a | an | my
alias u = you
alias thx | ty = thanks

list number
  1 = one | a
  2 = two
list ordinal
  2 = second | 2nd
list currency
  USD = $ | dollars | usd
  EUR = € | euros | eur

intent add_to_basket
  slots quantity: number, product: text
  match add [{quantity}] {product} to [my] (cart | basket)
  example add 2 shirts to my cart -> quantity = 2, product = "shirts"

intent search_products
  slots query: text, max_price: money
  match do you have {query} [under {max_price}]
  example do u have iphone -> query = "iphone"

intent get_payment_link
  match send me the payment link
  match checkout
  example checkout

intent greet
  match hello | hi
  example hi

intent thanks
  match thanks | thank you
  example thx
"""


@pytest.fixture
def write_patterns(tmp_path: Path) -> Callable[..., Path]:
    """Write pattern files {"es/x.intents": text} under a fresh directory and return it."""

    def write(files: dict[str, str]) -> Path:
        root = tmp_path / "patterns"
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return write


@pytest.fixture
def mini(write_patterns: Callable[..., Path]) -> IntentEngine:
    return load_patterns(write_patterns({"es/all.intents": MINI_ES, "en/all.intents": MINI_EN}))
