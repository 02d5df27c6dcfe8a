"""Loading and validating the knowledge base."""

from cramp_cli.knowledge.kb import KnowledgeBase
from cramp_cli.knowledge.loader import load_builtin

__all__ = ["KnowledgeBase", "load_builtin"]
