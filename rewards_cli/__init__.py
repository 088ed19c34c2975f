"""A partner's command-line client for the Rewards API (standard library only)."""

__version__ = "0.1.0"
