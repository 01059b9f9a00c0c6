from trustee.admin import agreements, obligations

__all__ = ["agreements", "obligations"]
