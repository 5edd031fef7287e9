"""Decorators for the pages an invitee reaches with their personal token.

Conferences owns the invitation and its token; the pages other apps show on it (the invitee's
questions, the recording to watch later) use the same decorator rather than a copy of it.
"""

from functools import wraps


def personal_page(view):
    """A page reached with a personal token: nothing may keep it (no shared cache, no search
    index), and the token must not leak to another site through the Referer."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        # The address holds the token: no other site gets it in a Referer. Not "no-referrer":
        # with it Chromium posts the page's own forms (a question, the language switch) with
        # `Origin: null`, which Django's CSRF check refuses.
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped
