"""Signing in with username and password, and the signed-in user read back on every request."""

from django.contrib.auth import backends
from django.core.exceptions import ValidationError

from hoinghi.accounts.models import User
from hoinghi.core.compiled import CompiledModels

# Every request with a session reads its user by id: the query is compiled once (core.compiled).
_USER_BY_ID = CompiledModels(User, lambda pk: User._default_manager.filter(pk=pk))


class ModelBackend(backends.ModelBackend):
    """Django's backend, with the user of a session read by a compiled query."""

    def get_user(self, user_id):
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = _USER_BY_ID.list(pk)
        return found[0] if found and self.user_can_authenticate(found[0]) else None
