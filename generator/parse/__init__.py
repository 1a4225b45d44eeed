"""Stage 1: Markdown doc files -> `Doc` records with file:line locations."""

from generator.parse.tree import parse_tree

__all__ = ["parse_tree"]
