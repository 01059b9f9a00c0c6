"""Placeholder: filled by the issue #7/#10 work."""

urlpatterns: list = []
