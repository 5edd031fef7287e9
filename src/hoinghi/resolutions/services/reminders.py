"""Reminders of overdue action items: once a day (`tasks.overdue_remind`, run by
`hoinghi resolutions-remind` from a timer), an e-mail to whoever answers for each item that has
passed its deadline undone.

Nothing is marked overdue: that is derived when read. What is stored is the deadline the owner
was last told about (`ActionItem.reminded_for`), so each deadline is reminded once however often
the job runs, and a deadline moved later and passed again is reminded again.

Who is told: the person who answers for the item; for a unit, the holders of the named role
there (their current positions); otherwise, or when none of them has an address, the accounts
that keep the programme at that unit (`resolutions.plan` granted on it), then at the programme's
unit. An item nobody can be told about is left unmarked and looked at again the next day (someone
may have an address by then); that costs a few queries per batch of items, not per item.
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


class Addresses:
    """The addresses of everyone an item may be sent to, read for a whole batch of items at once
    (three queries however many items): role holders by (unit, role), and the accounts keeping
    the programme (holding `resolutions.plan` on the unit itself) by unit path."""

    def __init__(self, items: list[ActionItem]):
        pairs = {(item.owner_unit_id, item.owner_role_id) for item in items if item.owner_role_id}
        self.holders: dict[tuple[int, int], set[str]] = {}
        if pairs:
            positions = (
                Position.objects.filter(
                    unit__in={unit for unit, _role in pairs},
                    role__in={role for _unit, role in pairs},
                    end_date__isnull=True,
                )
                .exclude(person__email="")
                .values_list("unit_id", "role_id", "person__email")
            )
            for unit, role, email in positions:
                self.holders.setdefault((unit, role), set()).add(email)
        paths = set()
        for item in items:
            paths.add(item.programme.unit.path)
            if item.owner_unit_id:
                paths.add(item.owner_unit.path)
            elif item.owner_person_id:
                paths.add(item.owner_person.unit.path)
        kept = holders("resolutions.plan", paths)
        emails = dict(
            User.objects.filter(pk__in={user for _path, user in kept})
            .exclude(email="")
            .values_list("pk", "email")
        )
        self.keepers: dict[str, set[str]] = {}
        for path, user in kept:
            if user in emails:
                self.keepers.setdefault(path, set()).add(emails[user])

    def of(self, item: ActionItem) -> list[str]:
        """The addresses `item` is sent to (see the module's docstring)."""
        if item.owner_person_id and item.owner_person.email:
            return [item.owner_person.email]
        if item.owner_role_id and (found := self.holders.get((item.owner_unit_id, item.owner_role_id))):
            return sorted(found)
        owner_unit = item.owner_unit or (item.owner_person.unit if item.owner_person_id else None)
        for unit in (owner_unit, item.programme.unit):
            if unit is not None and (found := self.keepers.get(unit.path)):
                return sorted(found)
        return []


def recipients(item: ActionItem) -> list[str]:
    """The addresses one overdue item is sent to."""
    return Addresses([item]).of(item)


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


BATCH = 500


def action_items_overdue_remind(*, today: date | None = None, batch_size: int = BATCH) -> dict[str, int]:
    """E-mail the owner of every item that has passed its deadline undone and was not yet
    reminded of that deadline; returns how many were `sent`, `failed` (kept for the next run)
    and had `nobody` to tell.

    A batch of items is one transaction holding their rows (`skip_locked`: two runs at once never
    send one item twice), with everyone they may go to read at once (`Addresses`). The e-mails go
    before the commit that records them, so a crash in a batch could send its reminders twice;
    never none. No actor: this is a system job.
    """
    today = today or timezone.localdate()
    sent = failed = nobody = 0
    last = 0
    with translation.override("vi"):
        while True:
            with transaction.atomic():
                batch = list(
                    ActionItem.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(_due(today), pk__gt=last)
                    .select_related(
                        "programme__unit", "serves", "owner_person__unit", "owner_unit", "owner_role"
                    )
                    .order_by("pk")[:batch_size]
                )
                if not batch:
                    break
                last = batch[-1].pk
                addresses = Addresses(batch)
                messages = [(item, addresses.of(item)) for item in batch]
                nobody += sum(1 for _item, to in messages if not to)
                messages = [(item, to) for item, to in messages if to]
                connection = mailers.default
                try:
                    connection.open()
                except Exception:  # the mail server is down: nothing more today, the next run tries
                    logger.exception("overdue reminders: the mail server refused the connection")
                    failed += len(messages)
                    break
                told = []
                try:
                    for item, to in messages:
                        try:
                            connection.send_messages([_message(item, to, today)])
                        except Exception:  # an address refused: the others still go
                            logger.exception("overdue reminder of action item %s to %s failed", item.pk, to)
                            failed += 1
                            continue
                        item.reminded_for = item.deadline
                        told.append(item)
                        audit(
                            actor=None,
                            type="resolutions.action_item.reminded",
                            obj=item,
                            unit_path=item.programme.unit.path,
                            deadline=item.deadline.isoformat(),
                            to=to,
                        )
                finally:
                    connection.close()
                ActionItem.objects.bulk_update(told, ["reminded_for"])
                sent += len(told)
    return {"sent": sent, "failed": failed, "nobody": nobody}
