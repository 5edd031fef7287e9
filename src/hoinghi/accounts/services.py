"""Writes of users and their grants."""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.db import transaction
from django.utils.translation import gettext as _

from hoinghi.accounts.errors import AccountError, AccountErrorCode
from hoinghi.accounts.models import Grant, User
from hoinghi.core.errors import validate
from hoinghi.core.models import audit
from hoinghi.core.permissions import forget, require
from hoinghi.orgs.models import Unit

# --- Grants --------------------------------------------------------------------------------------


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


# --- Accounts with a one-time password -----------------------------------------------------------

# Read off paper and typed on a phone: lower case, without the look-alikes 0/o, 1/l/i.
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
ONE_TIME_LENGTH = 12  # 31**12: 59 bits
# A one-time password is random and long, so the work factor that protects a person's chosen
# password buys nothing against guessing it, while Django's (over a million PBKDF2 rounds, most of
# a second here) would make 364 accounts take minutes in one request. It is stored with fewer
# rounds, in Django's own format; the first login re-hashes it at full cost (Django upgrades any
# hash whose rounds differ), and the owner must choose their own password at once anyway.
ONE_TIME_ROUNDS = 20_000


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str = ""
    email: str = ""
    phone: str = ""


def one_time_password() -> str:
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_LENGTH))


def _one_time_hash(password: str) -> str:
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), iterations=ONE_TIME_ROUNDS)
    return make_password(password)


@transaction.atomic
def users_create(
    *, actor, new_users: Sequence[NewUser], unit_path: str = "", with_password: bool = True
) -> list[tuple[User, str]]:
    """Create accounts that hold nothing (no grant, no relation, not staff), each with a one-time
    password its owner must change at first login; `created_by` is the actor. Returns each user
    with its password, the only time it exists in clear ("" without `with_password`: the account
    cannot log in until `user_one_time_password_set` gives it one).

    Accounts have no unit, so there is no action to check here: the caller decides who may (a
    point's operators are made by whoever may change the point, `conferences.services`).
    `unit_path` scopes the audit rows.

    Raises `AccountError`: `username_taken`, `invalid` (a username Django refuses, a bad
    e-mail), before anything is written.
    """
    usernames = [new.username for new in new_users]
    taken = sorted(
        set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
        | {name for name in usernames if usernames.count(name) > 1}
    )
    if taken:
        raise AccountError(
            _("Tên đăng nhập đã có: %(usernames)s."),
            code=AccountErrorCode.USERNAME_TAKEN,
            params={"usernames": ", ".join(taken)},
        )
    creator = actor if getattr(actor, "pk", None) else None
    made: list[tuple[User, str]] = []
    for new in new_users:
        password = one_time_password() if with_password else ""
        user = User(
            username=new.username,
            full_name=new.full_name,
            email=new.email,
            phone=new.phone,
            must_change_password=True,
            created_by=creator,
            password=_one_time_hash(password) if password else make_password(None),
        )
        # Uniqueness was checked for the whole list at once above.
        validate(
            user,
            error_class=AccountError,
            code=AccountErrorCode.INVALID,
            exclude=["password", "created_by"],  # the actor exists; a query per row otherwise
            validate_unique=False,
        )
        made.append((user, password))
    User.objects.bulk_create([user for user, _password in made])
    for user, _password in made:
        audit(actor=actor, type="accounts.user.created", obj=user, unit_path=unit_path, user=user.username)
    return made


@transaction.atomic
def user_one_time_password_set(*, actor, user: User, unit_path: str = "") -> str:
    """Give `user` a new one-time password (they must change it at first login) and return it.

    As for `users_create`, the caller decides who may: only accounts that hold nothing but what
    the caller's relation gives them should ever be reset this way."""
    password = one_time_password()
    user.password = _one_time_hash(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit(
        actor=actor, type="accounts.user.password_renewed", obj=user, unit_path=unit_path, user=user.username
    )
    return password


@transaction.atomic
def user_password_change(*, user: User, password: str) -> User:
    """The user chose their own password (already validated by the form): the one-time one, if
    any, is gone and they may use the site."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit(actor=user, type="accounts.user.password_changed", obj=user, user=user.username)
    return user
