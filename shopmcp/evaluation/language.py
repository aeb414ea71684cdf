"""A small, honest detector of English sentences inside a Spanish, French or German reply.

Each sentence is reduced to its words (product names, URLs and e-mail addresses removed first) and
scored against two word lists: common English function words and shop words, and the target
language's function words. Words both languages use ("in", "a", "me", "total") count for neither.
A sentence is English when it has at least two English words and more English than target words,
or when it is a short fragment (three words or fewer) made only of English shop words, such as a
colour list or "Out of stock". It errs on the side of not flagging: a flag is worth reading.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = ["english_sentences", "fold"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ENGLISH = _words(
    """
    the and or of to for with from by at is are was be been am i i've i'll i'm you you're your yours
    we we've our us it it's its this that these those here there what which who how when where why
    have has had do does did don't can't cannot can could would should will shall not
    please thanks thank sorry hello hi bye goodbye welcome yes okay sure
    found added removed basket cart checkout payment link order orders shipping returns return
    price prices stock available unavailable out item items product products quantity send sent
    email mail phone number which one more other any some all only just also about into than then
    black white red blue green yellow pink purple grey gray brown silver gold navy
    size sizes color colors colour colours in-stock
    """
)

_TARGET = {
    "es": _words(
        """
        el la los las un una unos unas de del y o que en con por para es son esta este estos estas
        tu tus su sus mi mis te lo le les se al como mas muy ya hay no si pero tienes tiene puedes
        aqui tu carrito cesta pedido enlace pago precio envio hola gracias perdona lo siento
        negro blanco rojo azul verde amarillo rosa morado gris plata dorado marron
        he has ha hemos anadido quitado encontrado disponible talla tallas color colores
        """
    ),
    "fr": _words(
        """
        le la les un une des de du et ou que qui en avec pour par est sont ce cet cette ces ton ta
        tes votre vos mon ma mes je tu il elle nous vous au aux ne pas plus tres deja voici voila
        panier commande lien paiement prix livraison bonjour merci desole oui non
        noir blanc rouge bleu vert jaune rose violet gris argent dore marron
        ai as avons ajoute retire trouve disponible taille tailles couleur couleurs
        """
    ),
    "de": _words(
        """
        der die das den dem des ein eine einen einem einer und oder mit fur von zu ist sind nicht
        ich du er sie wir ihr ihre ihren ihrem dein deine deinen mein meine ist hier dein
        warenkorb bestellung zahlungslink preis versand hallo danke leider ja nein bitte
        schwarz weiss rot blau grun gelb rosa lila grau silber gold braun
        habe hast hat haben hinzugefugt entfernt gefunden verfugbar grosse farbe farben auf noch
        """
    ),
}

# words the target language also uses: never evidence of English there
_SHARED = {
    "es": {"me", "a", "no", "total", "app", "ok", "email", "link", "stock", "gold"},
    "fr": {"a", "on", "me", "total", "app", "ok", "email", "mail", "stock", "orange", "sure"},
    "de": {
        "in",
        "an",
        "was",
        "will",
        "so",
        "also",
        "total",
        "app",
        "ok",
        "email",
        "mail",
        "link",
        "gold",
        "hat",
        "bitte",
        "die",
        "of",
        "stock",
        "orange",
        "sure",
        "item",
    },
}

_URL = re.compile(r"https?://\S+|\S+@\S+\.\w+")
_WORD = re.compile(r"[a-z][a-z']*")
_SPLIT = re.compile(r"(?<=[.!?;:])\s+|\n+")


def fold(text: str) -> str:
    """Lowercase without accents (ß becomes ss), for comparisons that ignore both."""
    text = text.replace("ß", "ss").replace("ẞ", "ss")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _remove_names(text: str, names: Sequence[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        if name:
            text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    return text


def english_sentences(text: str, locale: str, names: Sequence[str] = ()) -> list[str]:
    """The sentences of `text` (a reply in `locale`) that are English; none for `en` itself."""
    if locale == "en" or locale not in _TARGET:
        return []
    target = _TARGET[locale]
    english = _ENGLISH - _SHARED[locale] - target
    flagged = []
    for sentence in _SPLIT.split(_remove_names(_URL.sub(" ", text), names)):
        words = _WORD.findall(fold(sentence))
        en = sum(1 for w in words if w in english)
        native = sum(1 for w in words if w in target)
        if (en >= 2 and en > native) or (0 < len(words) <= 3 and en == len(words)):
            flagged.append(sentence.strip())
    return flagged
