from trustee.admin import agreements, obligations, workflows

__all__ = ["agreements", "obligations", "workflows"]
