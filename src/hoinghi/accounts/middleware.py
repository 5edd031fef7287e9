"""An account with a one-time password may do nothing before its owner chooses their own."""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from hoinghi.accounts.errors import AccountErrorCode, PasswordChangeRequiredError
from hoinghi.core.views import error_response, wants_json


@functools.cache
def _open_paths(urlconf, prefix) -> tuple[str, ...]:
    """What an account that must change its password may still reach (per URLconf, which a test
    may set, and script prefix, which `reverse` puts in front)."""
    return (
        reverse("accounts:password_change", urlconf=urlconf),
        reverse("accounts:logout", urlconf=urlconf),
        reverse("set_language", urlconf=urlconf),
        reverse("javascript_catalogue", args=["vi"], urlconf=urlconf).removesuffix("vi/"),  # the page's words
        settings.STATIC_URL,
    )


class PasswordChangeRequiredMiddleware:
    """Sends a signed-in user whose account has `must_change_password` to the password change
    page, whatever they asked for (a page: redirected there with `next`; the API or a client
    asking for JSON: refused with `password_change_required`). The page itself, logging out, the
    language switch and static files stay open.

    Anonymous requests (an invitee's personal page) are not touched: `request.user` is only read
    when the request carries a session cookie, so they cost no session lookup.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and self._must_change(request):
            if wants_json(request):
                return error_response(
                    request,
                    PasswordChangeRequiredError(
                        _("Tài khoản cần đổi mật khẩu trước khi sử dụng."),
                        code=AccountErrorCode.PASSWORD_CHANGE_REQUIRED,
                    ),
                )
            target = reverse("accounts:password_change")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)

    def _must_change(self, request) -> bool:
        if request.path_info.startswith(_open_paths(get_urlconf(), get_script_prefix())):
            return False
        user = request.user
        return bool(user.is_authenticated and getattr(user, "must_change_password", False))
