"""What the assistant says when a tool fails, in en, es, fr and de (merged into server.texts).

One sentence per failure a shopper or admin can meet; `server.failures` picks the key from the
error's code and fills it from the error's params. `error_generic` is the fallback for any code
without its own sentence, so a new code never reaches a person raw.
"""

from __future__ import annotations

__all__ = ["ERROR_TEXTS"]

ERROR_TEXTS: dict[str, dict[str, str]] = {
    "error_generic": {
        "en": "Sorry, that didn't work. Could you try again, maybe in other words?",
        "es": "Vaya, eso no ha funcionado. ¿Puedes intentarlo otra vez, quizá con otras palabras?",
        "fr": "Désolé, cela n'a pas fonctionné. Pouvez-vous réessayer, peut-être avec d'autres mots ?",
        "de": "Das hat leider nicht geklappt. Versuch es bitte noch einmal, vielleicht mit anderen Worten.",
    },
    "error_sold_out": {
        "en": "Sorry, {name} is sold out right now.",
        "es": "Lo siento, {name} está agotado ahora mismo.",
        "fr": "Désolé, {name} est épuisé pour le moment.",
        "de": "Leider ist {name} gerade ausverkauft.",
    },
    "error_not_in_basket": {
        "en": "{name} isn't in your basket.",
        "es": "{name} no está en tu carrito.",
        "fr": "{name} n'est pas dans votre panier.",
        "de": "{name} ist nicht in deinem Warenkorb.",
    },
    "error_currency_mismatch": {
        "en": "{name} is priced in another currency than your basket. Pay for this basket first, then add it to a new one.",
        "es": "{name} tiene un precio en otra moneda que tu carrito. Paga primero este carrito y luego añádelo a uno nuevo.",
        "fr": "{name} est vendu dans une autre devise que votre panier. Réglez d'abord ce panier, puis ajoutez-le à un nouveau.",
        "de": "{name} hat eine andere Währung als dein Warenkorb. Bezahl zuerst diesen Warenkorb und leg es dann in einen neuen.",
    },
    "error_unknown_order": {
        "en": "I couldn't find an order with the number {order_id}. Could you check it in your confirmation e-mail?",
        "es": "No encuentro ningún pedido con el número {order_id}. ¿Puedes revisarlo en tu correo de confirmación?",
        "fr": "Je ne trouve aucune commande portant le numéro {order_id}. Pouvez-vous le vérifier dans votre e-mail de confirmation ?",
        "de": "Ich finde keine Bestellung mit der Nummer {order_id}. Kannst du sie in deiner Bestätigungs-E-Mail prüfen?",
    },
    "error_unknown_topic": {
        "en": "I can help with shipping, returns, payment methods, opening hours, contact, your order or the warranty. What's your question about?",
        "es": "Puedo ayudarte con envíos, devoluciones, formas de pago, horarios, contacto, tu pedido o la garantía. ¿Sobre qué es tu pregunta?",
        "fr": "Je peux vous aider pour la livraison, les retours, les moyens de paiement, les horaires, le contact, votre commande ou la garantie. Sur quoi porte votre question ?",
        "de": "Ich helfe dir gern bei Versand, Rücksendungen, Zahlungsarten, Öffnungszeiten, Kontakt, deiner Bestellung oder der Gewährleistung. Worum geht es?",
    },
    "error_invalid_email": {
        "en": "“{recipient}” doesn't look like an e-mail address. Could you check it?",
        "es": "«{recipient}» no parece una dirección de correo. ¿Puedes revisarla?",
        "fr": "« {recipient} » ne ressemble pas à une adresse e-mail. Pouvez-vous la vérifier ?",
        "de": "„{recipient}“ sieht nicht nach einer E-Mail-Adresse aus. Kannst du sie prüfen?",
    },
    "error_invalid_phone": {
        "en": "“{recipient}” doesn't look like a phone number. Could you send it with the country code, like +44 7700 900123?",
        "es": "«{recipient}» no parece un número de teléfono. ¿Me lo mandas con el prefijo del país, como +34 612 345 678?",
        "fr": "« {recipient} » ne ressemble pas à un numéro de téléphone. Pouvez-vous l'envoyer avec l'indicatif du pays, comme +33 6 12 34 56 78 ?",
        "de": "„{recipient}“ sieht nicht nach einer Telefonnummer aus. Schick sie mir bitte mit Ländervorwahl, etwa +49 151 23456789.",
    },
    "error_quantity_limit": {
        "en": "I can handle up to 100 units at a time. How many would you like?",
        "es": "Puedo gestionar hasta 100 unidades de una vez. ¿Cuántas quieres?",
        "fr": "Je peux traiter jusqu'à 100 unités à la fois. Combien en voulez-vous ?",
        "de": "Ich kann bis zu 100 Stück auf einmal bearbeiten. Wie viele möchtest du?",
    },
    "error_invalid_product": {
        "en": "The product can't be saved like that: please check the {field}.",
        "es": "El producto no se puede guardar así: revisa {field}.",
        "fr": "Le produit ne peut pas être enregistré ainsi : vérifiez {field}.",
        "de": "So kann das Produkt nicht gespeichert werden: Prüf bitte {field}.",
    },
    "error_duplicate_sku": {
        "en": "There's already a product with the SKU {sku}.",
        "es": "Ya hay un producto con el SKU {sku}.",
        "fr": "Il existe déjà un produit avec le SKU {sku}.",
        "de": "Es gibt schon ein Produkt mit der SKU {sku}.",
    },
    "error_invalid_file": {
        "en": "I couldn't import that file. Please check it's a CSV, Excel or JSON product list and try again.",
        "es": "No he podido importar ese archivo. Comprueba que es una lista de productos en CSV, Excel o JSON e inténtalo de nuevo.",
        "fr": "Je n'ai pas pu importer ce fichier. Vérifiez qu'il s'agit d'une liste de produits en CSV, Excel ou JSON, puis réessayez.",
        "de": "Ich konnte die Datei nicht importieren. Prüf bitte, ob es eine Produktliste als CSV, Excel oder JSON ist, und versuch es noch einmal.",
    },
    "not_understood": {
        "en": "Sorry, I didn't quite get that. 🤔 I can find products, check prices and stock, manage your basket and send you a payment link.",
        "es": "Perdona, no te he entendido bien. 🤔 Puedo buscarte productos, consultar precios y stock, gestionar tu carrito y enviarte un enlace de pago.",
        "fr": "Désolé, je n'ai pas bien compris. 🤔 Je peux trouver des produits, vérifier les prix et le stock, gérer votre panier et vous envoyer un lien de paiement.",
        "de": "Entschuldige, das hab ich nicht ganz verstanden. 🤔 Ich kann Produkte finden, Preise und Verfügbarkeit prüfen, deinen Warenkorb verwalten und dir einen Zahlungslink schicken.",
    },
    "nothing_to_cancel": {
        "en": "Okay, there was nothing to cancel. What can I do for you?",
        "es": "Vale, no había nada que cancelar. ¿En qué te ayudo?",
        "fr": "D'accord, il n'y avait rien à annuler. Que puis-je faire pour vous ?",
        "de": "Okay, es gab nichts abzubrechen. Was kann ich für dich tun?",
    },
}
