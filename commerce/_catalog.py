"""The demo catalog seeded into a new embedded shop, and the localized vocabulary search uses.

Rows are compact tuples; names and descriptions in en/es/fr/de are composed from per-locale nouns,
features and color words, so adding a product is one line. Brands, categories, colors and sizes
are the canonical values of docs/internal/pattern-authoring.md.
"""

from __future__ import annotations

from commerce.models import ProductInput

__all__ = ["BRAND_NAMES", "CATEGORY_WORDS", "COLOR_WORDS", "demo_catalog"]

BRAND_NAMES = {
    "apple": "Apple",
    "samsung": "Samsung",
    "google": "Google",
    "xiaomi": "Xiaomi",
    "sony": "Sony",
    "bose": "Bose",
    "jbl": "JBL",
    "lenovo": "Lenovo",
    "hp": "HP",
    "dell": "Dell",
    "asus": "ASUS",
    "nike": "Nike",
    "adidas": "adidas",
    "puma": "PUMA",
    "levis": "Levi's",
    "canon": "Canon",
    "nikon": "Nikon",
    "garmin": "Garmin",
    "lg": "LG",
    "philips": "Philips",
    "logitech": "Logitech",
}

# canonical color -> (en, es, fr, de)
COLOR_WORDS: dict[str, tuple[str, str, str, str]] = {
    "black": ("black", "negro", "noir", "schwarz"),
    "white": ("white", "blanco", "blanc", "weiß"),
    "red": ("red", "rojo", "rouge", "rot"),
    "blue": ("blue", "azul", "bleu", "blau"),
    "green": ("green", "verde", "vert", "grün"),
    "yellow": ("yellow", "amarillo", "jaune", "gelb"),
    "pink": ("pink", "rosa", "rose", "rosa"),
    "purple": ("purple", "morado", "violet", "lila"),
    "orange": ("orange", "naranja", "orange", "orange"),
    "grey": ("grey", "gris", "gris", "grau"),
    "brown": ("brown", "marrón", "marron", "braun"),
    "silver": ("silver", "plata", "argent", "silber"),
    "gold": ("gold", "dorado", "doré", "gold"),
    "beige": ("beige", "beige", "beige", "beige"),
    "navy": ("navy", "azul marino", "bleu marine", "marineblau"),
}

# category -> words a shopper may use for it, per locale (en, es, fr, de)
CATEGORY_WORDS: dict[str, tuple[str, str, str, str]] = {
    "phones": (
        "phone phones smartphone mobile cellphone",
        "telefono movil moviles celular smartphone",
        "telephone portable smartphone mobile",
        "handy telefon smartphone",
    ),
    "laptops": (
        "laptop laptops notebook computer",
        "portatil portatiles ordenador computadora laptop",
        "ordinateur portable pc laptop",
        "laptop notebook computer rechner",
    ),
    "tablets": (
        "tablet tablets",
        "tableta tabletas tablet",
        "tablette tablettes",
        "tablet tablets",
    ),
    "audio": (
        "audio headphones earbuds speaker speakers headset",
        "audio auriculares cascos altavoz altavoces",
        "audio casque ecouteurs enceinte enceintes",
        "audio kopfhorer lautsprecher ohrhorer",
    ),
    "tv": (
        "tv tvs television",
        "tele televisor televisores television tv",
        "tele televiseur television tv",
        "fernseher tv fernsehen",
    ),
    "cameras": (
        "camera cameras",
        "camara camaras",
        "appareil photo camera",
        "kamera kameras fotoapparat",
    ),
    "watches": (
        "watch watches smartwatch",
        "reloj relojes smartwatch",
        "montre montres smartwatch",
        "uhr uhren smartwatch",
    ),
    "accessories": (
        "accessory accessories case charger cable mouse keyboard",
        "accesorio accesorios funda cargador raton teclado",
        "accessoire accessoires coque chargeur souris clavier",
        "zubehor hulle ladegerat maus tastatur",
    ),
    "shoes": (
        "shoes shoe sneakers trainers",
        "zapatos zapatillas deportivas",
        "chaussures baskets",
        "schuhe turnschuhe sneaker",
    ),
    "clothing": (
        "clothing clothes shirt tshirt hoodie jacket jeans",
        "ropa camiseta sudadera chaqueta vaqueros",
        "vetements tshirt sweat veste jean",
        "kleidung tshirt hoodie jacke jeans",
    ),
    "home": (
        "home kitchen household",
        "hogar casa cocina",
        "maison cuisine",
        "haushalt kuche zuhause",
    ),
}

# noun key -> (en, es, fr, de); en/de put it after the model, es/fr before the brand.
_NOUNS: dict[str, tuple[str, str, str, str]] = {
    "": ("", "", "", ""),
    "laptop": ("Laptop", "Portátil", "Ordinateur portable", "Laptop"),
    "tablet": ("Tablet", "Tableta", "Tablette", "Tablet"),
    "headphones": (
        "Wireless Headphones",
        "Auriculares inalámbricos",
        "Casque sans fil",
        "Kabellose Kopfhörer",
    ),
    "earbuds": ("Earbuds", "Auriculares de botón", "Écouteurs", "Ohrhörer"),
    "speaker": (
        "Bluetooth Speaker",
        "Altavoz Bluetooth",
        "Enceinte Bluetooth",
        "Bluetooth-Lautsprecher",
    ),
    "tv": ("Smart TV", "Televisor", "Téléviseur", "Fernseher"),
    "camera": ("Camera", "Cámara", "Appareil photo", "Kamera"),
    "smartwatch": ("Smartwatch", "Reloj inteligente", "Montre connectée", "Smartwatch"),
    "mouse": ("Wireless Mouse", "Ratón inalámbrico", "Souris sans fil", "Kabellose Maus"),
    "keyboard": ("Keyboard", "Teclado", "Clavier", "Tastatur"),
    "charger": ("Charger", "Cargador", "Chargeur", "Ladegerät"),
    "case": ("Case", "Funda", "Coque", "Hülle"),
    "powerbank": ("Power Bank", "Batería externa", "Batterie externe", "Powerbank"),
    "webcam": ("Webcam", "Cámara web", "Webcam", "Webcam"),
    "running": ("Running Shoes", "Zapatillas de running", "Chaussures de running", "Laufschuhe"),
    "sneakers": ("Sneakers", "Zapatillas", "Baskets", "Sneaker"),
    "jeans": ("Jeans", "Vaqueros", "Jean", "Jeans"),
    "jacket": ("Jacket", "Chaqueta", "Veste", "Jacke"),
    "tshirt": ("T-Shirt", "Camiseta", "T-shirt", "T-Shirt"),
    "hoodie": ("Hoodie", "Sudadera con capucha", "Sweat à capuche", "Kapuzenpullover"),
    "lights": (
        "Smart Lights Starter Kit",
        "Kit de iluminación inteligente",
        "Kit d'éclairage connecté",
        "Smart-Licht-Starterset",
    ),
    "airfryer": ("Air Fryer", "Freidora de aire", "Friteuse sans huile", "Heißluftfritteuse"),
    "vacuum": ("Vacuum Cleaner", "Aspiradora", "Aspirateur", "Staubsauger"),
    "purifier": ("Air Purifier", "Purificador de aire", "Purificateur d'air", "Luftreiniger"),
    "coffee": ("Espresso Machine", "Cafetera espresso", "Machine à expresso", "Espressomaschine"),
}

_FEATURES: dict[str, tuple[str, str, str, str]] = {
    "phones": (
        "A fast smartphone with a bright display and an all-day battery",
        "Un smartphone rápido con pantalla brillante y batería para todo el día",
        "Un smartphone rapide avec un écran lumineux et une batterie pour toute la journée",
        "Ein schnelles Smartphone mit hellem Display und Akku für den ganzen Tag",
    ),
    "laptops": (
        "A light laptop for work and study, with a sharp screen and long battery life",
        "Un portátil ligero para trabajar y estudiar, con pantalla nítida y gran autonomía",
        "Un ordinateur portable léger pour le travail et les études, écran net et grande autonomie",
        "Ein leichter Laptop für Arbeit und Studium mit scharfem Bildschirm und langer Akkulaufzeit",
    ),
    "tablets": (
        "A tablet for reading, drawing and streaming",
        "Una tableta para leer, dibujar y ver series",
        "Une tablette pour lire, dessiner et regarder des séries",
        "Ein Tablet zum Lesen, Zeichnen und Streamen",
    ),
    "audio": (
        "Rich sound with deep bass and Bluetooth connection",
        "Sonido envolvente con graves profundos y conexión Bluetooth",
        "Un son riche avec des basses profondes et une connexion Bluetooth",
        "Voller Klang mit tiefen Bässen und Bluetooth-Verbindung",
    ),
    "tv": (
        "A 4K smart TV with HDR and built-in streaming apps",
        "Un televisor inteligente 4K con HDR y aplicaciones de streaming",
        "Un téléviseur connecté 4K avec HDR et applications de streaming intégrées",
        "Ein 4K-Smart-TV mit HDR und integrierten Streaming-Apps",
    ),
    "cameras": (
        "A camera with a large sensor for sharp photos and 4K video",
        "Una cámara con sensor grande para fotos nítidas y vídeo 4K",
        "Un appareil photo à grand capteur pour des photos nettes et de la vidéo 4K",
        "Eine Kamera mit großem Sensor für scharfe Fotos und 4K-Video",
    ),
    "watches": (
        "Tracks workouts, sleep and heart rate; shows your notifications",
        "Registra entrenamientos, sueño y pulso; muestra tus notificaciones",
        "Suit vos entraînements, votre sommeil et votre fréquence cardiaque",
        "Erfasst Training, Schlaf und Puls und zeigt Benachrichtigungen an",
    ),
    "accessories": (
        "A reliable accessory for everyday use",
        "Un accesorio fiable para el día a día",
        "Un accessoire fiable pour tous les jours",
        "Ein zuverlässiges Zubehör für jeden Tag",
    ),
    "shoes": (
        "Comfortable shoes with a cushioned sole",
        "Zapatillas cómodas con suela amortiguada",
        "Des chaussures confortables avec une semelle amortissante",
        "Bequeme Schuhe mit gedämpfter Sohle",
    ),
    "clothing": (
        "Soft fabric and a classic fit",
        "Tejido suave y corte clásico",
        "Tissu doux et coupe classique",
        "Weicher Stoff und klassische Passform",
    ),
    "home": (
        "Makes everyday life at home easier",
        "Hace más fácil el día a día en casa",
        "Facilite la vie quotidienne à la maison",
        "Macht den Alltag zu Hause leichter",
    ),
}

_AVAILABLE_IN = ("Available in", "Disponible en", "Disponible en", "Erhältlich in")
_CLOTHES = ("XS", "S", "M", "L", "XL", "XXL")
_SHOES = tuple(str(n) for n in range(36, 47))

# sku, brand, category, model, noun, colors, sizes, price (cents), stock
# One product per line is the readable form of this table.
# fmt: off
_ROWS: list[tuple[str, str, str, str, str, str, tuple[str, ...], int, int]] = [
    ("APL-IP15-128", "apple", "phones", "iPhone 15", "", "black blue pink green yellow", (), 95900, 25),
    ("APL-IP15P-256", "apple", "phones", "iPhone 15 Pro", "", "black white blue", (), 132900, 12),
    ("SAM-S24-256", "samsung", "phones", "Galaxy S24", "", "black grey purple yellow", (), 89900, 18),
    ("SAM-A55-128", "samsung", "phones", "Galaxy A55", "", "navy blue yellow", (), 46900, 30),
    ("GOO-PIX8-128", "google", "phones", "Pixel 8", "", "black pink green", (), 79900, 9),
    ("XIA-RN13-256", "xiaomi", "phones", "Redmi Note 13", "", "black blue green", (), 29900, 40),
    ("APL-MBA13-M3", "apple", "laptops", "MacBook Air 13 M3", "laptop", "silver grey gold navy", (), 129900, 10),
    ("APL-MBP14-M3", "apple", "laptops", "MacBook Pro 14 M3", "laptop", "silver black", (), 199900, 5),
    ("LEN-X1C-G11", "lenovo", "laptops", "ThinkPad X1 Carbon Gen 11", "laptop", "black", (), 179900, 6),
    ("HP-SPX360-14", "hp", "laptops", "Spectre x360 14", "laptop", "black blue", (), 149900, 7),
    ("DEL-XPS13-9340", "dell", "laptops", "XPS 13", "laptop", "silver grey", (), 139900, 8),
    ("ASU-ZB14-OLED", "asus", "laptops", "Zenbook 14 OLED", "laptop", "blue grey", (), 99900, 14),
    ("APL-IPADAIR-11", "apple", "tablets", "iPad Air 11", "tablet", "blue purple grey silver", (), 69900, 20),
    ("APL-IPADMINI-7", "apple", "tablets", "iPad mini", "tablet", "blue purple grey", (), 59900, 11),
    ("SAM-TABS9-128", "samsung", "tablets", "Galaxy Tab S9", "tablet", "grey beige", (), 79900, 9),
    ("XIA-PAD6-128", "xiaomi", "tablets", "Pad 6", "tablet", "grey blue", (), 34900, 22),
    ("LEN-TABP12", "lenovo", "tablets", "Tab P12", "tablet", "grey", (), 39900, 13),
    ("SON-WH1000XM5", "sony", "audio", "WH-1000XM5", "headphones", "black silver navy", (), 37900, 16),
    ("SON-WF1000XM5", "sony", "audio", "WF-1000XM5", "earbuds", "black silver", (), 29900, 15),
    ("BOS-QCULTRA", "bose", "audio", "QuietComfort Ultra", "headphones", "black white", (), 44900, 8),
    ("BOS-SLFLEX", "bose", "audio", "SoundLink Flex", "speaker", "black blue white", (), 14900, 26),
    ("APL-APP2", "apple", "audio", "AirPods Pro 2", "earbuds", "white", (), 27900, 35),
    ("JBL-FLIP6", "jbl", "audio", "Flip 6", "speaker", "black red blue green pink", (), 12900, 40),
    ("JBL-CHARGE5", "jbl", "audio", "Charge 5", "speaker", "black red blue grey", (), 17900, 3),
    ("SON-A80L-55", "sony", "tv", 'Bravia XR A80L 55"', "tv", "black", (), 149900, 4),
    ("LG-OLED55C3", "lg", "tv", 'OLED evo C3 55"', "tv", "black", (), 139900, 6),
    ("LG-43UR78", "lg", "tv", 'UHD UR78 43"', "tv", "black", (), 39900, 12),
    ("SAM-QN90C-65", "samsung", "tv", 'Neo QLED QN90C 65"', "tv", "black silver", (), 189900, 3),
    ("PHI-50PUS8508", "philips", "tv", 'Ambilight 50PUS8508 50"', "tv", "silver", (), 59900, 9),
    ("CAN-EOSR50", "canon", "cameras", "EOS R50", "camera", "black white", (), 79900, 7),
    ("CAN-G7XIII", "canon", "cameras", "PowerShot G7 X Mark III", "camera", "black silver", (), 74900, 5),
    ("NIK-Z50", "nikon", "cameras", "Z 50", "camera", "black", (), 89900, 6),
    ("NIK-P950", "nikon", "cameras", "Coolpix P950", "camera", "black", (), 84900, 4),
    ("SON-A7IV", "sony", "cameras", "Alpha 7 IV", "camera", "black", (), 249900, 0),
    ("APL-WS9-41", "apple", "watches", "Watch Series 9", "", "pink silver red black", (), 44900, 17),
    ("SAM-GW6-44", "samsung", "watches", "Galaxy Watch6", "smartwatch", "black silver gold", (), 31900, 14),
    ("GAR-FR265", "garmin", "watches", "Forerunner 265", "smartwatch", "black white", (), 44999, 10),
    ("GAR-FENIX7", "garmin", "watches", "fēnix 7", "smartwatch", "black grey", (), 69999, 5),
    ("GOO-PW2", "google", "watches", "Pixel Watch 2", "", "black silver gold", (), 34900, 12),
    ("XIA-RW3", "xiaomi", "watches", "Redmi Watch 3", "smartwatch", "black beige", (), 9999, 50),
    ("LOG-MXM3S", "logitech", "accessories", "MX Master 3S", "mouse", "grey black white", (), 10999, 45),
    ("LOG-K380", "logitech", "accessories", "K380", "keyboard", "grey pink white", (), 3999, 60),
    ("LOG-C920", "logitech", "accessories", "C920 HD Pro", "webcam", "black", (), 7999, 25),
    ("APL-USBC20W", "apple", "accessories", "20W USB-C", "charger", "white", (), 2500, 100),
    ("APL-IP15-CASE", "apple", "accessories", "iPhone 15 Silicone", "case", "black pink blue orange", (), 5900, 70),
    ("XIA-PB10K", "xiaomi", "accessories", "10000mAh", "powerbank", "black blue", (), 2499, 80),
    ("NIK-PEG40", "nike", "shoes", "Air Zoom Pegasus 40", "running", "black white blue", _SHOES, 12999, 30),
    ("NIK-AF1-07", "nike", "shoes", "Air Force 1 '07", "sneakers", "white black", _SHOES, 11999, 35),
    ("ADI-UBLIGHT", "adidas", "shoes", "Ultraboost Light", "running", "black white grey", _SHOES, 17999, 18),
    ("ADI-STANSMITH", "adidas", "shoes", "Stan Smith", "sneakers", "white green navy", _SHOES, 10999, 28),
    ("PUM-SUEDE", "puma", "shoes", "Suede Classic", "sneakers", "red black navy", _SHOES, 7999, 24),
    ("PUM-VNITRO2", "puma", "shoes", "Velocity Nitro 2", "running", "orange black", _SHOES, 12999, 15),
    ("LEV-501-ORIG", "levis", "clothing", "501 Original", "jeans", "blue black", _CLOTHES, 10995, 40),
    ("LEV-TRUCKER", "levis", "clothing", "Trucker", "jacket", "blue black", _CLOTHES, 11995, 16),
    ("NIK-DRIFIT-TEE", "nike", "clothing", "Dri-FIT Training", "tshirt", "black white red navy", _CLOTHES, 2999, 55),
    ("NIK-WINDRUN", "nike", "clothing", "Windrunner", "jacket", "black navy green", _CLOTHES, 9999, 20),
    ("ADI-ESS-HOOD", "adidas", "clothing", "Essentials Fleece", "hoodie", "grey black navy", _CLOTHES, 5999, 33),
    ("PUM-ESS-TEE", "puma", "clothing", "Essentials Logo", "tshirt", "white black red", _CLOTHES, 2499, 48),
    ("PHI-HUE-KIT", "philips", "home", "Hue White and Color", "lights", "white", (), 17999, 21),
    ("PHI-AIRFRYER-XXL", "philips", "home", "Airfryer XXL", "airfryer", "black", (), 24999, 11),
    ("PHI-LATTEGO-3200", "philips", "home", "LatteGo 3200", "coffee", "black", (), 59999, 6),
    ("XIA-ROBVAC-S10", "xiaomi", "home", "Robot Vacuum S10", "vacuum", "white", (), 24999, 13),
    ("SAM-JET75", "samsung", "home", "Jet 75", "vacuum", "grey", (), 39900, 8),
    ("XIA-AP4", "xiaomi", "home", "Smart Air Purifier 4", "purifier", "white", (), 19999, 19),
    ("LG-PURICARE", "lg", "home", "PuriCare 360", "purifier", "white beige", (), 49900, 5),
]
# fmt: on

_LOCALE_INDEX = {"en": 0, "es": 1, "fr": 2, "de": 3}


def _name(brand: str, model: str, noun: str, i: int) -> str:
    word = _NOUNS[noun][i]
    base = f"{BRAND_NAMES[brand]} {model}"
    if not word:
        return base
    return f"{word} {base}" if i in (1, 2) else f"{base} {word}"


def _description(category: str, colors: list[str], sizes: tuple[str, ...], i: int) -> str:
    color_text = ", ".join(COLOR_WORDS[c][i] for c in colors)
    text = f"{_FEATURES[category][i]}. {_AVAILABLE_IN[i]}: {color_text}."
    if sizes:
        text += f" {('Sizes', 'Tallas', 'Tailles', 'Größen')[i]}: {sizes[0]}–{sizes[-1]}."
    return text


def demo_catalog(currency: str = "EUR") -> list[ProductInput]:
    """The products a new embedded shop starts with, priced in `currency`."""
    products = []
    for sku, brand, category, model, noun, colors, sizes, price, stock in _ROWS:
        color_list = colors.split()
        products.append(
            ProductInput(
                sku=sku,
                brand=brand,
                category=category,
                name={loc: _name(brand, model, noun, i) for loc, i in _LOCALE_INDEX.items()},
                description={
                    loc: _description(category, color_list, sizes, i)
                    for loc, i in _LOCALE_INDEX.items()
                },
                colors=tuple(color_list),
                sizes=sizes,
                price=price,
                currency=currency,
                stock=stock,
            )
        )
    return products
