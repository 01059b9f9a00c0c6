"""Trustdesk's own date formats (settings.FORMAT_MODULE_PATH = ["config.formats"])."""
