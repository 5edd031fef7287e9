"""The daily reminder of overdue action items: one e-mail per item and deadline, to whoever
answers for it; nothing marked overdue; a failure is tried again the next day."""

import socket
from datetime import date

import pytest
from django.core.management import call_command

from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.models import Position
from hoinghi.orgs.tests.factories import PersonFactory, PositionRoleFactory
from hoinghi.resolutions import services
from hoinghi.resolutions.models import ActionItem, ItemStatus
from hoinghi.resolutions.services.reminders import recipients

AFTER = date(2030, 7, 1)  # the day after the fixture's deadlines (30/06/2030)


def remind(today=AFTER):
    return services.action_items_overdue_remind(today=today)


def test_an_overdue_item_is_reminded_once_to_its_owner(programmes, mailoutbox):
    # Ba Đình's item is a person's (an@example.vn); the others are units' with nobody to tell.
    assert remind(date(2030, 6, 30)) == {"sent": 0, "failed": 0, "nobody": 0}  # the deadline itself
    assert remind() == {"sent": 1, "failed": 0, "nobody": 2}
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["an@example.vn"]
    assert "Việc quá hạn" in message.subject and "30/06/2030" in message.body
    assert f"#viec-{programmes.ba_dinh_item.pk}" in message.body
    assert remind() == {"sent": 0, "failed": 0, "nobody": 2}  # once
    assert len(mailoutbox) == 1
    item = ActionItem.objects.get(pk=programmes.ba_dinh_item.pk)
    assert item.status == ItemStatus.NOT_STARTED and item.reminded_for == date(2030, 6, 30)
    assert AuditEntry.objects.filter(type="resolutions.action_item.reminded").count() == 1


def test_a_deadline_moved_and_passed_again_is_reminded_again_and_done_items_never(
    programmes, superuser, mailoutbox
):
    remind()
    item = programmes.ba_dinh_item
    services.action_item_update(
        actor=superuser,
        item=item,
        text=item.text,
        serves=item.serves,
        deadline=date(2030, 9, 30),
        owner=services.Owner(person=programmes.ba_dinh_person),
    )
    assert remind(date(2030, 9, 30))["sent"] == 0
    assert remind(date(2030, 10, 1))["sent"] == 1
    services.action_item_update(
        actor=superuser,
        item=item,
        text=item.text,
        serves=item.serves,
        deadline=date(2030, 12, 31),
        owner=services.Owner(person=programmes.ba_dinh_person),
    )
    services.action_item_status_set(actor=superuser, item=item, status=ItemStatus.DONE, evidence_text="Xong")
    assert remind(date(2031, 1, 2))["sent"] == 0
    assert len(mailoutbox) == 2


def test_a_unit_is_told_through_its_role_holder_else_the_accounts_keeping_its_programme(
    programmes, small_tree, superuser, make_user, mailoutbox
):
    chair = PositionRoleFactory(code="chu-tich", name="Chủ tịch")
    # Hà Nội's item is Ba Đình's: with a role named, its holder there is told.
    item = services.action_item_update(
        actor=superuser,
        item=programmes.hanoi_item,
        text=programmes.hanoi_item.text,
        serves=programmes.target,
        deadline=programmes.hanoi_item.deadline,
        owner=services.Owner(unit=small_tree.ba_dinh, role=chair),
    )
    holder = PersonFactory(unit=small_tree.ba_dinh, email="chutich@ldld-badinh.vn")
    Position.objects.create(person=holder, unit=small_tree.ba_dinh, role=chair)
    assert recipients(item) == ["chutich@ldld-badinh.vn"]
    # Hồ Chí Minh's item is the unit's own: its data reporter is told; a viewer is not.
    make_user(GrantRole.DATA_REPORTER, small_tree.hcm, email="baocao@ldld-hcm.vn")
    make_user(GrantRole.VIEWER, small_tree.hcm, email="xem@ldld-hcm.vn")
    assert remind() == {"sent": 3, "failed": 0, "nobody": 0}
    assert sorted(address for message in mailoutbox for address in message.to) == [
        "an@example.vn",
        "baocao@ldld-hcm.vn",
        "chutich@ldld-badinh.vn",
    ]


def test_a_mail_server_that_refuses_leaves_the_item_for_the_next_run(programmes, settings, mailoutbox):
    with socket.socket() as probe:  # a port nothing listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    locmem = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    assert remind() == {"sent": 0, "failed": 1, "nobody": 2}
    assert ActionItem.objects.get(pk=programmes.ba_dinh_item.pk).reminded_for is None
    settings.MAILERS = locmem
    assert remind()["sent"] == 1 and len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_command_runs_the_daily_task(settings, small_tree, mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    call_command("resolutions_remind")  # nothing overdue: it runs and sends nothing
    assert mailoutbox == []
