"""shopmcp: chat commerce on a rule-first intent engine. This package holds the CLI and settings."""

__all__ = ["__version__"]

__version__ = "0.1.0"
