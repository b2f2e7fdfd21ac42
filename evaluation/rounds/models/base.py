"""What the round's models share."""


def may(action):
    """A django_fsm ``permission`` that asks the access rule ``action`` (portal.access)."""

    def check(instance, user):
        from portal import access

        return access.can(user, action, instance)

    check.__name__ = check.__qualname__ = action.replace(".", "_")
    check.action = action
    return check
