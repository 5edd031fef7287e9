"""What learning reports add to the page of a part of a resolution (`resolutions.target_page`):
the personal plans serving it, written in the unit's subtree, for those who may read the
reports there."""

from datetime import date

from django.template.loader import render_to_string

from hoinghi.learning_reports.plans import plans_serving


def target_plans(request, *, item, unit, today: date, **_ignored) -> str:
    serving = plans_serving(actor=request.user, item=item, unit=unit, today=today)
    if not serving.total:
        return ""
    return render_to_string(
        "learning_reports/_target_plans.html", {"serving": serving, "today": today}, request=request
    )
