"""The shop's errors. One root, so callers catch everything a backend raises on purpose:

    CommerceError                         every error has a wire `code` and JSON `details`
    ├── NotFoundError (LookupError)
    │   ├── UnknownProductError           no product with that id or sku
    │   ├── UnknownBasketError            no basket with that id
    │   └── UnknownOrderError             no order with that id
    ├── OutOfStockError                   a basket would hold more than the stock
    ├── AmbiguousProductError             a typed name fits several products; carries candidates
    ├── InvalidProductError (ValueError)  product data breaks a rule; carries field and reason
    ├── DuplicateSkuError (ValueError)    another product already has that sku
    ├── CurrencyMismatchError (ValueError) a product priced in another currency than the basket
    ├── EmptyBasketError (ValueError)     a payment link or order for an empty basket
    ├── BasketClosedError                 the basket was paid: it takes no more lines
    ├── PaymentLinkError (ValueError)     a checkout token that must be refused
    │   ├── TamperedLinkError             bad format or signature
    │   └── ExpiredLinkError              past its expiry
    ├── InvalidRequestError (ValueError)  a business API request with missing or malformed fields
    └── BackendUnavailableError           the business API cannot be reached or answered nonsense

The HTTP contract (docs/business-api.md) sends `{"error": {"code", "message", "details"}}`;
`error_from_wire` turns that back into the same class, so both backends raise alike.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "AmbiguousProductError",
    "BackendUnavailableError",
    "BasketClosedError",
    "CommerceError",
    "CurrencyMismatchError",
    "DuplicateSkuError",
    "EmptyBasketError",
    "ExpiredLinkError",
    "InvalidProductError",
    "InvalidRequestError",
    "NotFoundError",
    "OutOfStockError",
    "PaymentLinkError",
    "TamperedLinkError",
    "UnknownBasketError",
    "UnknownOrderError",
    "UnknownProductError",
    "error_from_wire",
]


class CommerceError(Exception):
    """Root of every error the shop raises on purpose."""

    code: ClassVar[str] = "commerce_error"
    status: ClassVar[int] = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details

    def to_wire(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class NotFoundError(CommerceError, LookupError):
    code = "not_found"
    status = 404


class UnknownProductError(NotFoundError):
    code = "unknown_product"


class UnknownBasketError(NotFoundError):
    code = "unknown_basket"


class UnknownOrderError(NotFoundError):
    code = "unknown_order"


class OutOfStockError(CommerceError):
    code = "out_of_stock"
    status = 409


class AmbiguousProductError(CommerceError):
    """`details["candidates"]` lists `{"id", "sku", "name"}` of the products the name fits."""

    code = "ambiguous_product"
    status = 409


class InvalidProductError(CommerceError, ValueError):
    code = "invalid_product"
    status = 422


class DuplicateSkuError(CommerceError, ValueError):
    code = "duplicate_sku"
    status = 409


class CurrencyMismatchError(CommerceError, ValueError):
    code = "currency_mismatch"
    status = 409


class EmptyBasketError(CommerceError, ValueError):
    code = "empty_basket"
    status = 409


class BasketClosedError(CommerceError):
    """`details` name the `basket_id` and the `order_id` that paid it: start a new basket."""

    code = "basket_closed"
    status = 409


class PaymentLinkError(CommerceError, ValueError):
    code = "invalid_link"
    status = 400


class TamperedLinkError(PaymentLinkError):
    code = "tampered_link"


class ExpiredLinkError(PaymentLinkError):
    code = "expired_link"
    status = 410


class InvalidRequestError(CommerceError, ValueError):
    code = "invalid_request"
    status = 400


class BackendUnavailableError(CommerceError):
    code = "backend_unavailable"
    status = 502


def _all_subclasses(cls: type[CommerceError]) -> list[type[CommerceError]]:
    out = [cls]
    for sub in cls.__subclasses__():
        out += _all_subclasses(sub)
    return out


_BY_CODE: dict[str, type[CommerceError]] = {c.code: c for c in _all_subclasses(CommerceError)}


def error_from_wire(body: Any, status: int) -> CommerceError:
    """The error a business API answer describes; unknown shapes become BackendUnavailableError."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("code"), str):
        return BackendUnavailableError(f"business API answered HTTP {status} without an error body")
    cls = _BY_CODE.get(error["code"], CommerceError)
    details = error.get("details") if isinstance(error.get("details"), dict) else {}
    return cls(str(error.get("message", error["code"])), **details)
