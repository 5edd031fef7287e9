"""The JSON API (django-ninja), with its OpenAPI description at /api/docs.

Each app adds its router here. Errors of the domain come back as {"code", "message", "params"}
with the status of the error class (STYLE.md §5), from the same function as the pages' errors
(`core.views.error_response`). An endpoint declares its own answers (200, 201, 304...); the
refusals every endpoint may give are added to each operation of the OpenAPI description here
(`ERROR_ANSWERS`), with the `ErrorOut` schema, so that a client and Schemathesis know them.
"""

from django.db import DataError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.security import django_auth

from hoinghi.core.errors import DomainError
from hoinghi.core.views import domain_error_for, error_response, page_not_found


class ErrorOut(Schema):
    """Every refusal, whatever its status."""

    code: str = Field(description="Stable, for programs: `not_found`, `malformed`, `replayed`...")
    message: str = Field(description="For people, in the interface's language (Vietnamese by default).")
    params: dict = Field(description="Details: the fields in error (`errors`, `fields`), limits...")


# status -> (which operations may answer it, what it means). "all": every operation; "auth": those
# that need a session; "input": those that take parameters or a body; "path": those whose path
# names something.
ERROR_ANSWERS = {
    400: (
        "all",
        "Refused: the body is not JSON (`malformed`), holds a NUL character (`invalid_characters`) "
        "or a value the database cannot store (`invalid_input`), or a rule of the domain says no "
        "(its own code, e.g. `malformed`, `replayed`, `unknown_token`).",
    ),
    401: ("auth", "Not signed in (`unauthenticated`)."),
    403: ("auth", "Signed in, but not allowed here, or the CSRF header is missing (`forbidden`)."),
    404: ("path", "Not found, or outside what the caller may see: the same answer (`not_found`)."),
    422: ("input", "A parameter or a field has the wrong shape (`invalid`; `params.errors` lists them)."),
}


class HoinghiAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = (
            ErrorOut.model_json_schema(ref_template=REF_TEMPLATE)
        )
        for path, methods in schema["paths"].items():
            for operation in methods.values():
                _document_errors(path, operation)
        return schema


def _document_errors(path: str, operation: dict) -> None:
    applies = {
        "all": True,
        "auth": bool(operation.get("security")),
        "input": bool(operation.get("parameters") or operation.get("requestBody")),
        "path": "{" in path,
    }
    responses = operation.setdefault("responses", {})
    for status, (which, description) in ERROR_ANSWERS.items():
        if applies[which]:
            responses.setdefault(
                status,
                {
                    "description": description,
                    "content": {
                        "application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="ErrorOut")}}
                    },
                },
            )


api = HoinghiAPI(
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
    from hoinghi.learning_reports.api import router as learning_reports
    from hoinghi.resolutions.api import router as resolutions
    from hoinghi.streaming.api import router as streaming

    api.add_router("/", attendance)
    api.add_router("/", live)
    api.add_router("/", streaming)
    api.add_router("/", learning_reports)
    api.add_router("/", resolutions)


_routers()
