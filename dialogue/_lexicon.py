"""The words shoppers use to point, count, agree and take back, per locale, folded.

Folded means lower-case without accents ("último" is "ultimo", "größte" is "grosste"), the form
`_text.fold` gives a message, so every table is matched against folded text. Phrases are matched
on word boundaries. Adding a word is adding it here; no rule elsewhere names a word.
"""

from __future__ import annotations

from dialogue._fold import fold

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

YES: dict[str, tuple[str, ...]] = {
    "en": (
        "yes", "yeah", "yep", "yup", "ya", "sure", "ok", "okay", "k", "alright", "all right",
        "fine", "go ahead", "do it", "of course", "please do", "sounds good", "perfect", "great",
        "absolutely", "definitely", "why not", "confirm", "confirmed", "correct", "right",
    ),
    "es": (
        "si", "vale", "claro", "dale", "de acuerdo", "venga", "ok", "okay", "perfecto", "sale",
        "por supuesto", "adelante", "hazlo", "bueno", "va", "eso es", "correcto", "confirmo",
        "genial", "por favor",
    ),
    "fr": (
        "oui", "ouais", "d accord", "dac", "ok", "okay", "volontiers", "bien sur", "vas y",
        "allez y", "parfait", "carrement", "entendu", "ca marche", "c est bon", "confirme",
        "exact", "absolument", "avec plaisir",
    ),
    "de": (
        "ja", "jawohl", "jap", "jo", "klar", "okay", "ok", "gerne", "gern", "passt", "genau",
        "in ordnung", "mach das", "mach es", "mach", "los", "super", "sicher", "bestatigt",
        "richtig", "perfekt", "na klar", "auf jeden fall",
    ),
}
NO: dict[str, tuple[str, ...]] = {
    "en": ("no", "nope", "nah", "no thanks", "no thank you", "don t", "do not", "not now"),
    "es": ("no", "nop", "mejor no", "no gracias", "para nada", "ni hablar"),
    "fr": ("non", "non merci", "pas du tout", "surtout pas", "pas maintenant", "nan"),
    "de": ("nein", "nee", "ne", "lieber nicht", "nein danke", "auf keinen fall", "nicht jetzt"),
}
# "never mind": drop what is open, or nothing is open and that is fine.
CANCEL: dict[str, tuple[str, ...]] = {
    "en": (
        "never mind", "nevermind", "forget it", "forget that", "cancel", "cancel that",
        "leave it", "stop", "scratch that", "no worries", "don t bother",
    ),
    "es": (
        "dejalo", "olvidalo", "da igual", "cancela", "cancelalo", "no importa", "nada", "deja",
        "olvida eso", "mejor dejalo",
    ),
    "fr": (
        "laisse tomber", "laissez tomber", "oublie", "oubliez", "annule", "annulez", "tant pis",
        "pas grave", "oublie ca", "laisse",
    ),
    "de": (
        "vergiss es", "vergiss das", "egal", "lass es", "lass mal", "abbrechen", "schon gut",
        "doch nicht", "storniere", "vergessen wir das",
    ),
}
# "forget the case": take one product out of the basket; the rest of the phrase names it.
FORGET: dict[str, tuple[str, ...]] = {
    "en": (
        "forget the", "forget about the", "drop the", "scrap the", "lose the", "ditch the",
        "no more", "without the",
    ),
    "es": (
        "olvida el", "olvida la", "olvida los", "olvida las", "olvidate de", "sin el", "sin la",
        "quita el", "quita la", "quitame el", "quitame la", "fuera el", "fuera la",
    ),
    "fr": (
        "oublie le", "oublie la", "oublie les", "oubliez le", "oubliez la", "sans le", "sans la",
        "enleve le", "enleve la", "enlevez le", "enlevez la", "retire le", "retire la",
    ),
    "de": (
        "vergiss den", "vergiss die", "vergiss das", "ohne den", "ohne die", "ohne das",
        "streich den", "streich die", "streich das",
    ),
}
EMPTY_BASKET: dict[str, tuple[str, ...]] = {
    "en": (
        "empty my basket", "empty my cart", "empty the basket", "empty the cart",
        "clear my basket", "clear my cart", "clear the basket", "clear the cart",
        "remove everything", "start over", "delete everything", "empty basket", "empty cart",
    ),
    "es": (
        "vacia el carrito", "vacia mi carrito", "vaciar el carrito", "vacia la cesta",
        "borra todo", "quita todo", "elimina todo", "vaciar carrito", "empezar de nuevo",
    ),
    "fr": (
        "vide mon panier", "vider mon panier", "vide le panier", "videz le panier",
        "videz mon panier", "vider le panier", "enleve tout", "retire tout", "supprime tout",
        "recommencer",
    ),
    "de": (
        "warenkorb leeren", "leere meinen warenkorb", "leere den warenkorb",
        "warenkorb leer machen", "alles raus", "alles entfernen", "alles loschen",
        "leer den warenkorb", "von vorne",
    ),
}
# Set the quantity to N: "{n}" is where the number goes (digits or a number word).
SET_QUANTITY: dict[str, tuple[str, ...]] = {
    "en": (
        "make it {n}", "make that {n}", "make them {n}", "change it to {n}", "change that to {n}",
        "change the quantity to {n}", "{n} in total", "{n} total", "actually {n}", "just {n}",
        "only {n}", "i want {n} in total", "set it to {n}", "ok then {n}", "then {n}",
        "{n} of them", "{n} then", "update to {n}",
    ),
    "es": (
        "mejor que sean {n}", "que sean {n}", "mejor {n}", "pues {n}", "ponme {n} en total",
        "pon {n}", "cambia a {n}", "{n} en total", "en total {n}", "al final {n}", "solo {n}",
        "que sea {n}", "mejor sean {n}", "entonces {n}",
    ),
    "fr": (
        "mets en {n} au total", "{n} au total", "plutot {n}", "change a {n}", "finalement {n}",
        "mets {n}", "seulement {n}", "en fait {n}", "alors {n}", "au total {n}",
    ),
    "de": (
        "mach {n} draus", "mach daraus {n}", "mach {n} daraus", "doch {n}", "lieber {n}",
        "insgesamt {n}", "{n} insgesamt", "auf {n} andern", "nur {n}", "dann {n}",
        "eigentlich {n}", "also {n}",
    ),
}
# One or N more of the product in focus.
MORE: dict[str, tuple[str, ...]] = {
    "en": (
        "one more", "{n} more", "another one", "another", "add another", "one extra", "{n} extra",
        "add {n} more",
    ),
    "es": (
        "otro mas", "otra mas", "uno mas", "una mas", "{n} mas", "otro", "otra", "ponme otro",
        "ponme otra", "añade otro",
    ),
    "fr": (
        "encore un", "encore une", "un de plus", "une de plus", "{n} de plus", "encore {n}",
        "un autre", "une autre",
    ),
    "de": (
        "noch eins", "noch einen", "noch eine", "noch {n}", "{n} mehr", "noch ein", "einen mehr",
        "eins mehr",
    ),
}
# One or N fewer.
FEWER: dict[str, tuple[str, ...]] = {
    "en": (
        "one less", "{n} less", "{n} fewer", "one fewer", "remove one", "take one out",
        "take {n} out", "remove {n}",
    ),
    "es": ("uno menos", "una menos", "{n} menos", "quita uno", "quita una", "quita {n}"),
    "fr": (
        "un de moins", "une de moins", "{n} de moins", "enleve en un", "enleve en une",
        "retire en un", "enleve en {n}",
    ),
    "de": (
        "eins weniger", "einen weniger", "eine weniger", "{n} weniger", "nimm einen raus",
        "nimm eins raus", "nimm {n} raus",
    ),
}
# "and in red?", "same in size 42": the last request again with one constraint changed.
REFINE: dict[str, tuple[str, ...]] = {
    "en": (
        "and in", "in", "what about", "how about", "same in", "same but", "and", "any in",
        "do you have it in", "is it available in", "also in", "but in",
    ),
    "es": (
        "y en", "en", "y", "lo mismo en", "igual en", "y que tal en", "lo tienes en",
        "lo teneis en", "tambien en", "pero en", "y de",
    ),
    "fr": (
        "et en", "en", "et", "pareil en", "le meme en", "la meme en", "et en taille",
        "vous l avez en", "aussi en", "mais en",
    ),
    "de": (
        "und in", "in", "und", "das gleiche in", "dasselbe in", "gibt es das in", "gibts das in",
        "auch in", "aber in", "und auf",
    ),
}
# Verbs that make a bare reference a purchase: "nimm den", "je le prends", "añádelo", "lo quiero".
ADD_VERBS: dict[str, frozenset[str]] = {
    "en": frozenset(["add", "take", "put", "get", "buy", "want", "grab", "ll"]),
    "es": frozenset(
        [
            "anade", "anad", "agrega", "agreg", "pon", "mete", "quiero", "compro", "llevo",
            "cojo", "dame", "ponme",
        ]
    ),
    "fr": frozenset(
        ["ajoute", "ajoutez", "prends", "prenez", "prendrai", "mets", "mettez", "veux", "achete"]
    ),
    "de": frozenset(["nimm", "nehme", "leg", "pack", "kaufe", "will", "hinzufugen", "rein"]),
}

# Words that make plain digits an order number ("40512 still hasn't come").
ORDER_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "order", "package", "parcel", "delivery", "shipment", "hasn t come", "hasn t arrived",
        "hasnt come", "hasnt arrived", "didn t arrive", "didnt arrive", "never arrived",
        "never came", "still not", "not here yet", "not arrived", "tracking", "paid", "where is",
    ),
    "es": (
        "pedido", "paquete", "envio", "entrega", "no ha llegado", "no me ha llegado",
        "seguimiento", "pague", "pagado", "donde esta", "orden",
    ),
    "fr": (
        "commande", "colis", "livraison", "pas arrive", "pas recu", "suivi", "paye", "ou est",
        "ou en est",
    ),
    "de": (
        "bestellung", "paket", "lieferung", "nicht angekommen", "nicht da", "sendungsverfolgung",
        "bezahlt", "wo ist", "auftrag",
    ),
}

# fmt: on


def _fold_phrase(phrase: str) -> str:
    return " {n} ".join(fold(part) for part in phrase.split("{n}")).strip()


def _folded(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Each phrase folded like a message, longest first (so "one more" wins over "one")."""
    return {
        loc: tuple(sorted({_fold_phrase(p) for p in phrases}, key=len, reverse=True))
        for loc, phrases in table.items()
    }


YES, NO, CANCEL, FORGET = _folded(YES), _folded(NO), _folded(CANCEL), _folded(FORGET)
EMPTY_BASKET, SET_QUANTITY = _folded(EMPTY_BASKET), _folded(SET_QUANTITY)
MORE, FEWER, REFINE, ORDER_WORDS = (
    _folded(MORE),
    _folded(FEWER),
    _folded(REFINE),
    _folded(ORDER_WORDS),
)
