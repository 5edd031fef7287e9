from django import template
from django.utils.safestring import mark_safe

from hoinghi.core import extensions

register = template.Library()


@register.simple_tag(takes_context=True)
def extension_point(context, name: str, **values):
    """What the apps built on this page's app put in the place `name` (core.extensions): each part
    is called with the request and `values` and returns HTML (or "")."""
    request = context.get("request")
    return mark_safe("".join(part(request, **values) or "" for part in extensions.parts(name)))  # noqa: S308
