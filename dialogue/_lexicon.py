"""The words shoppers point and count with, per locale, folded; phrases re-exported from _phrases.

Folded means lower-case without accents ("último" is "ultimo", "größte" is "grosste"), the form
`_text.fold` gives a message, so every table is matched against folded text. Phrases are matched
on word boundaries. Adding a word is adding it here (or, for a phrase, in `_phrases`); no rule
elsewhere names a word.
"""

from __future__ import annotations

from dialogue._phrases import (
    ADD_VERBS,
    CANCEL,
    EMPTY_BASKET,
    FEWER,
    FORGET,
    MORE,
    NO,
    ORDER_WORDS,
    REFINE,
    SET_QUANTITY,
    YES,
)

__all__ = [
    "ADD_VERBS",
    "ARTICLES",
    "CANCEL",
    "COLORS",
    "EMPTY_BASKET",
    "FEWER",
    "FILLERS",
    "FORGET",
    "MORE",
    "NO",
    "NUMBER_WORDS",
    "ORDER_WORDS",
    "ORDINAL_WORDS",
    "PRONOUNS",
    "REFINE",
    "SET_QUANTITY",
    "SUPERLATIVES",
    "YES",
]

LOCALES = ("en", "es", "fr", "de")

# fmt: off
# Words that point at something already said: "add it", "añádelo", "prends-le", "nimm den".
# Clitics glued to a verb ("añádelo", "quitala") are split off by `_text.clitic`.
PRONOUNS: dict[str, frozenset[str]] = {
    "en": frozenset(["it", "them", "this", "that", "these", "those", "one", "ones"]),
    "es": frozenset(
        [
            "lo", "la", "los", "las", "le", "les", "eso", "esto", "este", "esta", "ese", "esa",
            "aquel", "aquella", "uno", "una",
        ]
    ),
    "fr": frozenset(
        [
            "le", "la", "les", "l", "ca", "cela", "ceci", "celui", "celle", "ceux", "celles",
            "ci", "en",
        ]
    ),
    "de": frozenset(
        [
            "es", "das", "den", "die", "dem", "ihn", "sie", "dies", "dieses", "diesen", "diese",
            "eins", "einen", "eine",
        ]
    ),
}

# Articles and nouns that only carry a reference ("the one", "el modelo", "la version").
ARTICLES: dict[str, frozenset[str]] = {
    "en": frozenset(
        ["the", "a", "an", "one", "ones", "model", "version", "option", "product", "item", "of"]
    ),
    "es": frozenset(
        [
            "el", "la", "los", "las", "un", "una", "uno", "unos", "unas", "modelo", "version",
            "opcion", "producto", "de", "del",
        ]
    ),
    "fr": frozenset(
        [
            "le", "la", "les", "l", "un", "une", "des", "modele", "version", "option", "produit",
            "de", "du", "d",
        ]
    ),
    "de": frozenset(
        [
            "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "modell",
            "version", "produkt", "von",
        ]
    ),
}

# Words around a pick that are not part of a product's name ("ok I'll take the pro please").
FILLERS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "ok", "okay", "yes", "yeah", "no", "please", "pls", "i", "ll", "i'll", "id", "i'd",
            "want", "take", "get", "give", "me", "add", "put", "in", "to", "my", "cart", "basket",
            "bag", "then", "so", "just", "show", "about", "how", "what", "and", "also", "want",
            "like", "would", "love", "buy", "go", "with", "which", "is", "was", "sorry",
            "actually", "rather", "instead",
        ]
    ),
    "es": frozenset(
        [
            "vale", "ok", "si", "no", "pues", "entonces", "por", "favor", "quiero", "quisiera",
            "dame", "ponme", "pon", "anade", "agrega", "mete", "al", "carrito", "cesta", "mi",
            "me", "el", "en", "y", "que", "mejor", "prefiero", "cojo", "compro", "perdon",
            "bueno", "mira", "quiero", "ese",
        ]
    ),
    "fr": frozenset(
        [
            "ok", "oui", "non", "alors", "bon", "ben", "je", "veux", "voudrais", "prends",
            "prendrai", "donne", "donnez", "moi", "mets", "ajoute", "ajoutez", "au", "panier",
            "mon", "ma", "dans", "et", "plutot", "svp", "stp", "s", "il", "vous", "te", "plait",
            "merci", "prefere", "finalement", "pardon",
        ]
    ),
    "de": frozenset(
        [
            "ok", "ja", "nein", "dann", "also", "bitte", "ich", "will", "mochte", "nehme", "nimm",
            "gib", "mir", "leg", "pack", "in", "den", "warenkorb", "korb", "meinen", "und",
            "lieber", "doch", "danke", "hatte", "gern", "gerne", "kaufe", "sorry",
        ]
    ),
}

# Ordinal words to positions; -1 is the last one. Digits ("2nd", "2º", "2e", "2.") are in _text.
ORDINAL_WORDS: dict[str, dict[str, int]] = {
    "en": {
        "first": 1,
        "second": 2,
        "third": 3,
        "fourth": 4,
        "fifth": 5,
        "sixth": 6,
        "seventh": 7,
        "eighth": 8,
        "ninth": 9,
        "tenth": 10,
        "last": -1,
    },
    "es": {
        "primero": 1,
        "primera": 1,
        "primer": 1,
        "segundo": 2,
        "segunda": 2,
        "tercero": 3,
        "tercera": 3,
        "tercer": 3,
        "cuarto": 4,
        "cuarta": 4,
        "quinto": 5,
        "quinta": 5,
        "sexto": 6,
        "sexta": 6,
        "ultimo": -1,
        "ultima": -1,
    },
    "fr": {
        "premier": 1,
        "premiere": 1,
        "deuxieme": 2,
        "second": 2,
        "seconde": 2,
        "troisieme": 3,
        "quatrieme": 4,
        "cinquieme": 5,
        "sixieme": 6,
        "dernier": -1,
        "derniere": -1,
    },
    "de": {
        **{f"erste{e}": 1 for e in ("", "n", "r", "s", "m")},
        **{f"zweite{e}": 2 for e in ("", "n", "r", "s", "m")},
        **{f"dritte{e}": 3 for e in ("", "n", "r", "s", "m")},
        **{f"vierte{e}": 4 for e in ("", "n", "r", "s", "m")},
        **{f"funfte{e}": 5 for e in ("", "n", "r", "s", "m")},
        **{f"letzte{e}": -1 for e in ("", "n", "r", "s", "m")},
    },
}

# Superlatives: (key, phrases). Keys: cheapest, priciest, newest, biggest.
SUPERLATIVES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "cheapest": ("cheapest", "least expensive", "lowest price", "cheaper one", "cheaper"),
        "priciest": ("most expensive", "priciest", "dearest", "pricier"),
        "newest": ("newest", "latest", "most recent", "newer"),
        "biggest": ("biggest", "largest", "most storage", "bigger", "larger"),
    },
    "es": {
        "cheapest": ("mas barato", "mas barata", "mas economico", "mas economica", "menos caro"),
        "priciest": ("mas caro", "mas cara"),
        "newest": ("mas nuevo", "mas nueva", "mas reciente", "ultimo modelo"),
        "biggest": ("mas grande", "mayor", "mas capacidad"),
    },
    "fr": {
        "cheapest": ("moins cher", "moins chere", "meilleur marche", "plus abordable"),
        "priciest": ("plus cher", "plus chere"),
        "newest": ("plus recent", "plus recente", "plus nouveau", "dernier modele"),
        "biggest": ("plus grand", "plus grande", "plus gros", "plus grosse"),
    },
    "de": {
        "cheapest": ("gunstigste", "billigste", "preiswerteste", "gunstiger", "billiger"),
        "priciest": ("teuerste", "teurer"),
        "newest": ("neueste", "neuste", "aktuellste", "neuer"),
        "biggest": ("grosste", "grosser"),
    },
}
SUPERLATIVES = {
    loc: {key: tuple(sorted(phrases, key=len, reverse=True)) for key, phrases in table.items()}
    for loc, table in SUPERLATIVES.items()
}
# German superlatives decline: "günstigsten", "teuersten"; the stem is matched as a prefix.

# Colour words to canonical colours (the catalog's values); every inflection folded.
COLORS: dict[str, str] = {}
for _canonical, _words in {
    "black": "black negro negra negros negras noir noire noirs noires schwarz",
    "white": "white blanco blanca blancos blancas blanc blanche blancs blanches weiss",
    "red": "red rojo roja rojos rojas rouge rouges rot",
    "blue": "blue azul azules bleu bleue bleus bleues blau",
    "green": "green verde verdes vert verte verts vertes grun",
    "yellow": "yellow amarillo amarilla amarillos amarillas jaune jaunes gelb",
    "pink": "pink rosa rosas rose roses",
    "purple": "purple morado morada morados moradas violet violette violets lila",
    "orange": "orange naranja naranjas",
    "grey": "grey gray gris grise grises grau",
    "brown": "brown marron marrones braun",
    "silver": "silver plata plateado plateada argent argente argentee silber silbern",
    "gold": "gold golden dorado dorada dore doree",
    "beige": "beige",
    "navy": "navy marino",
}.items():
    for _word in _words.split():
        COLORS[_word] = _canonical
# German adjective endings: "die blaue", "den schwarzen", "das rote" (folded: "weisse").
for _stem, _canonical in (
    ("schwarz", "black"),
    ("weiss", "white"),
    ("rot", "red"),
    ("blau", "blue"),
    ("grun", "green"),
    ("gelb", "yellow"),
    ("grau", "grey"),
    ("braun", "brown"),
    ("silbern", "silver"),
    ("golden", "gold"),
):
    for _end in ("e", "en", "er", "es", "em"):
        COLORS.setdefault(_stem + _end, _canonical)

# Number words (folded) to values; "a"/"an" are not numbers ("a couple" is not either).
NUMBER_WORDS: dict[str, dict[str, int]] = {
    "en": dict(
        zip(
            [
                "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve",
            ],
            range(1, 13),
            strict=True,
        )
    ),
    "es": {
        "un": 1,
        "uno": 1,
        "una": 1,
        **dict(
            zip(
                [
                    "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
                    "once", "doce",
                ],
                range(2, 13),
                strict=True,
            )
        ),
    },
    "fr": {
        "un": 1,
        "une": 1,
        **dict(
            zip(
                [
                    "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
                    "onze", "douze",
                ],
                range(2, 13),
                strict=True,
            )
        ),
    },
    "de": {
        "ein": 1,
        "eins": 1,
        "eine": 1,
        "einen": 1,
        "einer": 1,
        **dict(
            zip(
                [
                    "zwei", "drei", "vier", "funf", "sechs", "sieben", "acht", "neun", "zehn",
                    "elf", "zwolf",
                ],
                range(2, 13),
                strict=True,
            )
        ),
    },
}

# fmt: on
