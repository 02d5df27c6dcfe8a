"""cramp: a command-line advisor for night-time leg cramps."""

__version__ = "0.1.0"
