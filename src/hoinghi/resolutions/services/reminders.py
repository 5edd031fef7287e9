"""Reminders of overdue action items: once a day (`tasks.overdue_remind`, run by
`hoinghi resolutions-remind` from a timer), an e-mail to whoever answers for each item that has
passed its deadline undone.

Nothing is marked overdue: that is derived when read. What is stored is the deadline the owner
was last told about (`ActionItem.reminded_for`), so each deadline is reminded once however often
the job runs, and a deadline moved later and passed again is reminded again.

Who is told: the person who answers for the item; for a unit, the holders of the named role
there (their current positions); otherwise, or when none of them has an address, the accounts
that keep the programme at that unit (`resolutions.plan` granted on it), then at the programme's
unit. An item nobody can be told about is left unmarked and tried again the next day (someone may
have an address by then).
"""

import logging
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hoinghi.accounts.models import User
from hoinghi.core.models import audit
from hoinghi.core.permissions import holders
from hoinghi.orgs.models import Position
from hoinghi.resolutions.models import ActionItem, ItemStatus

logger = logging.getLogger(__name__)


def _due(today: date) -> Q:
    """Items past their deadline, not done, whose owner has not been told of this deadline."""
    return (
        ~Q(status=ItemStatus.DONE)
        & Q(deadline__lt=today)
        & (Q(reminded_for__isnull=True) | ~Q(reminded_for=F("deadline")))
    )


def _keepers(unit) -> list[str]:
    ids = [user_id for _path, user_id in holders("resolutions.plan", [unit.path])]
    return sorted(set(User.objects.filter(pk__in=ids).exclude(email="").values_list("email", flat=True)))


def recipients(item: ActionItem) -> list[str]:
    """The addresses an overdue item is sent to (see the module's docstring)."""
    if item.owner_person_id and item.owner_person.email:
        return [item.owner_person.email]
    if item.owner_unit_id and item.owner_role_id:
        found = (
            Position.objects.filter(unit=item.owner_unit, role=item.owner_role, end_date__isnull=True)
            .exclude(person__email="")
            .values_list("person__email", flat=True)
        )
        if found := sorted(set(found)):
            return found
    owner_unit = item.owner_unit or (item.owner_person.unit if item.owner_person_id else None)
    for unit in (owner_unit, item.programme.unit):
        if unit is not None and (found := _keepers(unit)):
            return found
    return []


def _message(item: ActionItem, to: list[str], today: date) -> EmailMessage:
    context = {
        "item": item,
        "programme": item.programme,
        "days": (today - item.deadline).days,
        "link": settings.HOINGHI_BASE_URL
        + reverse("resolutions:programme", args=[item.programme.unit_id])
        + f"?nq={item.programme.resolution_id}#viec-{item.pk}",
    }
    subject = _("Việc quá hạn: %(text)s") % {"text": item.text[:120]}
    return EmailMessage(
        subject=subject, body=render_to_string("resolutions/overdue_email.txt", context), to=to
    )


def action_items_overdue_remind(*, today: date | None = None) -> dict[str, int]:
    """E-mail the owner of every item that has passed its deadline undone and was not yet
    reminded of that deadline; returns how many were `sent`, `failed` (kept for the next run)
    and had `nobody` to tell.

    Each item is one transaction holding its row (`skip_locked`: two runs at once never send one
    item twice). The e-mail goes before the commit that records it, so a crash between the two
    could send one reminder twice; never none. No actor: this is a system job.
    """
    today = today or timezone.localdate()
    sent = failed = nobody = 0
    ids = list(ActionItem.objects.filter(_due(today)).order_by("pk").values_list("pk", flat=True))
    with translation.override("vi"):
        for pk in ids:
            with transaction.atomic():
                item = (
                    ActionItem.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(_due(today), pk=pk)
                    .select_related("programme__unit", "owner_person__unit", "owner_unit", "owner_role")
                    .first()
                )
                if item is None:  # done, moved or reminded by another run meanwhile
                    continue
                to = recipients(item)
                if not to:
                    nobody += 1
                    continue
                try:
                    mailers.default.send_messages([_message(item, to, today)])
                except Exception:  # SMTP down, an address refused: the next run tries again
                    logger.exception("overdue reminder of action item %s to %s failed", item.pk, to)
                    failed += 1
                    continue
                item.reminded_for = item.deadline
                item.save(update_fields=["reminded_for"])
                audit(
                    actor=None,
                    type="resolutions.action_item.reminded",
                    obj=item,
                    unit_path=item.programme.unit.path,
                    deadline=item.deadline.isoformat(),
                    to=to,
                )
                sent += 1
    return {"sent": sent, "failed": failed, "nobody": nobody}
