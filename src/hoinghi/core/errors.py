"""The one error type of the domain.

Services raise a subclass of `DomainError` with a stable `code`; one handler turns it into
`{"code", "message", "params"}` for the API and consumers and into a page for views
(`core.views.error_response`). Tests assert the code, never the wording.

A refusal that concerns fields (`validate`, from `full_clean()`) carries them in `field_errors`;
a form shows each on its field (`core.forms.add_domain_error`), and the API under
`params["fields"]`.
"""

from enum import StrEnum
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# field name -> its errors, each {"code", "message", "label"}; NON_FIELD_ERRORS for the whole.
FieldErrors = dict[str, list[dict[str, str]]]


class DomainError(Exception):
    """A refused operation: `message` is shown to the user, `code` is for programs."""

    status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str,
        params: dict[str, Any] | None = None,
        field_errors: FieldErrors | None = None,
    ):
        self.code = str(code)
        self.params = params or {}
        self.message = message % self.params if self.params else message
        self.field_errors = field_errors or {}
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        params = dict(self.params)
        if self.field_errors:
            params["fields"] = self.field_errors
        return {"code": self.code, "message": str(self.message), "params": params}


class PermissionCode(StrEnum):
    NOT_FOUND = "not_found"


class RequestErrorCode(StrEnum):
    """Refusals of a request before (or beside) any service: what the error pages say."""

    BAD_REQUEST = "bad_request"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CSRF_FAILED = "csrf_failed"
    INVALID_CHARACTERS = "invalid_characters"
    INVALID_INPUT = "invalid_input"
    SERVER_ERROR = "server_error"


class NotFoundError(DomainError):
    """Raised both for what does not exist and for what lies outside the actor's grants."""

    status = 404


def error_event(error: DomainError) -> dict[str, Any]:
    """The message a WebSocket consumer sends for a refusal: the API's error with a type."""
    return {"type": "error", **error.as_dict()}


def _label(instance: Model, name: str) -> str:
    if name == NON_FIELD_ERRORS:
        return ""
    try:
        return str(capfirst(instance._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return name


def validate(
    instance: Model,
    *,
    error_class: type[DomainError],
    code: str,
    exclude: list[str] | None = None,
    validate_unique: bool = True,
) -> None:
    """`full_clean()` the instance; raise `error_class(code=code)` with its field errors if it fails.

    The message names every field and its problem, for a reader without a form (the API, an
    error page); `field_errors` keeps them apart, for a form to show each on its field.
    `validate_unique=False` leaves out the uniqueness queries, for a caller that checked a whole
    batch at once.
    """
    try:
        instance.full_clean(exclude=exclude, validate_unique=validate_unique)
    except ValidationError as error:
        field_errors: FieldErrors = {}
        for name, errors in error.update_error_dict({}).items():
            label = _label(instance, name)
            field_errors[name] = [
                {"code": item.code or "invalid", "message": message, "label": label}
                for item in errors
                for message in item
            ]
        details = "; ".join(
            f"{item['label']}: {item['message']}" if item["label"] else item["message"]
            for items in field_errors.values()
            for item in items
        )
        raise error_class(
            _("Dữ liệu không hợp lệ: %(details)s"),
            code=code,
            params={"details": details},
            field_errors=field_errors,
        ) from error
