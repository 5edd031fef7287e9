"""The permission engine: the one place that decides who may do what on which part of the tree.

Every app declares its actions in its own ``permissions.py`` (core collects them when Django starts,
as the admin collects ``admin.py``), naming the roles whose grant holds the action and the
relations that also confer it:

    declare(Action("attendance.checkin", _("Điểm danh tại điểm cầu"),
                   roles={GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER, GrantRole.SITE_OPERATOR},
                   relations={"point_operator"}, view="conferences.view"))

Two sources grant an action:

- a **role grant** (user, role, unit) held by `accounts.Grant`: the user may do the role's actions
  on everything in that unit's subtree. A model names the path of the unit a row belongs to in
  ``SCOPE_PATH`` (``"path"`` on a unit, ``"unit__path"`` on a person);
- a **relation**, declared by the app that owns it with `declare_relation` (the bridge point
  operator relation, owned by conferences): it confers its actions on the related objects only,
  never on a unit. A relation is read, never turned into a Grant row.

Apps use only three functions: `can` (a bool for one object), `require` (raises for one object)
and `scope` (narrows a queryset). `reach` is what `scope` is built from, for the few readers
that must key a cache or a channel group by what an actor sees (live audiences).

Refusals follow one rule: something outside everything the actor may see is not found (404), as
if it did not exist; something the actor sees but may not act on is forbidden (403). What "see"
means is the action's `view` action (``"conferences.view"`` for conference actions).

What an actor holds is read from the database once per actor object (one query: grants and
relations together), so a request pays for it once whatever it checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hoinghi.core.compiled import Compiled
from hoinghi.core.errors import DomainError, NotFoundError


class GrantRole(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    ORGANISER = "organiser", _("Ban tổ chức")
    SITE_OPERATOR = "site_operator", _("Vận hành điểm cầu")
    REVIEWER = "reviewer", _("Người chấm bài")
    DATA_REPORTER = "data_reporter", _("Người báo cáo số liệu")
    VIEWER = "viewer", _("Người xem")


EVERY_ROLE = frozenset(GrantRole)

# A target above every unit (a new root unit): only the unrestricted reach it.
WHOLE_TREE = "/"


class PermissionDeniedError(DomainError):
    status = 403


# --- Declarations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """Something an actor may do, declared by the app that owns it.

    `roles`: the roles whose grant on a unit holds the action in that unit's subtree.
    `relations`: names of declared relations whose holders hold the action on the related objects.
    `view`: the action that decides, on refusal, between "not found" (the actor does not even see
    the object) and "forbidden"; an action that is its own view leaves it None.
    """

    name: str
    label: str
    roles: frozenset[str]
    relations: frozenset[str] = frozenset()
    view: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "roles", frozenset(self.roles))
        object.__setattr__(self, "relations", frozenset(self.relations))


class Relation:
    """A source of rights other than role grants (subclassed by the app that owns the relation).

    `held_query(actor_pk)` returns a ``values_list(flat=True)`` queryset of the ids the actor is
    related to (the points they operate); it is read with the actor's grants in one query.
    `lookup(model)` names the field of `model` that holds such an id (``"id"`` on a bridge point,
    ``"point_id"`` on a check-in), or returns a callable building the Q for a set of ids, or None
    when the relation says nothing about that model.
    """

    name: str = ""

    def held_query(self, actor_pk: int) -> QuerySet:
        raise NotImplementedError

    def lookup(self, model: type[Model]) -> str | Callable[[frozenset[int]], Q] | None:
        raise NotImplementedError

    def covers(self, target: Model, ids: frozenset[int]) -> bool:
        """Whether the relation's `ids` cover one object (by default through `lookup`)."""
        lookup = self.lookup(type(target))
        if lookup is None:
            return False
        if callable(lookup):
            return type(target)._default_manager.filter(lookup(ids), pk=target.pk).exists()
        return _walk(target, lookup) in ids


ACTIONS: dict[str, Action] = {}
RELATIONS: dict[str, Relation] = {}


def declare(*actions: Action) -> None:
    """Register an app's actions (from its ``permissions.py``); a name is declared once."""
    for action in actions:
        if action.name in ACTIONS and ACTIONS[action.name] != action:
            raise ValueError(f"permission action {action.name!r} declared twice")
        ACTIONS[action.name] = action


def declare_relation(relation: Relation) -> None:
    RELATIONS[relation.name] = relation


def _action(name: str) -> Action:
    try:
        return ACTIONS[name]
    except KeyError:
        raise KeyError(f"undeclared permission action {name!r}") from None


# --- What an actor holds --------------------------------------------------------------------------

_HELD = "_hoinghi_permissions"


@dataclass(frozen=True)
class Held:
    """Everything an actor holds: (role, unit path) grants and, per relation, the related ids."""

    grants: tuple[tuple[str, str], ...] = ()
    related: Mapping[str, frozenset[int]] = field(default_factory=dict)


def _held(actor) -> Held:
    """Read once per actor object: the grants and every relation, in one query (a UNION)."""
    cached = getattr(actor, _HELD, None)
    if cached is not None:
        return cached
    pairs: list[tuple[str, str]] = []
    related: dict[str, set[int]] = {name: set() for name in RELATIONS}
    for kind, value in _held_rows(actor.pk):
        if kind in related:
            related[kind].add(int(value))
        else:
            pairs.append((kind, value))
    held = Held(grants=tuple(pairs), related={name: frozenset(ids) for name, ids in related.items()})
    setattr(actor, _HELD, held)
    return held


def _held_query(actor_pk: int) -> QuerySet:
    from hoinghi.accounts.models import Grant

    held = Grant.objects.filter(user=actor_pk).order_by().values_list("role", "unit__path")
    for name, relation in sorted(RELATIONS.items()):
        ids = relation.held_query(actor_pk).values_list(
            models.Value(name, output_field=models.CharField()),
            models.functions.Cast("pk", models.CharField()),
        )
        held = held.union(ids, all=True)
    return held


def _held_rows(actor_pk: int) -> list[tuple[str, str]]:
    """The rows of `_held_query(actor_pk)`.

    Every request reads what its actor holds, and building the UNION through the ORM cost more
    CPU than running it (about 0.5 ms of a check-in's 9: docs/benchmarks.md). Its SQL is the
    same for every actor: compiled once per database (`core.compiled`). Relations registered
    later (tests) are a new shape of their own."""
    from hoinghi.accounts.models import Grant

    key = tuple(sorted(RELATIONS))
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _COMPILED.setdefault(key, Compiled(Grant, _held_query))
    return compiled.rows(actor_pk)


_COMPILED: dict[tuple, Compiled] = {}


def forget(actor) -> None:
    """Drop what was read for `actor` after their grants or relations changed."""
    actor.__dict__.pop(_HELD, None)


def _is_active(actor) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active)


def _is_unrestricted(actor) -> bool:
    return _is_active(actor) and bool(getattr(actor, "is_superuser", False))


@dataclass(frozen=True)
class Reach:
    """Where an action reaches for one actor: everything, or the subtrees of `paths` plus the
    objects of each relation in `related`. Hashable, so that actors who reach the same rows can
    share a cache entry or a channel group (live audiences)."""

    everything: bool = False
    paths: tuple[str, ...] = ()
    related: tuple[tuple[str, frozenset[int]], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.paths or any(ids for _name, ids in self.related))

    def covers_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(granted) for granted in self.paths)

    def related_ids(self, relation: str) -> frozenset[int]:
        return dict(self.related).get(relation, frozenset())

    def q(self, model: type[Model], *, paths_q: Callable[[str], Q] | None = None) -> Q:
        """The condition selecting the rows of `model` this reach covers.

        `paths_q(path)` overrides how a subtree selects rows (the live dashboard selects people of
        a subtree through a subquery); by default ``SCOPE_PATH__under``, plus the ancestors of the
        granted units for the actions a model shares down its subtree (``SCOPE_SHARED_DOWN``).
        """
        if self.everything:
            return Q()
        conditions = [paths_q(path) if paths_q else _path_q(model, path) for path in self.paths]
        for name, ids in self.related:
            lookup = RELATIONS[name].lookup(model) if ids else None
            if lookup is None:
                continue
            conditions.append(lookup(ids) if callable(lookup) else Q(**{f"{lookup}__in": sorted(ids)}))
        return reduce(or_, conditions) if conditions else Q(pk__in=[])


def _minimal(paths: Iterable[str]) -> tuple[str, ...]:
    minimal: list[str] = []
    for path in sorted(set(paths)):  # sorted, so an ancestor comes before its descendants
        if not any(path.startswith(kept) for kept in minimal):
            minimal.append(path)
    return tuple(minimal)


def reach(actor, action: str) -> Reach:
    """Where `action` reaches for `actor` (see `Reach`)."""
    declared = _action(action)
    if not _is_active(actor):
        return Reach()
    if _is_unrestricted(actor):
        return Reach(everything=True)
    held = _held(actor)
    paths = _minimal(path for role, path in held.grants if role in declared.roles)
    related = tuple(
        (name, held.related.get(name, frozenset()))
        for name in sorted(declared.relations)
        if name in RELATIONS
    )
    return Reach(paths=paths, related=tuple((name, ids) for name, ids in related if ids))


# --- The three functions apps use -----------------------------------------------------------------


def _walk(target, dotted: str):
    value = target
    for attribute in dotted.split("__"):
        value = getattr(value, attribute)
    return value


def _path_q(model: type[Model], path: str) -> Q:
    return Q(**{f"{model.SCOPE_PATH}__under": path})


def _ancestors(path: str) -> list[str]:
    ids = [part for part in path.strip("/").split("/") if part]
    return ["/" + "/".join(ids[: n + 1]) + "/" for n in range(len(ids))]


def _shares_down(model: type[Model], action: str) -> bool:
    return action in getattr(model, "SCOPE_SHARED_DOWN", ())


def can(actor, action: str, target: Model | str) -> bool:
    """May `actor` do `action` on `target` (a model instance with ``SCOPE_PATH``, or a unit path)?"""
    declared = _action(action)
    if _is_unrestricted(actor):
        return True
    where = reach(actor, action)
    if where.is_empty:
        return False
    if isinstance(target, str):
        return where.covers_path(target)
    path = _walk(target, type(target).SCOPE_PATH)
    if where.covers_path(path):
        return True
    if _shares_down(type(target), declared.name) and any(g.startswith(path) for g in where.paths):
        return True
    return any(RELATIONS[name].covers(target, ids) for name, ids in where.related)


def require(actor, action: str, target: Model | str) -> None:
    """Raise unless `actor` may do `action` on `target`.

    Raises `NotFoundError` when the target is outside everything the actor may see (the action's
    `view`), and `PermissionDeniedError` when it is visible but the action is not granted.
    """
    if can(actor, action, target):
        return
    view = _action(action).view
    if view is not None and can(actor, view, target):
        raise PermissionDeniedError(_("Tài khoản không có quyền thực hiện thao tác này."), code="forbidden")
    raise NotFoundError(_("Không tìm thấy."), code="not_found")


def scope(actor, action: str, queryset: QuerySet) -> QuerySet:
    """Narrow `queryset` to the rows `actor` may `action` on."""
    where = reach(actor, action)
    if where.everything:
        return queryset
    if where.is_empty:
        return queryset.none()
    model = queryset.model
    condition = where.q(model)
    if _shares_down(model, action) and where.paths:
        ancestors = sorted({a for path in where.paths for a in _ancestors(path)})
        condition |= Q(**{f"{model.SCOPE_PATH}__in": ancestors})
    return queryset.filter(condition)


def grant_roles(action: str) -> frozenset[str]:
    """The roles whose grant holds `action`: for a query of who stands at many units at once (a
    daily reminder over 125,000 units), where `holders` would name every unit's path."""
    return _action(action).roles


# What a job without an actor reaches (a scheduled reminder over a whole assignment): everything.
# Its callers decide nothing with it; they count for the people the job serves.
SYSTEM_REACH = Reach(everything=True)


def holders(action: str, unit_paths: Iterable[str]) -> list[tuple[str, int]]:
    """(unit path, user id) of the active users whose grant on one of `unit_paths` itself (not
    on an ancestor) holds `action`, sorted: who stands at those units for it, e.g. the reviewers
    of a level to whom learning reports are allocated. Relations are not read: they confer
    rights on objects, never on a unit."""
    from hoinghi.accounts.models import Grant

    return list(
        Grant.objects.filter(
            role__in=sorted(_action(action).roles),
            unit__path__in=sorted(set(unit_paths)),
            user__is_active=True,
        )
        .order_by("unit__path", "user_id")
        .values_list("unit__path", "user_id")
        .distinct()
    )


# Core's own action.
declare(
    Action("core.view_audit", _("Xem nhật ký thao tác"), roles={GrantRole.SYSTEM_ADMIN}, view=None),
)
