"""Showing a refused operation on the form that asked for it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hoinghi.core.errors import DomainError


def add_domain_error(form: forms.BaseForm, error: DomainError, *, field: str | None = None) -> None:
    """Put `error` on `form`: each field error on its field, or with the form's own errors when
    the form has no such field (then named by its label); an error without field errors goes on
    `field` (None: the form as a whole)."""
    if not error.field_errors:
        target = field if field in form.fields else None
        form.add_error(target, ValidationError(error.message, code=error.code))
        return
    for name, errors in error.field_errors.items():
        on_form = name in form.fields
        for item in errors:
            message = item["message"]
            if not on_form and item.get("label"):
                message = _("%(field)s: %(message)s") % {"field": item["label"], "message": message}
            form.add_error(name if on_form else None, ValidationError(message, code=item["code"]))
