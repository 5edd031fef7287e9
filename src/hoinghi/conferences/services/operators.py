"""Operator accounts made in bulk for a conference's points, and their one-time passwords.

An organiser makes an account for every chosen point that has no operator yet; each account is
named from the point's code, holds nothing but the operator relation on its point (no role
grant: `conferences.permissions.PointOperator` gives it the point's actions), and has a
one-time password that its owner must change at first login (`accounts`). The passwords are
handed over once: on the A4 sheet the organiser prints (the view draws it from what this
returns, in the same transaction), or by e-mail from a background task that makes the password
itself, so that no password is ever stored in clear, not even in the task queue.
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from hoinghi.accounts import services as accounts
from hoinghi.accounts.models import User
from hoinghi.conferences.errors import ConferenceError, ConferenceErrorCode
from hoinghi.conferences.models import BridgePoint, Conference
from hoinghi.conferences.selectors import PlannedOperator, operator_accounts_plan
from hoinghi.conferences.services._common import _POINTS_OPEN, _require_part_of, _require_stage
from hoinghi.core.background import enqueue_on_commit
from hoinghi.core.models import audit
from hoinghi.core.permissions import can, reach, require

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OperatorAccount:
    """An account made: its plan, the user, and its one-time password ("" when e-mailed)."""

    plan: PlannedOperator
    user: User
    password: str


def checkin_url(point: BridgePoint) -> str:
    """The address of the point's check-in page, printed with its QR code for its operator."""
    return settings.HOINGHI_BASE_URL + reverse("attendance:checkin", args=[point.pk])


@transaction.atomic
def point_operators_create(
    *,
    actor,
    conference: Conference,
    points: Iterable[BridgePoint],
    details: Mapping[int, tuple[str, str, str]] | None = None,
    send_email: bool = False,
) -> list[OperatorAccount]:
    """Make an operator account for each of `points` that still has no operator (the plan of
    `selectors.operator_accounts_plan`, which the confirmation page showed), name it the point's
    operator, and return them, those on the sheet with their passwords. Points that have an
    operator by now are left alone, so running it again makes accounts only for the rest.

    The points are locked first: two organisers running it at once do not both make an account
    for one point (the second finds it staffed). Those whose password goes by e-mail get it from
    `operator_credentials_email`, in the background, after commit.

    Raises `ConferenceError` (`wrong_conference`, `stage_forbids`), and the permission errors
    for a point the actor may not change, before anything is written.
    """
    points = list(points)
    _require_stage(conference, _POINTS_OPEN, _("tạo tài khoản vận hành"))
    _require_part_of(conference, *points)
    for point in points:
        require(actor, "conferences.change", point)
    ids = sorted(point.pk for point in points)
    list(BridgePoint.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    plan = operator_accounts_plan(
        actor=actor, conference=conference, point_ids=ids, details=details, send_email=send_email
    )
    made: list[OperatorAccount] = []
    for emailed in (False, True):
        batch = [entry for entry in plan if bool(entry.send_to) == emailed]
        users = accounts.users_create(
            actor=actor,
            new_users=[
                accounts.NewUser(entry.username, entry.full_name, entry.email, entry.phone) for entry in batch
            ],
            unit_path=conference.organising_unit.path,
            with_password=not emailed,
        )
        made += [
            OperatorAccount(entry, user, password)
            for entry, (user, password) in zip(batch, users, strict=True)
        ]
    BridgePoint.operators.through.objects.bulk_create(
        [BridgePoint.operators.through(bridgepoint_id=a.plan.point.pk, user_id=a.user.pk) for a in made]
    )
    for account in made:
        audit(
            actor=actor,
            type="conferences.point.operator_account_created",
            obj=account.plan.point,
            unit_path=account.plan.point.unit.path,
            user=account.user.username,
            sent_to=account.plan.send_to,
        )
    emailed = [account.user.pk for account in made if account.plan.send_to]
    if emailed:
        enqueue_on_commit(
            "hoinghi.conferences.tasks.operator_credentials_email",
            conference_id=conference.pk,
            user_ids=emailed,
            actor_id=getattr(actor, "pk", None),
        )
    return made


def _operator_email(*, conference: Conference, point: BridgePoint, user: User, password: str, to: str):
    context = {
        "conference": conference,
        "point": point,
        "username": user.username,
        "password": password,
        "login_url": settings.HOINGHI_BASE_URL + reverse("accounts:login"),
        "checkin_url": checkin_url(point),
    }
    subject = _("Tài khoản vận hành %(point)s — %(title)s") % {"point": point.name, "title": conference.title}
    body = render_to_string("conferences/operator_credentials_email.txt", context)
    return EmailMessage(subject=subject[:300], body=body, to=[to])


def operator_credentials_email(*, conference: Conference, user_ids: list[int], actor=None) -> dict[str, int]:
    """Give each account (made by `point_operators_create` to be e-mailed) its one-time password
    and send it to the address its plan named: the account's own e-mail, else its point's
    technical contact. The background half of `point_operators_create`; `actor` is who asked.

    An account that has a password already (sent before, or renewed on a sheet since) is left
    alone, so running it again sends nothing twice. The password is set and the message sent in
    one transaction per account: if the mail server refuses it, the account keeps no password,
    and the organiser can print one from the point's page (`point_operator_password_renew`).
    """
    sent = failed = 0
    users = User.objects.filter(pk__in=user_ids, operated_points__conference=conference).distinct()
    with translation.override("vi"):
        for user in users.order_by("pk"):
            if user.has_usable_password():
                continue
            point = user.operated_points.filter(conference=conference).select_related("unit").first()
            to = user.email or point.contact_email
            try:
                with transaction.atomic():
                    password = accounts.user_one_time_password_set(
                        actor=actor, user=user, unit_path=point.unit.path
                    )
                    message = _operator_email(
                        conference=conference, point=point, user=user, password=password, to=to
                    )
                    mailers.default.send_messages([message])
            except Exception:  # SMTP down, an address refused: the others still go
                logger.exception("operator account %s: the e-mail to %s failed", user.username, to)
                failed += 1
            else:
                sent += 1
    return {"sent": sent, "failed": failed}


@transaction.atomic
def point_operator_password_renew(*, actor, point: BridgePoint, user: User) -> str:
    """A new one-time password for an operator of `point`, to hand over on a sheet (the first was
    lost, or its e-mail never arrived); returns it.

    Only for an account that holds nothing but the operator relation, on points the actor may
    all change: an organiser must not take over an account that holds more than they manage.
    Raises `ConferenceError(not_renewable)` otherwise.
    """
    require(actor, "conferences.change", point)
    if not point.operators.filter(pk=user.pk).exists():
        raise ConferenceError(
            _("Tài khoản không phải người vận hành của điểm cầu này."), code=ConferenceErrorCode.NOT_RENEWABLE
        )
    operated = list(user.operated_points.select_related("unit"))
    if (
        user.is_staff
        or user.grants.exists()
        or reach(user, "conferences.change").everything  # a superuser
        or not all(can(actor, "conferences.change", other) for other in operated)
    ):
        raise ConferenceError(
            _(
                "Tài khoản %(username)s còn có quyền khác ngoài vận hành điểm cầu này; "
                "chỉ quản trị hệ thống mới cấp lại mật khẩu cho tài khoản đó."
            ),
            code=ConferenceErrorCode.NOT_RENEWABLE,
            params={"username": user.username},
        )
    password = accounts.user_one_time_password_set(actor=actor, user=user, unit_path=point.unit.path)
    audit(
        actor=actor,
        type="conferences.point.operator_password_renewed",
        obj=point,
        unit_path=point.unit.path,
        user=user.username,
    )
    return password
