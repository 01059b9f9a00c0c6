from trustee.admin import agreements, intake, obligations, workflows

__all__ = ["agreements", "intake", "obligations", "workflows"]
