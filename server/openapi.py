"""What the OpenAPI document says about `POST /api/message`.

The handler reads the raw body itself (so an oversized or malformed body gets our own error shape,
not Litestar's), which leaves Litestar nothing to infer a request body from. `MessageOperation`
declares it, and every answer the route gives, from the same pydantic models the handler
validates with: integrators and client generators learn the contract from `/schema/openapi.json`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.openapi.spec import (
    BaseSchemaObject,
    OpenAPIMediaType,
    OpenAPIResponse,
    Operation,
    RequestBody,
)
from pydantic import BaseModel

__all__ = ["ERROR_SCHEMA", "message_operation"]

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Error",
    "required": ["error"],
    "properties": {
        "error": {"type": "string", "description": "What was wrong and how to fix it"},
        "problems": {"type": "array", "description": "One entry per invalid field"},
        "retryAfter": {"type": "integer", "description": "Seconds to wait (429 only)"},
        "code": {"type": "string", "description": "`rate_limited` (429 only)"},
        "scope": {
            "type": "string",
            "description": "The limit that was reached: `user`, `ip` or `global` (429 only)",
        },
        "limit": {"type": "integer", "description": "Messages allowed per window (429 only)"},
        "window": {"type": "integer", "description": "The window in seconds (429 only)"},
    },
}

_ERRORS = {
    "400": "The body is not JSON of the documented shape; `problems` names each field",
    "401": "The Authorization bearer key is neither the admin key nor an API key",
    "413": "The body or the message is over its limit",
    "422": "The locale is not supported; the error names the supported ones",
    "429": "Too many messages from this user, this address, or overall (`scope`); wait "
    "`retryAfter` seconds",
}


@dataclass
class _JsonSchema(BaseSchemaObject):
    """A JSON Schema given as a dict (pydantic's), passed through as it is."""

    schema: dict[str, Any]

    def to_schema(self) -> dict[str, Any]:
        return self.schema


def _json(schema: dict[str, Any]) -> dict[str, OpenAPIMediaType]:
    return {"application/json": OpenAPIMediaType(schema=_JsonSchema(schema))}  # type: ignore[arg-type]


def message_operation(body: type[BaseModel], answer: type[BaseModel]) -> type[Operation]:
    """An Operation class declaring `body` as the request and `answer` as the 200 response."""
    request_body = RequestBody(content=_json(body.model_json_schema(by_alias=True)), required=True)
    responses = {
        "200": OpenAPIResponse(
            description="The answer for the channel, with its structured data",
            content=_json(answer.model_json_schema(by_alias=True)),
        ),
        **{
            status: OpenAPIResponse(description=text, content=_json(ERROR_SCHEMA))
            for status, text in _ERRORS.items()
        },
    }

    @dataclass
    class MessageOperation(Operation):
        def __post_init__(self) -> None:
            self.request_body = request_body
            self.responses = responses

    return MessageOperation
