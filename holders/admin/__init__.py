from holders.admin import lists, votes

__all__ = ["lists", "votes"]
