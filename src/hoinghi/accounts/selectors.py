"""Reads of users, scoped to the actor.

A user belongs to no unit; an actor sees a user through the grants that user holds within the
actor's part of the tree, or because the actor made the account. Anyone else is "not found",
exactly like a username that does not exist: a form that looks a user up must not tell an
organiser which usernames exist elsewhere.
"""

from django.db.models import Q, QuerySet

from hoinghi.accounts.models import Grant, User
from hoinghi.core.permissions import reach, scope


def user_list(*, actor, action: str) -> QuerySet[User]:
    """Active users holding a grant in a unit where `actor` may `action`, and those `actor` made
    (every active user for whom `action` reaches everything)."""
    users = User.objects.filter(is_active=True)
    if reach(actor, action).everything:
        return users
    granted = scope(actor, action, Grant.objects.all()).values("user_id")
    mine = Q(created_by=actor.pk) if getattr(actor, "pk", None) else Q(pk__in=[])
    return users.filter(Q(pk__in=granted) | mine)


def usernames_taken(*, prefix: str) -> set[str]:
    """Every username starting with `prefix`, for a caller choosing new ones (no actor: only the
    names it is about to make are compared with them, and none is shown)."""
    return set(User.objects.filter(username__startswith=prefix).values_list("username", flat=True))


def users_with_person(*, ids) -> dict[int, User]:
    """The users of `ids` by id, with their person and the person's unit (for callers choosing
    among people the permission engine named: `core.permissions.holders`)."""
    return {
        user.pk: user for user in User.objects.filter(pk__in=sorted(set(ids))).select_related("person__unit")
    }
