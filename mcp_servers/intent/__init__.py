"""The intent MCP server: analyze_intent, validate_mapping, get_suggestions."""

from .mapping import MAPPINGS, Mapping, ToolMapping, map_intent
from .server import IntentState, create_server

__all__ = ["MAPPINGS", "IntentState", "Mapping", "ToolMapping", "create_server", "map_intent"]
