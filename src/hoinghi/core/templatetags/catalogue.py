from django import template
from django.utils.html import format_html

from hoinghi.core.catalogue import catalogue_url

register = template.Library()


@register.simple_tag
def javascript_catalogue():
    """The script element of the page language's JavaScript catalogue (core.catalogue): deferred,
    like the page's own scripts, which run after it in document order."""
    return format_html('<script src="{}" defer></script>', catalogue_url())
