"""The JSON API (django-ninja), with its OpenAPI description at /api/docs.

Each app adds its router here. Errors of the domain come back as {"code", "message", "params"}
with the status of the error class (STYLE.md §5).
"""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import django_auth

from hoinghi.core.errors import DomainError

api = NinjaAPI(
    title="hoinghi API",
    version="1",
    description="Check-in, presence and live data of hoinghi conferences.",
    auth=django_auth,
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError):
    return api.create_response(request, error.as_dict(), status=error.status)


def _routers() -> None:
    from hoinghi.attendance.api import router as attendance
    from hoinghi.attendance.api_live import router as live

    api.add_router("/", attendance)
    api.add_router("/", live)


_routers()
