"""Placeholder: filled by the issue #7 work."""

from __future__ import annotations

from datetime import date


def sweep(*, today: date) -> dict[str, int]:
    """What this workflow does on its own each hour; safe to run twice or at once."""
    return {}


def demo_seed(*, today: date) -> None:
    """Demo rows an officer can walk in the admin (called by load_demo)."""
