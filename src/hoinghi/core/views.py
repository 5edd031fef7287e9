"""The one renderer of errors (STYLE.md §5).

`error_response` turns a `DomainError` into `{"code", "message", "params"}` with the error's
status for the API and whoever asks for JSON, and into a Vietnamese page in the site's layout
for everyone else. Every path comes here: a view's uncaught domain error
(`middleware.DomainErrorMiddleware`), the API's (`hoinghi.api`), Django's 400/403/404 handlers,
a failed CSRF check, and what the edge refuses (`middleware.RejectNulMiddleware`). The 500
page is the exception: it is a plain template that needs neither the database nor a request
context, since either may be why it is shown.
"""

import logging
from functools import cache
from pathlib import Path

from django.db import DataError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from hoinghi.core.errors import DomainError, NotFoundError, RequestErrorCode
from hoinghi.core.permissions import PermissionDeniedError

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"  # where hoinghi.urls mounts the django-ninja API

# The page for a status, or for a code that needs its own explanation.
TEMPLATES = {
    RequestErrorCode.CSRF_FAILED: "403_csrf.html",
    400: "400.html",
    403: "403.html",
    404: "404.html",
}


def wants_json(request: HttpRequest) -> bool:
    """The API, and any client that asks for JSON rather than a page."""
    if request.path_info.startswith(API_PREFIX):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _back(request: HttpRequest) -> str:
    """The page the user came from, if it is one of ours and not this very page."""
    referer = request.headers.get("Referer", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return "" if referer == request.build_absolute_uri() else referer


def error_response(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The answer to a refused request: JSON for the API, else the Vietnamese error page."""
    if wants_json(request):
        return JsonResponse(error.as_dict(), status=error.status, json_dumps_params={"ensure_ascii": False})
    template = TEMPLATES.get(error.code) or TEMPLATES.get(error.status) or "error.html"
    context = {"message": error.message, "code": error.code, "status": error.status, "back": _back(request)}
    response = render(request, template, context, status=error.status)
    response["Cache-Control"] = "private, no-store"
    return response


def domain_error_for(exception: Exception) -> DomainError | None:
    """The domain error to show for an exception a view let through, or None for a real fault.

    A `DataError` is input the database would not take (a value out of range, text it cannot
    store): the request is refused as such, not answered with a 500, and logged so that the
    check missing in front of the database can be added.
    """
    if isinstance(exception, DomainError):
        return exception
    if isinstance(exception, DataError):
        logger.warning("database refused the input: %s", exception, exc_info=exception)
        return DomainError(
            _("Dữ liệu gửi lên có giá trị hệ thống không lưu được. Hãy kiểm tra lại rồi gửi lại."),
            code=RequestErrorCode.INVALID_INPUT,
        )
    return None


class RefusalsOnOneLine(logging.Filter):
    """On `django.request`: a refusal (a 4xx answer) is logged as one line, without the traceback
    Django attaches to a `PermissionDenied` or `BadRequest` a view or a library let through
    (`settings.LOGGING`). A refusal is the system working; a page of stack per 403 buried the
    real faults in the log. Errors of 500 and above keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and getattr(record, "status_code", 500) < 500:
            record.exc_info, record.exc_text = None, None
        return True


# --- Django's handlers (hoinghi.urls) and CSRF failure view (settings.CSRF_FAILURE_VIEW) -------------


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, DomainError(_("Yêu cầu không hợp lệ."), code=RequestErrorCode.BAD_REQUEST))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Our own refusals are domain errors; a bare PermissionDenied (Django's, a library's) says
    # nothing the user could read, so the page says it in Vietnamese.
    return error_response(
        request,
        PermissionDeniedError(_("Tài khoản không có quyền xem trang này."), code=RequestErrorCode.FORBIDDEN),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Never the exception's text: Django's (get_object_or_404, the URL resolver) is English.
    return error_response(
        request,
        NotFoundError(
            _(
                "Không tìm thấy trang này: đường dẫn có thể sai, hoặc nội dung đã bị xóa "
                "hay nằm ngoài phạm vi được giao."
            ),
            code=RequestErrorCode.NOT_FOUND,
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if wants_json(request):
        body = {
            "code": RequestErrorCode.SERVER_ERROR,
            "message": _("Lỗi hệ thống. Hãy thử lại sau ít phút."),
            "params": {},
        }
        return JsonResponse(body, status=500, json_dumps_params={"ensure_ascii": False})
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: most often a page left open past its session.

    Django logs the reason already (django.security.csrf)."""
    return error_response(
        request,
        PermissionDeniedError(
            _("Biểu mẫu đã hết hạn hoặc trang đã cũ, nên hệ thống chưa nhận nội dung vừa gửi."),
            code=RequestErrorCode.CSRF_FAILED,
        ),
    )


# --- /favicon.ico -------------------------------------------------------------------------------------

FAVICON = Path(__file__).resolve().parent / "static" / "hoinghi" / "favicon.ico"


@cache
def _favicon() -> bytes:
    return FAVICON.read_bytes()


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers, bookmarks and RSS readers ask for /favicon.ico whatever the page links (the base
    template links the SVG in static); answered here rather than by a 404 in every log."""
    response = HttpResponse(_favicon(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response
