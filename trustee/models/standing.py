"""Placeholder: filled by the issue #7 work."""

__all__: list[str] = []
