"""The permission engine: a grant is (user, role, unit) and covers that unit's subtree.

Every app uses only `can`, `require` and `scope`. A model that can be scoped names the path of
the unit it belongs to in `SCOPE_PATH` (``"path"`` on a unit, ``"unit__path"`` on a person).
Something outside the actor's grants is reported as not found, exactly like something that does
not exist; something visible that the actor may not change is forbidden.
"""

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hoinghi.core.errors import DomainError, NotFoundError


class GrantRole(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    ORGANISER = "organiser", _("Ban tổ chức")
    SITE_OPERATOR = "site_operator", _("Vận hành điểm cầu")
    REVIEWER = "reviewer", _("Người chấm bài")
    DATA_REPORTER = "data_reporter", _("Người báo cáo số liệu")
    VIEWER = "viewer", _("Người xem")


_EVERY_ROLE = frozenset(GrantRole)

# action -> the roles whose grant allows it in the granted unit's subtree.
POLICY: dict[str, frozenset[GrantRole]] = {
    "orgs.view": _EVERY_ROLE,
    "orgs.export": frozenset(
        {
            GrantRole.SYSTEM_ADMIN,
            GrantRole.ORGANISER,
            GrantRole.REVIEWER,
            GrantRole.DATA_REPORTER,
            GrantRole.VIEWER,
        }
    ),
    "orgs.change": frozenset({GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER}),
    "orgs.import": frozenset({GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER}),
    "accounts.view_grants": frozenset({GrantRole.SYSTEM_ADMIN}),
    "accounts.manage_grants": frozenset({GrantRole.SYSTEM_ADMIN}),
    "core.view_audit": frozenset({GrantRole.SYSTEM_ADMIN}),
    # Conferences: a grant on a unit covers the bridge points that unit's subtree runs and the
    # invitees who belong to it. A site operator acts on the points they are named on
    # (`BridgePoint.operators`), which the conference selectors add to this scope.
    "conferences.view": frozenset({GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER, GrantRole.VIEWER}),
    "conferences.change": frozenset({GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER}),
}


class PermissionDeniedError(DomainError):
    status = 403


def _grants(actor) -> list[tuple[str, str]]:
    """(role, unit path) of every grant the actor holds, read once per actor object."""
    cached = getattr(actor, "_hoinghi_grants", None)
    if cached is None:
        cached = list(actor.grants.values_list("role", "unit__path")) if actor.pk else []
        actor._hoinghi_grants = cached
    return cached


def forget_grants(actor) -> None:
    """Drop the per-object cache after the actor's grants changed."""
    actor.__dict__.pop("_hoinghi_grants", None)


def _is_unrestricted(actor) -> bool:
    return bool(getattr(actor, "is_active", False) and getattr(actor, "is_superuser", False))


def granted_paths(actor, action: str) -> list[str]:
    """The smallest set of unit paths whose subtrees the actor may `action` in."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return []
    roles = POLICY[action]
    paths = sorted({path for role, path in _grants(actor) if role in roles})
    minimal: list[str] = []
    for path in paths:  # sorted, so an ancestor comes before its descendants
        if not any(path.startswith(kept) for kept in minimal):
            minimal.append(path)
    return minimal


def _target_path(target) -> str:
    if isinstance(target, str):
        return target
    value = target
    for attribute in type(target).SCOPE_PATH.split("__"):
        value = getattr(value, attribute)
    return value


def can(actor, action: str, target: Model | str) -> bool:
    """May `actor` do `action` on `target` (a scoped model instance or a unit path)?"""
    if action not in POLICY:
        raise KeyError(action)
    if actor is not None and _is_unrestricted(actor):
        return True
    path = _target_path(target)
    return any(path.startswith(granted) for granted in granted_paths(actor, action))


def require(actor, action: str, target: Model | str) -> None:
    """Raise unless `actor` may do `action` on `target`.

    Raises `NotFoundError` when the target is outside everything the actor can see, and
    `PermissionDeniedError` when it is visible but the action is not granted.
    """
    if can(actor, action, target):
        return
    if can(actor, "orgs.view", target):
        raise PermissionDeniedError(_("Bạn không có quyền thực hiện thao tác này."), code="forbidden")
    raise NotFoundError(_("Không tìm thấy."), code="not_found")


def scope(actor, action: str, queryset: QuerySet) -> QuerySet:
    """Narrow `queryset` to the rows whose unit lies under a grant that allows `action`."""
    if action not in POLICY:
        raise KeyError(action)
    if actor is not None and _is_unrestricted(actor):
        return queryset
    paths = granted_paths(actor, action)
    if not paths:
        return queryset.none()
    lookup = f"{queryset.model.SCOPE_PATH}__under"
    return queryset.filter(reduce(or_, (Q(**{lookup: path}) for path in paths)))


def scope_paths(actor, action: str) -> Iterable[str] | None:
    """The granted paths, or None when the actor is unrestricted."""
    if actor is not None and _is_unrestricted(actor):
        return None
    return granted_paths(actor, action)
