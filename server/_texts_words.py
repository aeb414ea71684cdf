"""Words the assistant puts inside sentences, in en, es, fr and de (merged into server.texts).

`color_<color>` names a catalog's canonical colour (commerce.COLORS) in the shopper's language;
`intent_<intent>` says what a request would do, for "did you mean A or B?"; `suggest_<step>` is
a next message the shopper can send as it is (a test holds each to the intent it promises).
"""

from __future__ import annotations

from commerce._catalog import COLOR_WORDS

__all__ = ["WORD_TEXTS"]

_LOCALES = ("en", "es", "fr", "de")


# intent -> what it would do, as the tail of "did you want to ...?" (en, es, fr, de)
_INTENTS: dict[str, tuple[str, str, str, str]] = {
    "search_products": (
        "search for products",
        "buscar productos",
        "chercher des produits",
        "nach Produkten suchen",
    ),
    "get_product_info": (
        "see a product's details",
        "ver los detalles de un producto",
        "voir le détail d'un produit",
        "Details zu einem Produkt sehen",
    ),
    "add_to_basket": (
        "add something to your basket",
        "añadir algo al carrito",
        "ajouter un article au panier",
        "etwas in den Warenkorb legen",
    ),
    "remove_from_basket": (
        "remove something from your basket",
        "quitar algo del carrito",
        "retirer un article du panier",
        "etwas aus dem Warenkorb nehmen",
    ),
    "get_basket": (
        "see your basket",
        "ver tu carrito",
        "voir votre panier",
        "deinen Warenkorb sehen",
    ),
    "get_payment_link": (
        "get your payment link",
        "recibir el enlace de pago",
        "recevoir le lien de paiement",
        "den Zahlungslink bekommen",
    ),
    "answer_question": (
        "ask about shipping, returns or payment",
        "preguntar por envíos, devoluciones o pagos",
        "poser une question sur la livraison, les retours ou le paiement",
        "etwas zu Versand, Rückgabe oder Zahlung fragen",
    ),
    "help": (
        "see what I can do",
        "ver lo que puedo hacer",
        "voir ce que je sais faire",
        "sehen, was ich kann",
    ),
    "greet": ("say hello", "saludar", "dire bonjour", "Hallo sagen"),
    "thanks": ("say thanks", "dar las gracias", "dire merci", "danke sagen"),
    "goodbye": ("say goodbye", "despedirte", "dire au revoir", "dich verabschieden"),
    "affirm": ("say yes", "decir que sí", "dire oui", "ja sagen"),
    "deny": ("say no", "decir que no", "dire non", "nein sagen"),
    "human_agent": (
        "talk to a person from the shop",
        "hablar con una persona de la tienda",
        "parler à une personne de la boutique",
        "mit einem Menschen aus dem Shop sprechen",
    ),
    "create_product": (
        "create a product",
        "crear un producto",
        "créer un produit",
        "ein Produkt anlegen",
    ),
    "create_from_file": (
        "import products from a file",
        "importar productos de un archivo",
        "importer des produits depuis un fichier",
        "Produkte aus einer Datei importieren",
    ),
    "list_products": (
        "list the catalog's products",
        "listar los productos del catálogo",
        "lister les produits du catalogue",
        "die Produkte im Katalog auflisten",
    ),
    "update_product": (
        "change a product",
        "cambiar un producto",
        "modifier un produit",
        "ein Produkt ändern",
    ),
    "delete_product": (
        "delete a product",
        "borrar un producto",
        "supprimer un produit",
        "ein Produkt löschen",
    ),
}


# the shopper's likely next step, as they would type it (en, es, fr, de)
_SUGGESTIONS: dict[str, tuple[str, str, str, str]] = {
    "add_first": (
        "add the first one to my basket",
        "agrega el primero al carrito",
        "ajoutez le premier au panier",
        "leg den ersten in den Warenkorb",
    ),
    "add_it": (
        "add it to my basket",
        "añádelo al carrito",
        "ajoutez-le au panier",
        "leg es in den Warenkorb",
    ),
    "show_basket": (
        "what's in my basket?",
        "ver mi carrito",
        "voir mon panier",
        "zeig mir meinen Warenkorb",
    ),
    "pay": (
        "send me the payment link",
        "mándame el link de pago",
        "envoyez-moi le lien de paiement",
        "schick mir den Zahlungslink",
    ),
}


def _table(prefix: str, words: dict[str, tuple[str, str, str, str]]) -> dict[str, dict[str, str]]:
    return {f"{prefix}_{key}": dict(zip(_LOCALES, row, strict=True)) for key, row in words.items()}


WORD_TEXTS: dict[str, dict[str, str]] = {
    **_table("color", COLOR_WORDS),
    **_table("intent", _INTENTS),
    **_table("suggest", _SUGGESTIONS),
}
