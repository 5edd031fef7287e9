"""Writes of users' grants."""

from django.db import transaction

from hoinghi.accounts.models import Grant, User
from hoinghi.core.models import audit
from hoinghi.core.permissions import forget, require
from hoinghi.orgs.models import Unit


@transaction.atomic
def grant_create(*, actor, user: User, role: str, unit: Unit) -> Grant:
    """Give `user` the `role` on `unit`'s subtree; the actor must manage grants on that unit."""
    require(actor, "accounts.manage_grants", unit)
    grant, _created = Grant.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"created_by": actor}
    )
    forget(user)
    audit(
        actor=actor,
        type="accounts.grant.created",
        obj=grant,
        unit_path=unit.path,
        user=user.username,
        role=role,
    )
    return grant


@transaction.atomic
def grant_revoke(*, actor, grant: Grant) -> None:
    """Take a grant away; the actor must manage grants on its unit."""
    require(actor, "accounts.manage_grants", grant)
    audit(actor=actor, type="accounts.grant.revoked", obj=grant, unit_path=grant.unit.path, role=grant.role)
    forget(grant.user)
    grant.delete()
