"""The JSON API of a resolution's reports: a unit's indicators for a period, and its values.

Session authentication (with its CSRF check for writes), as the other routers of hoinghi.api.
Every endpoint parses, calls one selector or service, and answers; the permission checks are the
services' and selectors' own (`resolutions.view` to read, `resolutions.enter` to write): a unit
outside the caller's part of the tree is not found (404), one inside it they may not change is
forbidden (403). Refusals come back as {"code", "message", "params"} (a value that cannot be read
or breaks a rule: `bad_value`/`rule_failed` with `params.fields` keyed "CODE" or "CODE:OPTION").
"""

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema

from hoinghi.resolutions import charts, selectors, services

router = Router(tags=["resolutions"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ProjectionOut(Schema):
    status: str = Field(description="on_track, off_track or unknown")
    value: float | None
    until: str = Field(description="The horizon, yyyy-mm-dd")
    clamped: bool = Field(description="The line passed 100 % (a share) or 0 and was stopped there")


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str = Field(description='"%" for a ratio, else the indicator\'s unit')
    direction: str = Field(description="at_least or at_most")
    target: float
    value: float | None = Field(description="For the unit's whole subtree; null: nothing reported")
    met: str = Field(description="met, unmet or none")
    periods: list[str]
    values: list[float | None] = Field(description="The trend: the value of each period up to this one")
    projection: ProjectionOut


class IndicatorsOut(Schema):
    unit: int
    period: int
    indicators: list[IndicatorOut]


@router.get(
    "/resolutions/{resolution_id}/units/{unit_id}/indicators",
    response={200: IndicatorsOut},
    summary="Every indicator of the resolution for a unit's subtree and a period, with its trend",
)
def indicators(request: HttpRequest, resolution_id: Id, unit_id: Id, period_id: Id):
    resolution = selectors.resolution_get(actor=request.user, pk=resolution_id)
    unit = selectors.unit_get(actor=request.user, pk=unit_id)
    period = selectors.period_get(pk=period_id)
    board = charts.board_get(actor=request.user, resolution=resolution, unit=unit, period=period)
    data = charts.board_data(board)
    for indicator in data["indicators"]:
        projection = indicator["projection"]
        indicator["projection"] = {
            "status": projection["status"],
            "value": projection["value"],
            "until": projection["until_iso"],
            "clamped": projection["clamped"],
        }
    return data


class ValueOut(Schema):
    key: str = Field(description='"CODE" or "CODE:OPTION"')
    title: str
    value: str | None = Field(description='As stored, plain ("1234.5"); null: not reported')
    comment: str
    previous: str | None = Field(description="Last period's value")


class ValuesOut(Schema):
    unit: int
    period: int
    state: str = Field(description="draft, submitted, returned or approved")
    is_open: bool = Field(description="Whether the values can change now (state and the period's window)")
    refusal: str = Field(description="Why not, when the period's window refuses entry today")
    version: str = Field(
        description="Send it back with a change: a change made meanwhile is refused (`stale`)"
    )
    values: list[ValueOut]


class ValuesIn(Schema):
    values: dict[Annotated[str, Field(max_length=80)], Annotated[str, Field(max_length=40)] | None] = Field(
        ...,
        max_length=500,
        description='By key ("CODE" or "CODE:OPTION"): a number as typed ("1.234,5" or "1234.5"), '
        'or "" / null to remove it. Keys left out are not changed.',
    )
    comments: dict[Annotated[str, Field(max_length=80)], Annotated[str, Field(max_length=500)]] = Field(
        default_factory=dict, max_length=500
    )
    version: str | None = Field(None, max_length=64)


def _values_out(form: selectors.EntryForm) -> dict:
    def plain(number) -> str | None:
        return None if number is None else selectors.plain(number)

    return {
        "unit": form.unit.pk,
        "period": form.period.pk,
        "state": form.submission.state if form.submission else "draft",
        "is_open": form.is_open,
        "refusal": form.refusal,
        "version": form.version,
        "values": [
            {
                "key": row.column.label,
                "title": row.column.title,
                "value": plain(row.value),
                "comment": row.comment,
                "previous": plain(row.previous),
            }
            for row in form.rows
        ],
    }


def _report(request: HttpRequest, dataset_id: int, unit_id: int, period_id: int):
    dataset = selectors.dataset_get(actor=request.user, pk=dataset_id)
    unit = selectors.unit_get(actor=request.user, pk=unit_id)
    period = selectors.period_get(pk=period_id)
    return dataset, unit, period


VALUES_PATH = "/resolutions/datasets/{dataset_id}/units/{unit_id}/periods/{period_id}/values"


@router.get(
    VALUES_PATH, response={200: ValuesOut}, summary="A unit's values of a period, last period's beside them"
)
def values_get(request: HttpRequest, dataset_id: Id, unit_id: Id, period_id: Id):
    dataset, unit, period = _report(request, dataset_id, unit_id, period_id)
    return _values_out(selectors.entry_form(actor=request.user, dataset=dataset, unit=unit, period=period))


@router.put(VALUES_PATH, response={200: ValuesOut}, summary="Save some of a unit's values of a period")
def values_put(request: HttpRequest, dataset_id: Id, unit_id: Id, period_id: Id, body: ValuesIn):
    dataset, unit, period = _report(request, dataset_id, unit_id, period_id)
    services.datavalues_save(
        actor=request.user,
        dataset=dataset,
        unit=unit,
        period=period,
        values={selectors.key_parse(key): value for key, value in body.values.items()},
        comments={selectors.key_parse(key): text for key, text in body.comments.items()},
        version=body.version or None,
    )
    return _values_out(selectors.entry_form(actor=request.user, dataset=dataset, unit=unit, period=period))


@router.post(
    "/resolutions/datasets/{dataset_id}/units/{unit_id}/periods/{period_id}/submit",
    response={200: ValuesOut},
    summary="Send a unit's report of a period to the level above",
)
def values_submit(request: HttpRequest, dataset_id: Id, unit_id: Id, period_id: Id):
    dataset, unit, period = _report(request, dataset_id, unit_id, period_id)
    services.submission_submit(actor=request.user, dataset=dataset, unit=unit, period=period)
    return _values_out(selectors.entry_form(actor=request.user, dataset=dataset, unit=unit, period=period))
