"""The embedded shop's policies: one answer per topic and locale, seeded into the database."""

from __future__ import annotations

__all__ = ["POLICIES"]

POLICIES: dict[str, dict[str, str]] = {
    "shipping": {
        "en": "We ship to the EU, the UK, Switzerland, the USA and Canada. Orders placed before 2 pm "
        "leave the same working day; delivery takes 1–3 working days in Europe and 5–8 overseas. "
        "Shipping is free above €50, otherwise €4.95.",
        "es": "Enviamos a la UE, Reino Unido, Suiza, EE. UU. y Canadá. Los pedidos hechos antes de las "
        "14:00 salen el mismo día laborable; la entrega tarda 1–3 días laborables en Europa y 5–8 "
        "fuera. El envío es gratis a partir de 50 €; si no, cuesta 4,95 €.",
        "fr": "Nous livrons dans l'UE, au Royaume-Uni, en Suisse, aux États-Unis et au Canada. Les "
        "commandes passées avant 14 h partent le jour ouvré même ; la livraison prend 1 à 3 jours "
        "ouvrés en Europe et 5 à 8 ailleurs. Livraison offerte dès 50 €, sinon 4,95 €.",
        "de": "Wir liefern in die EU, nach Großbritannien, in die Schweiz, die USA und nach Kanada. "
        "Bestellungen bis 14 Uhr verlassen uns am selben Werktag; die Lieferung dauert in Europa "
        "1–3 Werktage, in Übersee 5–8. Ab 50 € versandkostenfrei, sonst 4,95 €.",
    },
    "returns": {
        "en": "You can return any item within 30 days of delivery, unused and in its original packaging. "
        "Start a return from the link in your order e-mail; we refund within 5 working days of "
        "receiving it.",
        "es": "Puedes devolver cualquier artículo en los 30 días siguientes a la entrega, sin usar y en "
        "su embalaje original. Inicia la devolución desde el enlace del correo de tu pedido; "
        "reembolsamos en 5 días laborables tras recibirlo.",
        "fr": "Vous pouvez retourner tout article dans les 30 jours suivant la livraison, non utilisé et "
        "dans son emballage d'origine. Lancez le retour depuis le lien de l'e-mail de commande ; "
        "nous remboursons sous 5 jours ouvrés après réception.",
        "de": "Sie können jeden Artikel innerhalb von 30 Tagen nach Lieferung unbenutzt und "
        "originalverpackt zurückgeben. Starten Sie die Rücksendung über den Link in Ihrer "
        "Bestell-E-Mail; wir erstatten innerhalb von 5 Werktagen nach Eingang.",
    },
    "payment_methods": {
        "en": "We accept Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay and bank "
        "transfer. Payment links are valid for 24 hours.",
        "es": "Aceptamos Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay y "
        "transferencia bancaria. Los enlaces de pago valen 24 horas.",
        "fr": "Nous acceptons Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay et le "
        "virement bancaire. Les liens de paiement sont valables 24 heures.",
        "de": "Wir akzeptieren Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay und "
        "Banküberweisung. Zahlungslinks sind 24 Stunden gültig.",
    },
    "opening_hours": {
        "en": "Our online shop is open around the clock. Customer service answers Monday to Friday "
        "9:00–18:00 and Saturday 10:00–14:00 (CET).",
        "es": "La tienda online está abierta siempre. Atención al cliente responde de lunes a viernes "
        "de 9:00 a 18:00 y los sábados de 10:00 a 14:00 (CET).",
        "fr": "La boutique en ligne est ouverte en permanence. Le service client répond du lundi au "
        "vendredi de 9 h à 18 h et le samedi de 10 h à 14 h (CET).",
        "de": "Der Onlineshop ist rund um die Uhr geöffnet. Der Kundenservice ist Montag bis Freitag "
        "9–18 Uhr und samstags 10–14 Uhr (MEZ) erreichbar.",
    },
    "contact": {
        "en": "Write to support@example-shop.com or call +34 900 123 456 during opening hours; you can "
        "also just keep chatting here.",
        "es": "Escríbenos a support@example-shop.com o llama al +34 900 123 456 en horario de atención; "
        "también puedes seguir escribiendo aquí.",
        "fr": "Écrivez à support@example-shop.com ou appelez le +34 900 123 456 aux heures d'ouverture ; "
        "vous pouvez aussi continuer à écrire ici.",
        "de": "Schreiben Sie an support@example-shop.com oder rufen Sie während der Servicezeiten "
        "+34 900 123 456 an; Sie können auch einfach hier weiterschreiben.",
    },
    "order_status": {
        "en": "Send me your order number and I'll look it up. You also get an e-mail with a tracking "
        "link as soon as your parcel leaves our warehouse.",
        "es": "Envíame tu número de pedido y lo consulto. También recibirás un correo con el enlace de "
        "seguimiento en cuanto el paquete salga del almacén.",
        "fr": "Envoyez-moi votre numéro de commande et je le vérifie. Vous recevez aussi un e-mail avec "
        "un lien de suivi dès que le colis quitte l'entrepôt.",
        "de": "Schicken Sie mir Ihre Bestellnummer, dann sehe ich nach. Sobald das Paket unser Lager "
        "verlässt, erhalten Sie außerdem eine E-Mail mit Sendungsverfolgung.",
    },
    "warranty": {
        "en": "Every product carries the 2-year legal warranty; Apple, Samsung and Sony products add "
        "the manufacturer's warranty. Keep your order e-mail as proof of purchase.",
        "es": "Todos los productos tienen 2 años de garantía legal (3 años en España para compras "
        "desde 2022); Apple, Samsung y Sony añaden la garantía del fabricante. Guarda el correo "
        "del pedido como justificante.",
        "fr": "Tous les produits bénéficient de la garantie légale de conformité de 2 ans ; Apple, "
        "Samsung et Sony ajoutent la garantie constructeur. Conservez l'e-mail de commande comme "
        "preuve d'achat.",
        "de": "Für alle Produkte gilt die gesetzliche Gewährleistung von 2 Jahren; Apple, Samsung und "
        "Sony geben zusätzlich Herstellergarantie. Bewahren Sie die Bestell-E-Mail als Kaufbeleg auf.",
    },
}
