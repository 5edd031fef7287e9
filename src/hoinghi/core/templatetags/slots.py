from django import template
from django.utils.safestring import mark_safe

from hoinghi.core import slots

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name: str, **values):
    """Render what apps registered for the slot `name`, given the request and `values`."""
    request = context.get("request")
    return mark_safe("".join(part(request, **values) or "" for part in slots.parts(name)))  # noqa: S308
