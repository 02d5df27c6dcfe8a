"""Renderers: turn a result into JSON, plain text for pipes, or Rich for a terminal."""
