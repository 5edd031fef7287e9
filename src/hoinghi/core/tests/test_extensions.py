"""Extension points (core.extensions): declared by the app that owns a place, filled by the apps
built on it, read by the owner."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import RequestFactory

from hoinghi.core import extensions
from hoinghi.core.extensions import UnknownExtensionPoint


def test_filling_or_reading_a_point_nobody_declared_is_an_error_naming_the_declared_ones():
    with pytest.raises(UnknownExtensionPoint, match="orgs.home"):
        extensions.extend("orgs.hom", lambda request: "")  # a typo
    with pytest.raises(UnknownExtensionPoint):
        extensions.parts("attendance.nothing_here")
    with pytest.raises(UnknownExtensionPoint):
        Template('{% load extensions %}{% extension_point "conferences.no_such_page" %}').render(Context())


def test_parts_come_in_the_order_added_and_the_same_part_twice_counts_once():
    extensions.declare("tests.list", signature="() -> str")

    def first():
        return "a"

    def second():
        return "b"

    for part in (first, second, first):
        extensions.extend("tests.list", part)
    assert extensions.parts("tests.list") == [first, second]
    assert extensions.declare("tests.list", signature="() -> str").parts  # declared again: kept
    with pytest.raises(ImproperlyConfigured):
        extensions.declare("tests.list", signature="(x) -> int")


def test_a_keyed_point_takes_one_part_per_key():
    extensions.declare("tests.keyed", signature="() -> int", keyed=True)
    extensions.extend("tests.keyed", int, key="zero")
    with pytest.raises(ImproperlyConfigured):
        extensions.extend("tests.keyed", float, key="zero")
    with pytest.raises(ImproperlyConfigured):
        extensions.extend("tests.keyed", float)  # a key is needed
    assert extensions.keyed_parts("tests.keyed") == [("zero", int)]

    extensions.declare("tests.unkeyed", signature="() -> int")
    with pytest.raises(ImproperlyConfigured):
        extensions.extend("tests.unkeyed", int, key="zero")  # a list takes no keys
    with pytest.raises(ImproperlyConfigured):
        extensions.keyed_parts("tests.unkeyed")


def test_a_page_renders_the_html_parts_of_its_point_with_the_request_and_values():
    extensions.declare("tests.page", signature="(request, *, who) -> HTML")
    extensions.extend("tests.page", lambda request, *, who: f"<b>{who} {request.path}</b>")
    extensions.extend("tests.page", lambda request, **values: "")
    page = Template('{% load extensions %}<p>{% extension_point "tests.page" who=name %}</p>')
    html = page.render(Context({"request": RequestFactory().get("/x/"), "name": "Lan"}))
    assert html == "<p><b>Lan /x/</b></p>"
