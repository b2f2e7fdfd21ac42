"""What the round's models share."""


from portal.access import permission as may

__all__ = ["may"]
