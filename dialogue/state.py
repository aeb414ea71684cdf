"""What a conversation remembers between messages: a typed, versioned model, serialised explicitly.

`DialogueState` holds the product in focus (what "it" means), the last listing in order with the
attributes shoppers pick by (what "the second", "the cheapest", "the black one" mean), the basket
lines (what "one of the t-shirts" means), the previous request and its slots (what "and in red?"
changes), and the one open question with the kind of answer it expects and who may answer it.

`to_dict()` writes `{"version": VERSION, ...}`; `from_dict()` reads every version written so far
and, through `from_legacy()`, the loose keys conversations were stored with before (basket_id,
last_results, last_product, pending), so a deployment keeps its open conversations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "VERSION",
    "AnswerKind",
    "BasketLine",
    "DialogueState",
    "Item",
    "Pending",
    "PreviousRequest",
    "Speaker",
]

VERSION = 2
"""1 was the loose fields on Conversation; 2 is this model."""

AnswerKind = Literal[
    "product", "quantity", "email", "phone", "confirm", "stock_offer", "order_id", "value"
]
_STORAGE_RE = re.compile(r"(\d{2,4})\s?(gb|go|tb|to)\b", re.IGNORECASE)
_SKU_STORAGE_RE = re.compile(r"-(64|128|256|512|1024)$")
_MODEL_NUMBER_RE = re.compile(r"\b(\d{1,3})\b")


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who sent a message: the conversation's user, and whether the request carried the admin key."""

    user_id: str
    admin: bool = False


@dataclass(frozen=True, slots=True)
class Item:
    """A product as the shopper saw it, with what they pick by."""

    id: str
    name: str
    price: int | None = None
    currency: str | None = None
    brand: str = ""
    colors: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    storage: int | None = None
    """Gigabytes, from the name ("256 GB") or the sku ("APL-IP15P-256")."""
    model: int | None = None
    """The model number in the name ("iPhone 15" -> 15): what "the newest" compares."""

    @classmethod
    def of(cls, product: dict[str, Any]) -> Item:
        """From a storefront product (search result, product info) or a basket line."""
        name = str(product.get("name", ""))
        sku = str(product.get("sku", ""))
        storage = _STORAGE_RE.search(name)
        gigabytes: int | None = None
        if storage:
            gigabytes = int(storage.group(1)) * (1024 if storage.group(2).lower() in "tbto" else 1)
        elif found := _SKU_STORAGE_RE.search(sku):
            gigabytes = int(found.group(1))
        numbers = [int(n) for n in _MODEL_NUMBER_RE.findall(_STORAGE_RE.sub("", name))]
        return cls(
            id=str(product.get("id") or product.get("product_id")),
            name=name,
            price=product.get("price", product.get("unit_price")),
            currency=product.get("currency"),
            brand=str(product.get("brand", "")),
            colors=tuple(product.get("colors", ())),
            sizes=tuple(str(s) for s in product.get("sizes", ())),
            storage=gigabytes,
            model=max(numbers) if numbers else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "price": self.price,
            "currency": self.currency,
            "brand": self.brand,
            "colors": list(self.colors),
            "sizes": list(self.sizes),
            "storage": self.storage,
            "model": self.model,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Item:
        return cls(
            id=str(data["id"]),
            name=str(data.get("name", "")),
            price=data.get("price"),
            currency=data.get("currency"),
            brand=str(data.get("brand", "")),
            colors=tuple(data.get("colors", ())),
            sizes=tuple(data.get("sizes", ())),
            storage=data.get("storage"),
            model=data.get("model"),
        )


@dataclass(frozen=True, slots=True)
class BasketLine:
    product_id: str
    name: str
    quantity: int

    def item(self) -> Item:
        return Item(self.product_id, self.name)


@dataclass(frozen=True, slots=True)
class PreviousRequest:
    """The last request that ran, with the slots it ran with: "and in red?" changes one of them."""

    intent: str
    slots: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Pending:
    """The assistant's open question: what it asked for, for which request, and who may answer.

    `kind` says what form the answer takes; `slot` is where the answer goes in `slots`;
    `candidates` are the numbered options of a "which one?"; `available` is what a stock-limit
    offer proposes. Only `user_id` answers it, and when `admin` is set only with the admin key."""

    kind: AnswerKind
    intent: str
    slots: dict[str, Any]
    user_id: str
    admin: bool = False
    slot: str = ""
    candidates: tuple[Item, ...] = ()
    available: int | None = None
    mapping: dict[str, Any] | None = None

    def may_be_answered_by(self, speaker: Speaker) -> bool:
        return speaker.user_id == self.user_id and (speaker.admin or not self.admin)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "intent": self.intent,
            "slots": self.slots,
            "user_id": self.user_id,
            "admin": self.admin,
            "slot": self.slot,
            "candidates": [c.to_dict() for c in self.candidates],
            "available": self.available,
            "mapping": self.mapping,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pending:
        return cls(
            kind=data["kind"],
            intent=data["intent"],
            slots=dict(data.get("slots", {})),
            user_id=str(data.get("user_id", "")),
            admin=bool(data.get("admin", False)),
            slot=str(data.get("slot", "")),
            candidates=tuple(Item.from_dict(c) for c in data.get("candidates", ())),
            available=data.get("available"),
            mapping=data.get("mapping"),
        )


_ANSWER_KINDS = {"product": "product", "quantity": "quantity", "email": "email", "phone": "phone"}


@dataclass(slots=True)
class DialogueState:
    focus: Item | None = None
    """The product last named, shown alone, added or asked about: what "it" points at."""
    listing: list[Item] = field(default_factory=list)
    """The products last shown, in order: what "the second" and "the cheapest" point at."""
    basket_id: str | None = None
    basket: list[BasketLine] = field(default_factory=list)
    """The basket's lines as last seen: what "one of the t-shirts" and "one more" point at."""
    previous: PreviousRequest | None = None
    pending: Pending | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "focus": self.focus.to_dict() if self.focus else None,
            "listing": [i.to_dict() for i in self.listing],
            "basket_id": self.basket_id,
            "basket": [
                {"product_id": b.product_id, "name": b.name, "quantity": b.quantity}
                for b in self.basket
            ],
            "previous": (
                {"intent": self.previous.intent, "slots": self.previous.slots}
                if self.previous
                else None
            ),
            "pending": self.pending.to_dict() if self.pending else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, user_id: str = "") -> DialogueState:
        if data.get("version") != VERSION:
            return cls.from_legacy(data, user_id=user_id)
        previous = data.get("previous")
        return cls(
            focus=Item.from_dict(data["focus"]) if data.get("focus") else None,
            listing=[Item.from_dict(i) for i in data.get("listing", ())],
            basket_id=data.get("basket_id"),
            basket=[BasketLine(**b) for b in data.get("basket", ())],
            previous=PreviousRequest(previous["intent"], previous["slots"]) if previous else None,
            pending=Pending.from_dict(data["pending"]) if data.get("pending") else None,
        )

    @classmethod
    def from_legacy(cls, data: dict[str, Any], *, user_id: str = "") -> DialogueState:
        """Version 1: `basket_id`, `last_results`, `last_product` and a `pending` dict."""
        state = cls(
            focus=Item.from_dict(data["last_product"]) if data.get("last_product") else None,
            listing=[Item.from_dict(i) for i in data.get("last_results") or ()],
            basket_id=data.get("basket_id"),
        )
        old = data.get("pending")
        if isinstance(old, dict) and "intent" in old:
            awaiting = str(old.get("awaiting", ""))
            state.pending = Pending(
                kind="confirm" if old.get("confirm") else _ANSWER_KINDS.get(awaiting, "value"),  # type: ignore[arg-type]
                intent=old["intent"],
                slots=dict(old.get("slots", {})),
                user_id=user_id,
                # before identities, only admins could be asked to confirm
                admin=bool(old.get("confirm")),
                slot=awaiting,
                mapping=old.get("mapping"),
            )
        return state
