"""The one error type of the domain.

Services raise a subclass of `DomainError` with a stable `code`; views, the API and consumers
turn it into `{"code", "message", "params"}`. Tests assert the code, never the wording.
"""

from enum import StrEnum
from typing import Any


class DomainError(Exception):
    """A refused operation: `message` is shown to the user, `code` is for programs."""

    status = 400

    def __init__(self, message: str, *, code: str, params: dict[str, Any] | None = None):
        self.code = str(code)
        self.params = params or {}
        self.message = message % self.params if self.params else message
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "params": self.params}


class PermissionCode(StrEnum):
    NOT_FOUND = "not_found"


class NotFoundError(DomainError):
    """Raised both for what does not exist and for what lies outside the actor's grants."""

    status = 404
