"""Every sentence the chat server says, in en, es, fr and de.

Written as a friendly shop assistant on WhatsApp: tú in Spanish, du in German, vous in French.
Texts are plain (no markup): the formatter adds bold and trims for the channel. Placeholders are
`str.format` fields and every locale of a key has the same ones (a test holds them to it).

Conventions for callers: `field_<field>` and `channel_<channel>` name a contract value in a
sentence (`confirm_update` takes `field=text("field_price", locale)`, which carries its article
where the language needs one); `more_items` ends a truncated list. Failure sentences
(`error_*`) live in `_texts_errors.py`, words used inside sentences (`color_*`, `intent_*`) in
`_texts_words.py`; both are merged into the one table here.
"""

from __future__ import annotations

import difflib
import string
from typing import Any

from babel.lists import format_list

from server._texts_errors import ERROR_TEXTS
from server._texts_words import WORD_TEXTS
from server.locale import normalize_locale

__all__ = [
    "KEYS",
    "MissingTextParamError",
    "UnknownTextError",
    "color_name",
    "intent_choices",
    "placeholders",
    "text",
]

_TEXTS: dict[str, dict[str, str]] = {
    # courtesy and help
    "greet": {
        "en": "Hi! 👋 I'm the shop assistant. Looking for something in particular?",
        "es": "¡Hola! 👋 Soy el asistente de la tienda. ¿Buscas algo en concreto?",
        "fr": "Bonjour ! 👋 Je suis l'assistant de la boutique. Vous cherchez quelque chose en particulier ?",
        "de": "Hallo! 👋 Ich bin der Shop-Assistent. Suchst du etwas Bestimmtes?",
    },
    "thanks": {
        "en": "You're welcome! 😊 Anything else I can help with?",
        "es": "¡De nada! 😊 ¿Te ayudo con algo más?",
        "fr": "Avec plaisir ! 😊 Je peux vous aider pour autre chose ?",
        "de": "Gern geschehen! 😊 Kann ich dir sonst noch helfen?",
    },
    "goodbye": {
        "en": "Bye for now! Message me any time. 👋",
        "es": "¡Hasta luego! Escríbeme cuando quieras. 👋",
        "fr": "À bientôt ! Écrivez-moi quand vous voulez. 👋",
        "de": "Bis bald! Schreib mir jederzeit. 👋",
    },
    "help_shopper": {
        "en": "I can find products, check prices and stock, manage your basket and send you a payment link. Try “do you have red sneakers?” or “what's in my basket?”",
        "es": "Puedo buscarte productos, consultar precios y stock, gestionar tu carrito y enviarte un enlace de pago. Prueba con «¿tenéis zapatillas rojas?» o «ver mi carrito».",
        "fr": "Je peux trouver des produits, vérifier les prix et le stock, gérer votre panier et vous envoyer un lien de paiement. Essayez « avez-vous des baskets rouges ? » ou « mon panier ».",
        "de": "Ich kann Produkte für dich finden, Preise und Verfügbarkeit prüfen, deinen Warenkorb verwalten und dir einen Zahlungslink schicken. Probier mal „habt ihr rote Sneaker?“ oder „mein Warenkorb“.",
    },
    "handover": {
        "en": "I've passed your message to our team: a person will reply to you here as soon as they can.",
        "es": "He pasado tu mensaje a nuestro equipo: una persona te responderá por aquí en cuanto pueda.",
        "fr": "J'ai transmis votre message à notre équipe : une personne vous répondra ici dès que possible.",
        "de": "Ich habe deine Nachricht an unser Team weitergegeben: Ein Mensch antwortet dir hier, so bald es geht.",
    },
    "handover_not_recorded": {
        "en": "I couldn't reach our team from here just now. You can contact them directly:",
        "es": "Ahora mismo no he podido avisar a nuestro equipo desde aquí. Puedes contactarlo directamente:",
        "fr": "Je n'ai pas pu joindre notre équipe d'ici pour le moment. Vous pouvez la contacter directement :",
        "de": "Ich konnte unser Team gerade nicht von hier aus erreichen. Du kannst es direkt kontaktieren:",
    },
    "help_admin": {
        "en": "As an admin you can also create products (“create product Blue Mug price 12.50 stock 40”), import a file (“import products from catalog.csv”), and list, update or delete products.",
        "es": "Como administrador también puedes crear productos («crea el producto Taza Azul precio 12,50 stock 40»), importar un archivo («importa productos de catalogo.csv») y listar, cambiar o borrar productos.",
        "fr": "En tant qu'administrateur, vous pouvez aussi créer des produits (« crée le produit Tasse Bleue prix 12,50 stock 40 »), importer un fichier (« importe les produits de catalogue.csv ») et lister, modifier ou supprimer des produits.",
        "de": "Als Admin kannst du auch Produkte anlegen („lege Produkt Blaue Tasse an, Preis 12,50, Bestand 40“), eine Datei importieren („importiere Produkte aus katalog.csv“) und Produkte auflisten, ändern oder löschen.",
    },
    "nothing_pending": {
        "en": "There's nothing waiting for a yes or no right now. What can I do for you?",
        "es": "Ahora mismo no hay nada pendiente de confirmar. ¿En qué te ayudo?",
        "fr": "Il n'y a rien à confirmer pour le moment. Que puis-je faire pour vous ?",
        "de": "Gerade gibt es nichts zu bestätigen. Was kann ich für dich tun?",
    },
    "cancelled": {
        "en": "No problem, I've cancelled that.",
        "es": "Sin problema, lo he cancelado.",
        "fr": "Pas de souci, c'est annulé.",
        "de": "Kein Problem, ich hab's abgebrochen.",
    },
    "done": {
        "en": "Done! ✅",
        "es": "¡Listo! ✅",
        "fr": "C'est fait ! ✅",
        "de": "Erledigt! ✅",
    },
    "unknown": {
        "en": "Sorry, I didn't quite get that. 🤔 You could try: {suggestions}",
        "es": "Perdona, no te he entendido bien. 🤔 Puedes probar con: {suggestions}",
        "fr": "Désolé, je n'ai pas bien compris. 🤔 Vous pouvez essayer : {suggestions}",
        "de": "Entschuldige, das hab ich nicht ganz verstanden. 🤔 Probier doch: {suggestions}",
    },
    "ambiguous_intent": {
        "en": "I'm not sure what you'd like: {options}?",
        "es": "No sé bien qué quieres: ¿{options}?",
        "fr": "Je ne suis pas sûr de comprendre : {options} ?",
        "de": "Ich bin nicht sicher, was du meinst: {options}?",
    },
    # search and product details
    "search_results": {
        "en": "Here's what I found ({count}):",
        "es": "Esto es lo que he encontrado ({count}):",
        "fr": "Voici ce que j'ai trouvé ({count}) :",
        "de": "Das hab ich gefunden ({count}):",
    },
    "no_results": {
        "en": "Sorry, I couldn't find anything for “{query}”. Shall we try another word or brand?",
        "es": "Vaya, no he encontrado nada para «{query}». ¿Probamos con otra palabra o marca?",
        "fr": "Désolé, je n'ai rien trouvé pour « {query} ». Essayez un autre mot ou une autre marque ?",
        "de": "Leider hab ich nichts zu „{query}“ gefunden. Versuchen wir es mit einem anderen Begriff oder einer Marke?",
    },
    "no_matches": {
        "en": "Sorry, nothing matches that right now. Shall we try something a bit different?",
        "es": "Vaya, ahora mismo no hay nada que encaje. ¿Probamos con algo un poco distinto?",
        "fr": "Désolé, rien ne correspond pour le moment. On essaie autre chose ?",
        "de": "Leider passt gerade nichts dazu. Sollen wir etwas anderes probieren?",
    },
    "more_items": {
        "en": "+{count} more",
        "es": "+{count} más",
        "fr": "+{count} de plus",
        "de": "+{count} weitere",
    },
    "sold_out": {
        "en": "sold out",
        "es": "agotado",
        "fr": "épuisé",
        "de": "ausverkauft",
    },
    "product_price": {
        "en": "{name} is {price}.",
        "es": "{name} cuesta {price}.",
        "fr": "{name} coûte {price}.",
        "de": "{name} kostet {price}.",
    },
    "product_stock_in": {
        "en": "Good news: we have {count} in stock.",
        "es": "¡Buenas noticias! Nos quedan {count} en stock.",
        "fr": "Bonne nouvelle : il nous en reste {count} en stock.",
        "de": "Gute Nachricht: Wir haben noch {count} auf Lager.",
    },
    "product_stock_out": {
        "en": "Sorry, that one is out of stock right now.",
        "es": "Lo siento, ahora mismo está agotado.",
        "fr": "Désolé, cet article est en rupture de stock pour le moment.",
        "de": "Leider ist der Artikel gerade ausverkauft.",
    },
    "product_colors": {
        "en": "{name} comes in {colors}.",
        "es": "{name} está disponible en {colors}.",
        "fr": "{name} existe en {colors}.",
        "de": "{name} gibt es in {colors}.",
    },
    "product_no_colors": {
        "en": "{name} comes in a single color.",
        "es": "{name} viene en un solo color.",
        "fr": "{name} existe en une seule couleur.",
        "de": "{name} gibt es nur in einer Farbe.",
    },
    "product_sizes": {
        "en": "{name} is available in sizes {sizes}.",
        "es": "{name} está disponible en las tallas {sizes}.",
        "fr": "{name} est disponible en tailles {sizes}.",
        "de": "{name} gibt es in den Größen {sizes}.",
    },
    "product_no_sizes": {
        "en": "{name} comes in one size.",
        "es": "{name} es de talla única.",
        "fr": "{name} existe en taille unique.",
        "de": "{name} gibt es nur in einer Größe.",
    },
    "product_shipping": {
        "en": "We deliver {name} to your door; you'll see the delivery options and costs at checkout.",
        "es": "Te enviamos {name} a casa; verás las opciones y el coste de envío al pagar.",
        "fr": "Nous livrons {name} chez vous ; vous verrez les options et frais de livraison au moment du paiement.",
        "de": "Wir liefern {name} zu dir nach Hause; Versandoptionen und -kosten siehst du beim Bezahlen.",
    },
    "unknown_product": {
        "en": "I couldn't find a product called “{name}”. Could you check the name?",
        "es": "No encuentro ningún producto llamado «{name}». ¿Puedes revisar el nombre?",
        "fr": "Je ne trouve aucun produit nommé « {name} ». Pouvez-vous vérifier le nom ?",
        "de": "Ich finde kein Produkt namens „{name}“. Kannst du den Namen prüfen?",
    },
    "out_of_stock": {
        "en": "Sorry, we only have {available} of {name} left.",
        "es": "Lo siento, solo nos quedan {available} de {name}.",
        "fr": "Désolé, {name} : il ne nous en reste que {available}.",
        "de": "Leider haben wir von {name} nur noch {available} Stück.",
    },
    # basket and checkout
    "added": {
        "en": "Done! I've added {quantity} × {name} to your basket. 🛒",
        "es": "¡Hecho! He añadido {quantity} × {name} a tu carrito. 🛒",
        "fr": "C'est fait ! J'ai ajouté {quantity} × {name} à votre panier. 🛒",
        "de": "Erledigt! {quantity} × {name} liegt jetzt in deinem Warenkorb. 🛒",
    },
    "removed": {
        "en": "I've removed {name} from your basket.",
        "es": "He quitado {name} de tu carrito.",
        "fr": "J'ai retiré {name} de votre panier.",
        "de": "Ich hab {name} aus deinem Warenkorb genommen.",
    },
    "basket_contents": {
        "en": "Here's your basket:",
        "es": "Esto es lo que tienes en el carrito:",
        "fr": "Voici votre panier :",
        "de": "Das liegt in deinem Warenkorb:",
    },
    "basket_empty": {
        "en": "Your basket is empty for now. Want me to help you find something?",
        "es": "Tu carrito está vacío por ahora. ¿Te ayudo a encontrar algo?",
        "fr": "Votre panier est vide pour l'instant. Je vous aide à trouver quelque chose ?",
        "de": "Dein Warenkorb ist noch leer. Soll ich dir helfen, etwas zu finden?",
    },
    "basket_total": {
        "en": "Your basket comes to {total}.",
        "es": "El total de tu carrito es {total}.",
        "fr": "Le total de votre panier est de {total}.",
        "de": "Dein Warenkorb kostet insgesamt {total}.",
    },
    "no_basket_yet": {
        "en": "You don't have a basket yet. Add something first and I'll get your payment link ready.",
        "es": "Todavía no tienes carrito. Añade algo primero y te preparo el enlace de pago.",
        "fr": "Vous n'avez pas encore de panier. Ajoutez d'abord un article et je vous prépare le lien de paiement.",
        "de": "Du hast noch keinen Warenkorb. Leg zuerst etwas hinein, dann mache ich dir den Zahlungslink fertig.",
    },
    "payment_link": {
        "en": "Here's your secure payment link: {url}",
        "es": "Aquí tienes tu enlace de pago seguro: {url}",
        "fr": "Voici votre lien de paiement sécurisé : {url}",
        "de": "Hier ist dein sicherer Zahlungslink: {url}",
    },
    "payment_link_ready": {
        "en": "Your payment link for {total} is ready. 💳",
        "es": "Tu enlace de pago por {total} está listo. 💳",
        "fr": "Votre lien de paiement de {total} est prêt. 💳",
        "de": "Dein Zahlungslink über {total} ist fertig. 💳",
    },
    "payment_link_sent": {
        "en": "I've sent the payment link by {channel} to {address}. 📩",
        "es": "Te he enviado el enlace de pago por {channel} a {address}. 📩",
        "fr": "Je vous ai envoyé le lien de paiement par {channel} à {address}. 📩",
        "de": "Ich hab dir den Zahlungslink per {channel} an {address} geschickt. 📩",
    },
    "payment_link_not_sent": {
        "en": "I couldn't send the payment link by {channel} to {address} just now, so here it is. 🙏",
        "es": "No he podido enviarte el enlace de pago por {channel} a {address} ahora mismo, así que aquí lo tienes. 🙏",
        "fr": "Je n'ai pas pu envoyer le lien de paiement par {channel} à {address} pour l'instant, le voici. 🙏",
        "de": "Ich konnte den Zahlungslink gerade nicht per {channel} an {address} schicken, hier ist er. 🙏",
    },
    "channel_email": {"en": "email", "es": "correo", "fr": "e-mail", "de": "E-Mail"},
    "channel_sms": {"en": "SMS", "es": "SMS", "fr": "SMS", "de": "SMS"},
    "channel_whatsapp": {"en": "WhatsApp", "es": "WhatsApp", "fr": "WhatsApp", "de": "WhatsApp"},
    # questions back to the shopper
    "ask_quantity": {
        "en": "How many {name} would you like?",
        "es": "¿Cuántas unidades de {name} quieres?",
        "fr": "{name} : combien en voulez-vous ?",
        "de": "Wie viele {name} möchtest du?",
    },
    "ask_product": {
        "en": "Which product do you mean?",
        "es": "¿Qué producto quieres?",
        "fr": "De quel produit s'agit-il ?",
        "de": "Welches Produkt meinst du?",
    },
    "ask_which": {
        "en": "Which one do you mean: {options}?",
        "es": "¿Cuál de estos quieres? {options}",
        "fr": "Lequel voulez-vous dire : {options} ?",
        "de": "Welches meinst du: {options}?",
    },
    "which_one_ordinal": {
        "en": "I haven't shown you a list yet. Search for something first, then pick one by its number.",
        "es": "Todavía no te he enseñado ninguna lista. Busca algo primero y luego elige por número.",
        "fr": "Je ne vous ai pas encore montré de liste. Faites d'abord une recherche, puis choisissez par numéro.",
        "de": "Ich hab dir noch keine Liste gezeigt. Such zuerst etwas, dann kannst du per Nummer auswählen.",
    },
    "ask_email": {
        "en": "What email address should I send the link to?",
        "es": "¿A qué correo te envío el enlace?",
        "fr": "À quelle adresse e-mail dois-je envoyer le lien ?",
        "de": "An welche E-Mail-Adresse soll ich den Link schicken?",
    },
    "ask_phone": {
        "en": "What phone number should I text the link to?",
        "es": "¿A qué número de teléfono te envío el enlace?",
        "fr": "À quel numéro de téléphone dois-je envoyer le lien ?",
        "de": "An welche Telefonnummer soll ich den Link schicken?",
    },
    # the dialogue layer: quantities, the basket, stock offers, orders (dialogue/)
    "quantity_set": {
        "en": "Done! You now have {quantity} × {name} in your basket. 🛒",
        "es": "¡Hecho! Ahora tienes {quantity} × {name} en tu carrito. 🛒",
        "fr": "C'est fait ! Vous avez maintenant {quantity} × {name} dans votre panier. 🛒",
        "de": "Erledigt! Du hast jetzt {quantity} × {name} im Warenkorb. 🛒",
    },
    "units_removed": {
        "en": "I've taken {quantity} × {name} out of your basket.",
        "es": "He quitado {quantity} × {name} de tu carrito.",
        "fr": "J'ai retiré {quantity} × {name} de votre panier.",
        "de": "Ich hab {quantity} × {name} aus deinem Warenkorb genommen.",
    },
    "basket_emptied": {
        "en": "I've emptied your basket. Want me to help you find something else?",
        "es": "He vaciado tu carrito. ¿Te ayudo a encontrar otra cosa?",
        "fr": "J'ai vidé votre panier. Je vous aide à trouver autre chose ?",
        "de": "Ich hab deinen Warenkorb geleert. Soll ich dir helfen, etwas anderes zu finden?",
    },
    "nothing_to_cancel": {
        "en": "No problem. What else can I do for you?",
        "es": "Sin problema. ¿En qué más te ayudo?",
        "fr": "Pas de souci. Que puis-je faire d'autre pour vous ?",
        "de": "Kein Problem. Was kann ich sonst für dich tun?",
    },
    "stock_offer": {
        "en": "Sorry, we only have {available} of {name} left. Shall I add {available}?",
        "es": "Lo siento, solo nos quedan {available} de {name}. ¿Te añado {available}?",
        "fr": "Désolé, il ne nous reste que {available} × {name}. Je vous en ajoute {available} ?",
        "de": "Leider haben wir von {name} nur noch {available} Stück. Soll ich dir {available} in den Warenkorb legen?",
    },
    "ask_order_id": {
        "en": "What's your order number? You'll find it in your confirmation e-mail (it starts with ORD-).",
        "es": "¿Cuál es tu número de pedido? Lo tienes en el correo de confirmación (empieza por ORD-).",
        "fr": "Quel est votre numéro de commande ? Il figure dans l'e-mail de confirmation (il commence par ORD-).",
        "de": "Wie lautet deine Bestellnummer? Du findest sie in der Bestätigungs-E-Mail (sie beginnt mit ORD-).",
    },
    "unknown_order": {
        "en": "I can't find an order with the number {order_id}. Could you check it in your confirmation e-mail?",
        "es": "No encuentro ningún pedido con el número {order_id}. ¿Puedes revisarlo en el correo de confirmación?",
        "fr": "Je ne trouve aucune commande portant le numéro {order_id}. Pouvez-vous le vérifier dans l'e-mail de confirmation ?",
        "de": "Ich finde keine Bestellung mit der Nummer {order_id}. Kannst du sie in der Bestätigungs-E-Mail prüfen?",
    },
    "order_summary": {
        "en": "Order {order_id}: {status}. Items: {items}. Total: {total}.",
        "es": "Pedido {order_id}: {status}. Artículos: {items}. Total: {total}.",
        "fr": "Commande {order_id} : {status}. Articles : {items}. Total : {total}.",
        "de": "Bestellung {order_id}: {status}. Artikel: {items}. Summe: {total}.",
    },
    "order_state_paid": {
        "en": "paid, and being prepared for shipping",
        "es": "pagado y en preparación para el envío",
        "fr": "payée, en cours de préparation pour l'expédition",
        "de": "bezahlt und wird für den Versand vorbereitet",
    },
    "order_state_shipped": {
        "en": "shipped, on its way to you",
        "es": "enviado, va de camino",
        "fr": "expédiée, en route vers vous",
        "de": "verschickt und unterwegs zu dir",
    },
    "order_state_delivered": {
        "en": "delivered",
        "es": "entregado",
        "fr": "livrée",
        "de": "zugestellt",
    },
    "order_state_cancelled": {
        "en": "cancelled",
        "es": "cancelado",
        "fr": "annulée",
        "de": "storniert",
    },
    "order_state_other": {
        "en": "being processed",
        "es": "en proceso",
        "fr": "en cours de traitement",
        "de": "in Bearbeitung",
    },
    # admin
    "admin_required": {
        "en": "Sorry, only shop admins can do that.",
        "es": "Lo siento, eso solo pueden hacerlo los administradores de la tienda.",
        "fr": "Désolé, cette action est réservée aux administrateurs de la boutique.",
        "de": "Das können leider nur Shop-Admins.",
    },
    "confirm_delete": {
        "en": "Delete {name} from the catalog? This can't be undone. Reply yes or no.",
        "es": "¿Borro {name} del catálogo? No se puede deshacer. Responde sí o no.",
        "fr": "Supprimer {name} du catalogue ? C'est définitif. Répondez oui ou non.",
        "de": "Soll ich {name} aus dem Katalog löschen? Das lässt sich nicht rückgängig machen. Antworte mit ja oder nein.",
    },
    "confirm_update": {
        "en": "Change the {field} of {name} to {value}? Reply yes or no.",
        "es": "¿Cambio {field} de {name} a {value}? Responde sí o no.",
        "fr": "Modifier {field} de {name} en {value} ? Répondez oui ou non.",
        "de": "Soll ich {field} von {name} auf {value} ändern? Antworte mit ja oder nein.",
    },
    "confirm_import": {
        "en": "Import the products in {file}? Reply yes or no.",
        "es": "¿Importo los productos de {file}? Responde sí o no.",
        "fr": "Importer les produits de {file} ? Répondez oui ou non.",
        "de": "Soll ich die Produkte aus {file} importieren? Antworte mit ja oder nein.",
    },
    "field_price": {"en": "price", "es": "el precio", "fr": "le prix", "de": "den Preis"},
    "field_stock": {"en": "stock", "es": "el stock", "fr": "le stock", "de": "den Bestand"},
    "field_name": {"en": "name", "es": "el nombre", "fr": "le nom", "de": "den Namen"},
    "field_description": {
        "en": "description",
        "es": "la descripción",
        "fr": "la description",
        "de": "die Beschreibung",
    },
    "field_category": {
        "en": "category",
        "es": "la categoría",
        "fr": "la catégorie",
        "de": "die Kategorie",
    },
    "product_created": {
        "en": "Product {name} created. ✅",
        "es": "Producto {name} creado. ✅",
        "fr": "Le produit {name} a été créé. ✅",
        "de": "Produkt {name} angelegt. ✅",
    },
    "products_imported": {
        "en": "Import finished: {created} created, {updated} updated, {errors} errors.",
        "es": "Importación terminada: {created} creados, {updated} actualizados, {errors} errores.",
        "fr": "Import terminé : {created} créés, {updated} mis à jour, {errors} erreurs.",
        "de": "Import fertig: {created} neu, {updated} aktualisiert, {errors} Fehler.",
    },
    "product_updated": {
        "en": "{name} updated. ✅",
        "es": "{name} actualizado. ✅",
        "fr": "{name} mis à jour. ✅",
        "de": "{name} aktualisiert. ✅",
    },
    "product_deleted": {
        "en": "{name} has been deleted from the catalog.",
        "es": "{name} se ha eliminado del catálogo.",
        "fr": "{name} a été supprimé du catalogue.",
        "de": "{name} wurde aus dem Katalog gelöscht.",
    },
    "products_listed": {
        "en": "Products in the catalog ({count}):",
        "es": "Productos del catálogo ({count}):",
        "fr": "Produits du catalogue ({count}) :",
        "de": "Produkte im Katalog ({count}):",
    },
    # trouble
    "service_unavailable": {
        "en": "So sorry! 🙏 Our shop system is briefly unavailable. Please try again in a moment.",
        "es": "¡Lo sentimos mucho! 🙏 El sistema de la tienda no está disponible por un momento. Vuelve a intentarlo en un ratito.",
        "fr": "Toutes nos excuses ! 🙏 Le système de la boutique est momentanément indisponible. Réessayez dans un instant.",
        "de": "Das tut uns leid! 🙏 Unser Shop-System ist kurz nicht erreichbar. Versuch es bitte gleich noch einmal.",
    },
    "rate_limited": {
        "en": "You're going a bit fast for me! 😅 Please wait {seconds} seconds and try again.",
        "es": "¡Vas un poco rápido para mí! 😅 Espera {seconds} segundos y vuelve a intentarlo.",
        "fr": "Vous allez un peu vite pour moi ! 😅 Patientez {seconds} secondes, puis réessayez.",
        "de": "Du bist mir etwas zu schnell! 😅 Warte bitte {seconds} Sekunden und versuch es dann noch mal.",
    },
}

_TEXTS.update(ERROR_TEXTS)
_TEXTS.update(WORD_TEXTS)
KEYS: tuple[str, ...] = tuple(sorted(_TEXTS))


class UnknownTextError(LookupError):
    """A text key that does not exist: a typo in the caller, never something to show a user."""

    def __init__(self, key: str) -> None:
        self.key = key
        close = difflib.get_close_matches(key, KEYS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; see server.texts.KEYS"
        super().__init__(f"no text {key!r}{hint}")


class MissingTextParamError(TypeError):
    """`text()` was called without a value for one of the key's placeholders."""

    def __init__(self, key: str, missing: list[str]) -> None:
        self.key = key
        self.missing = missing
        needed = ", ".join(placeholders(key))
        super().__init__(f"text {key!r} needs {needed}; missing {', '.join(missing)}")


def placeholders(key: str) -> tuple[str, ...]:
    """The placeholder names of a key's English text, in order of appearance."""
    if key not in _TEXTS:
        raise UnknownTextError(key)
    return tuple(name for _, name, _, _ in string.Formatter().parse(_TEXTS[key]["en"]) if name)


def text(key: str, locale: str, **params: Any) -> str:
    """The sentence `key` in `locale` ("es-MX" counts as "es"), placeholders filled from params.

    Unused params are ignored, so one call site may pass a common set to several keys.
    """
    try:
        by_locale = _TEXTS[key]
    except KeyError:
        raise UnknownTextError(key) from None
    template = by_locale[normalize_locale(locale)]
    missing = [name for name in placeholders(key) if name not in params]
    if missing:
        raise MissingTextParamError(key, missing)
    return template.format(**params)


def color_name(color: str, locale: str) -> str:
    """A canonical colour ("navy") in the locale ("azul marino"); another shop's own colour
    names are shown as the shop wrote them."""
    key = f"color_{color.strip().lower()}"
    return text(key, locale) if key in _TEXTS else color


def intent_choices(intents: list[str], locale: str) -> str:
    """ "search for products or see your basket": what each candidate request would do."""
    labels = [text(f"intent_{i}", locale) for i in intents if f"intent_{i}" in _TEXTS]
    if not labels:
        return text("intent_help", locale)
    return format_list(list(dict.fromkeys(labels)), style="or", locale=normalize_locale(locale))
