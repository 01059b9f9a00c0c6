"""Placeholder: filled by the issue #7 work."""
