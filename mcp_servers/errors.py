"""Tool failures as data: one payload shape for all four servers, read back by their callers.

A tool that fails returns `is_error: true` with structured content
`{"error": {"code": "out_of_stock", "params": {"available": 2, ...}, "message": "..."}}`. The
`code` is stable and `params` are its values; `message` is English for logs and developers, never
for shoppers: callers switch on the code and render their own sentence (`server/texts.py`). The
text block repeats `code: message` for MCP clients that only read text.

Tools raise `ToolFailure(code, message, **params)`; `CodedMCPServer.call_tool` turns it into the
result. Failures the SDK raises itself get codes too: arguments that break the input schema are
`invalid_arguments` (the fields, never the rejected values), an unknown tool `unknown_tool`, a
crash `internal_error` (nothing of it leaves the server). The codes of each server are listed in
docs/mcp-servers.md.
"""

from __future__ import annotations

import logging
from typing import Any

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.types import CallToolResult, InputRequiredResult, TextContent
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = [
    "CODE_PATTERN",
    "CodedMCPServer",
    "ErrorContent",
    "ErrorInfo",
    "ToolFailure",
    "error_of",
]

logger = logging.getLogger(__name__)

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"


class ErrorInfo(BaseModel):
    """What went wrong: a stable code, its parameters, and an English sentence for developers."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(pattern=CODE_PATTERN, description="stable machine code, e.g. out_of_stock")
    params: dict[str, Any] = Field(
        default_factory=dict, description="the code's values, e.g. {'available': 2}"
    )
    message: str = Field("", description="English, for logs and developers; not for shoppers")


class ErrorContent(BaseModel):
    """The structured content of a failed tool call."""

    error: ErrorInfo


class ToolFailure(ToolError):
    """A failure the caller should act on: raise it in a tool, the caller receives the code."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.info = ErrorInfo(code=code, params=params, message=message)

    def result(self) -> CallToolResult:
        info = self.info
        return CallToolResult(
            is_error=True,
            content=[TextContent(type="text", text=f"{info.code}: {info.message}")],
            structured_content=ErrorContent(error=info).model_dump(mode="json"),
        )


def _sdk_failure(name: str, exc: ToolError) -> ToolFailure:
    """A failure the SDK raised (bad arguments, unknown tool, a crash) as a coded one."""
    cause = exc.__cause__
    if isinstance(exc, UnexpectedToolError):
        return ToolFailure("internal_error", f"tool {name} failed; see the server's log")
    if isinstance(cause, ValidationError):
        # field names and pydantic's rule, never the rejected values: they are the caller's data
        problems = {
            ".".join(str(p) for p in e["loc"]): e["msg"]
            for e in cause.errors(include_url=False, include_input=False)
        }
        detail = "; ".join(f"{field}: {rule}" for field, rule in sorted(problems.items()))
        return ToolFailure(
            "invalid_arguments",
            f"the arguments of {name} break its input schema: {detail}",
            tool=name,
            fields=sorted(problems),
        )
    if cause is None and str(exc).startswith("Unknown tool"):
        return ToolFailure("unknown_tool", f"no tool {name!r}", tool=name)
    # a plain ToolError: the tool's own sentence, under a code that says only "it failed"
    message = str(cause) if cause is not None else str(exc)
    return ToolFailure("tool_error", message, tool=name)


class CodedMCPServer(MCPServer[Any]):
    """An `MCPServer` whose failed calls carry `ErrorContent`: a `ToolFailure` raised in a tool
    keeps its code and params; anything else the SDK would send as bare text gets a code."""

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            cause = exc.__cause__
            failure = cause if isinstance(cause, ToolFailure) else _sdk_failure(name, exc)
            if isinstance(exc, UnexpectedToolError):
                logger.error("tool %r crashed", name, exc_info=exc)
            else:
                logger.info("tool %r failed: %s", name, failure.info.code)
            return failure.result()


def error_of(result: CallToolResult) -> ErrorInfo:
    """The error a failed result carries; a server that sends no payload gets `tool_error`."""
    try:
        return ErrorContent.model_validate(result.structured_content or {}).error
    except ValidationError:
        text = " ".join(str(getattr(block, "text", "")) for block in result.content)
        return ErrorInfo(code="tool_error", message=text.strip())
