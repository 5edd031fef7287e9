"""The JSON API (django-ninja), with its OpenAPI description at /api/docs.

Each app adds its router here. Errors of the domain come back as {"code", "message", "params"}
with the status of the error class (STYLE.md §5), from the same function as the pages' errors
(`core.views.error_response`).
"""

from django.db import DataError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from hoinghi.core.errors import DomainError
from hoinghi.core.views import domain_error_for, error_response, page_not_found

api = NinjaAPI(
    title="hoinghi API",
    version="1",
    description="Check-in, presence and live data of hoinghi conferences.",
    auth=django_auth,
    urls_namespace="api",
)


def domain_error(request: HttpRequest, error: DomainError | DataError):
    return error_response(request, domain_error_for(error))


api.add_exception_handler(DomainError, domain_error)
api.add_exception_handler(DataError, domain_error)
api.add_exception_handler(Http404, page_not_found)


# Ninja's own refusals (unreadable JSON, a field of the wrong shape, no session, a failed CSRF
# check) take the same shape, so a client reads every error one way.
@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError):
    fields = [
        {"field": ".".join(str(part) for part in item.get("loc", ())[1:]), "message": item.get("msg", "")}
        for item in error.errors
    ]
    body = {"code": "invalid", "message": _("Dữ liệu gửi lên không hợp lệ."), "params": {"errors": fields}}
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, error: AuthenticationError):
    body = {"code": "unauthenticated", "message": _("Cần đăng nhập."), "params": {}}
    return api.create_response(request, body, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError):
    codes = {400: "malformed", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
    messages = {
        400: _("Không đọc được dữ liệu gửi lên (JSON)."),
        403: _("Yêu cầu bị từ chối (thiếu mã CSRF hoặc không có quyền)."),
        404: _("Không tìm thấy."),
    }
    status = error.status_code
    body = {
        "code": codes.get(status, "error"),
        "message": str(messages.get(status, error.message)),
        "params": {},
    }
    return api.create_response(request, body, status=status)


def _routers() -> None:
    from hoinghi.attendance.api import router as attendance
    from hoinghi.attendance.api_live import router as live
    from hoinghi.streaming.api import router as streaming

    api.add_router("/", attendance)
    api.add_router("/", live)
    api.add_router("/", streaming)


_routers()
