"""A unit's dashboard as files: the .xlsx of its figures and the A4 PDF report."""

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.core.errors import NotFoundError
from hoinghi.resolutions import charts, exports, selectors
from hoinghi.resolutions.views import XLSX_TYPE, _int


def _board(request, unit_pk: int) -> charts.Board:
    """The board a URL names (?nq= the resolution, ?ky= the period, ?xep= the ranked indicator),
    for a unit the actor sees."""
    actor = request.user
    unit = selectors.unit_get(actor=actor, pk=unit_pk)
    resolutions = list(selectors.resolution_list(actor=actor))
    chosen = _int(request.GET.get("nq"))
    resolution = next((r for r in resolutions if r.pk == chosen), resolutions[0] if resolutions else None)
    dataset = selectors.dataset_list(actor=actor, resolution=resolution).first() if resolution else None
    if dataset is None:
        raise NotFoundError(_("Không tìm thấy."), code="not_found")
    periods = list(selectors.period_list(periodicity=dataset.periodicity))
    period = next(
        (p for p in periods if p.pk == _int(request.GET.get("ky"))), periods[0] if periods else None
    )
    if period is None:
        raise NotFoundError(_("Không tìm thấy."), code="not_found")
    # Every child ranked: the files are where the full list is read (the page shows one page).
    return charts.board_get(
        actor=actor,
        resolution=resolution,
        unit=unit,
        period=period,
        rank_code=request.GET.get("xep", ""),
        size=None,
    )


def _name(board: charts.Board, extension: str) -> str:
    return f"chi-tieu-{board.dashboard.unit.code}-{board.dashboard.period.code}.{extension}"


@login_required
def dashboard_xlsx(request, unit_pk: int):
    board = _board(request, unit_pk)
    content = exports.dashboard_xlsx(board)
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=_name(board, "xlsx"), content_type=XLSX_TYPE
    )


@login_required
def dashboard_pdf(request, unit_pk: int):
    board = _board(request, unit_pk)
    unit = board.dashboard.unit
    # The issuing body above the unit, as on an official document; the top unit issues alone.
    issuer = unit.parent.name if unit.parent_id else unit.name
    place = unit.province.short_name if unit.province_id else ""
    content = exports.dashboard_pdf(board, issuer=issuer, place=place, day=timezone.localdate())
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=_name(board, "pdf"), content_type="application/pdf"
    )
