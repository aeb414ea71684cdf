"""Phrases shoppers agree, refuse, take back, count and refer to orders with, per locale.

Written readable (accents, apostrophes) and folded once at import like a message is, longest
first, so "one more" wins over "one". "{n}" marks where a number goes ("make it {n}").
"""

from __future__ import annotations

from dialogue._fold import fold

__all__ = [
    "ADD_VERBS",
    "CANCEL",
    "EMPTY_BASKET",
    "FEWER",
    "FORGET",
    "MORE",
    "NO",
    "ORDER_WORDS",
    "REFINE",
    "SET_QUANTITY",
    "YES",
]

# fmt: off
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
        "one more", "{n} more", "another one", "add another", "one extra", "{n} extra",
        "add {n} more", "i ll take another",
    ),
    "es": (
        "otro mas", "otra mas", "uno mas", "una mas", "{n} mas", "ponme otro", "ponme otra",
        "añade otro", "añade otra", "dame otro", "dame otra",
    ),
    "fr": (
        "encore un", "encore une", "un de plus", "une de plus", "{n} de plus", "encore {n}",
        "ajoute un autre", "ajoutez en un autre", "mets en un autre",
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
