"""The organiser role: staff who configure editions. Other roles build on this module."""

import rules


@rules.predicate
def is_organiser(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


rules.add_perm("competitions.organise", is_organiser)
