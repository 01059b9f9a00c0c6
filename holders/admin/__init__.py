from holders.admin import exports, lists, votes

__all__ = ["exports", "lists", "votes"]
