"""The knowledge base: its shapes, the compiled snapshot, loading and validation."""
