from holders.admin import exports, holders, lists, votes

__all__ = ["exports", "holders", "lists", "votes"]
